//! The checklist in the portal's words, with keys the UI can keep across reloads.

use std::collections::HashSet;

use entra_setup_core::catalog::{self, ErratumKind, Literal, PermissionType};
use entra_setup_core::checklist::{self, Checklist, Medium, NoticeKind};
use entra_setup_core::cloud::Cloud;
use entra_setup_core::plan::{Options, Plan, PlannedPermission};

fn build(id: &str) -> Checklist {
    let i = catalog::by_id(id).unwrap();
    checklist::build(i, &Plan::new(i, &Options::default()))
}

fn step_keys(c: &Checklist) -> Vec<&str> {
    c.steps.iter().map(|s| s.key.as_str()).collect()
}

#[test]
fn every_checklist_is_numbered_with_unique_keys_and_lists_every_planned_permission() {
    for i in catalog::ALL.iter() {
        let plan = Plan::new(i, &Options::default());
        let c = checklist::build(i, &plan);
        let numbers: Vec<usize> = c.steps.iter().map(|s| s.number).collect();
        assert_eq!(numbers, (1..=c.steps.len()).collect::<Vec<_>>(), "{}", i.id);
        let keys = c.keys();
        assert_eq!(
            keys.iter().collect::<HashSet<_>>().len(),
            keys.len(),
            "{}: duplicate keys",
            i.id
        );
        let listed: HashSet<String> = c
            .steps
            .iter()
            .flat_map(|s| s.permissions.iter().map(|p| p.key.clone()))
            .collect();
        let planned: HashSet<String> = plan.permissions.iter().map(|p| p.key()).collect();
        assert_eq!(listed, planned, "{}", i.id);
        assert_eq!(c.steps.last().unwrap().key, "next-step");
        assert_eq!(c.card.fields.len(), i.console.fields.len());
    }
}

#[test]
fn keys_do_not_depend_on_what_else_is_in_the_list() {
    // A ticked permission stays ticked when the admin adds another one.
    let i = catalog::by_id("custom").unwrap();
    let mut plan = Plan::new(i, &Options::default());
    plan.add_permission(PlannedPermission::custom(
        "00000003-0000-0000-c000-000000000000",
        "",
        "User.Read",
        PermissionType::Delegated,
        false,
    ));
    let before = checklist::build(i, &plan).keys();
    plan.add_permission(PlannedPermission::custom(
        "00000003-0000-0000-c000-000000000000",
        "",
        "Mail.Send",
        PermissionType::Delegated,
        false,
    ));
    let after = checklist::build(i, &plan).keys();
    assert!(
        before.iter().all(|k| after.contains(k)),
        "{before:?} vs {after:?}"
    );
    assert!(
        after.contains(&"perm/00000003-0000-0000-c000-000000000000/Delegated/Mail.Send".to_owned())
    );
}

#[test]
fn the_steps_use_the_portals_words() {
    let c = build("nango-microsoft-defender");
    let md = c.to_markdown();
    for words in [
        "Microsoft Entra admin center > Entra ID > App registrations > New registration",
        "Accounts in this organizational directory only",
        "**APIs my organization uses**, search for `WindowsDefenderATP`",
        "**Delegated permissions**",
        "Grant admin consent for",
        "**New client secret**",
        "not the **Secret ID**",
    ] {
        let plain = md.replace('\\', "");
        assert!(plain.contains(words), "missing {words:?}");
    }
    // Nango shows its callback only after the values are in: the redirect comes last.
    let keys = step_keys(&c);
    let pos = |k: &str| {
        keys.iter()
            .position(|x| *x == k)
            .unwrap_or_else(|| panic!("{k} in {keys:?}"))
    };
    assert!(pos("console") < pos("redirect-uri-later"));
    assert!(pos("new-secret") < pos("copy-secret-value"));
    assert!(pos("grant-consent") < pos("new-secret"));
}

#[test]
fn application_permissions_call_for_the_right_role_and_button() {
    let c = build("novus-calendarsync");
    let md = c.to_markdown();
    assert!(md.contains("**Privileged Role Administrator**"));
    let graph_steps: Vec<&str> = c
        .steps
        .iter()
        .filter(|s| s.key.starts_with("api-permissions/"))
        .map(|s| s.key.as_str())
        .collect();
    assert_eq!(
        graph_steps,
        [
            "api-permissions/00000003-0000-0000-c000-000000000000/Delegated",
            "api-permissions/00000003-0000-0000-c000-000000000000/Application"
        ]
    );
    assert!(c
        .step(graph_steps[1])
        .unwrap()
        .text
        .plain()
        .contains("Application permissions"));
    // No redirect URI for Novus.
    assert!(c
        .step("redirect-uri")
        .unwrap()
        .text
        .plain()
        .starts_with("Leave Redirect URI (optional) empty"));
}

#[test]
fn the_kinde_checklist_shows_the_erratum_and_the_delegated_fix() {
    let c = build("kinde-microsoft-365");
    assert!(c
        .notices
        .iter()
        .any(|n| n.kind == NoticeKind::Erratum(ErratumKind::PermissionType)));
    let perms: Vec<_> = c.steps.iter().flat_map(|s| &s.permissions).collect();
    assert!(perms.iter().all(|p| p.kind == PermissionType::Delegated));
    assert!(perms.iter().all(|p| p
        .note
        .as_deref()
        .unwrap_or("")
        .contains("The guide says Application")));
    // Before-Entra steps in Kinde come first; the callback goes in at registration.
    assert_eq!(
        &step_keys(&c)[..2],
        ["kinde-m2m-app", "kinde-add-connected-app"]
    );
    assert!(c
        .step("redirect-uri")
        .unwrap()
        .text
        .plain()
        .contains("https://<your Kinde domain>/connected_apps/callback"));
}

#[test]
fn the_fabric_checklist_has_no_redirect_and_ends_in_fabric() {
    let c = build("nango-microsoft-fabric");
    let keys = step_keys(&c);
    assert!(!keys.contains(&"redirect-uri-later"));
    let tail: Vec<&str> = keys[keys.len() - 5..].to_vec();
    assert_eq!(
        tail,
        [
            "fabric-tenant-setting",
            "fabric-manage-access",
            "fabric-add-app",
            "fabric-assign-role",
            "next-step"
        ]
    );
    assert!(c.next_step.contains("low-risk read"));
}

#[test]
fn cloud_elements_flags_retired_incomplete_and_never_expiring() {
    let c = build("cloud-elements-office-365");
    let kinds: HashSet<NoticeKind> = c.notices.iter().map(|n| n.kind).collect();
    for k in [
        ErratumKind::RetiredApi,
        ErratumKind::SecretExpiry,
        ErratumKind::IncompleteList,
    ] {
        assert!(kinds.contains(&NoticeKind::Erratum(k)), "{k:?}");
    }
    assert!(c.step("add-missing-permissions").is_some());
    assert!(c
        .step("new-secret")
        .unwrap()
        .warning
        .as_ref()
        .unwrap()
        .plain()
        .contains("Never"));
    // The replacements say what they replace.
    let notes: Vec<String> = c
        .steps
        .iter()
        .flat_map(|s| &s.permissions)
        .filter_map(|p| p.note.clone())
        .collect();
    assert_eq!(
        notes
            .iter()
            .filter(|n| n.contains("Azure Active Directory Graph, which is retired"))
            .count(),
        8
    );
}

#[test]
fn redundant_grants_get_a_least_privilege_note_but_stay() {
    let c = build("nango-microsoft-excel-online");
    let note = c
        .notices
        .iter()
        .find(|n| n.kind == NoticeKind::LeastPrivilege)
        .expect("a note");
    assert!(note.text.contains(
        "Files.ReadWrite (Microsoft Graph, Delegated) is covered by Files.ReadWrite.All"
    ));
    assert!(c
        .keys()
        .iter()
        .any(|k| k.ends_with("/Delegated/Files.ReadWrite")));
}

#[test]
fn markdown_has_a_checkbox_per_step_and_permission() {
    let c = build("nango-microsoft-teams");
    let md = c.to_markdown();
    let boxes = md.matches("[ ]").count();
    assert_eq!(boxes, c.keys().len());
    assert!(md.contains("| Client Secret | App registration \\> Certificates & secrets \\> Client secrets \\> Value |"));
}

fn document(id: &str) -> Checklist {
    let i = catalog::by_id(id).unwrap();
    checklist::build_for(
        i,
        &Plan::new(i, &Options::default()),
        Cloud::Global,
        Medium::Document,
    )
}

/// Every piece of text a checklist shows, one string per piece.
fn all_text(c: &Checklist) -> Vec<String> {
    let mut out: Vec<String> = c.notices.iter().map(|n| n.text.clone()).collect();
    for s in &c.steps {
        out.push(s.text.plain());
        out.extend(s.details.iter().map(|d| d.plain()));
        out.extend(s.warning.iter().map(|w| w.plain()));
        out.extend(s.permissions.iter().filter_map(|p| p.note.clone()));
        out.extend(s.menu_path.clone());
    }
    out
}

#[test]
fn errata_name_the_switch_as_the_page_labels_it_and_the_flag_in_the_document() {
    let mut switches = 0;
    for i in catalog::ALL.iter() {
        let page = build(i.id);
        let doc = document(i.id);
        for c in [&page, &doc] {
            for text in all_text(c) {
                assert!(
                    !text.contains("Options::") && !text.contains("literal_"),
                    "{}: a code name in {text:?}",
                    i.id
                );
            }
        }
        for (n, e) in i.errata.iter().enumerate() {
            let Literal::Switch(switch, _) = e.literal else {
                continue;
            };
            switches += 1;
            let key = format!("erratum/{}/{n}", e.kind.key());
            let on_page = page.notices.iter().find(|x| x.key == key).unwrap();
            assert!(on_page.text.contains(switch.label()), "{}", on_page.text);
            // The notice carries that very switch on the page.
            assert_eq!(on_page.kind.switch(), Some(switch));
            let in_doc = doc.notices.iter().find(|x| x.key == key).unwrap();
            assert!(in_doc.text.contains(switch.cli_flag()), "{}", in_doc.text);
        }
    }
    assert_eq!(switches, 5, "Kinde, KODO, Novus and Cloud Elements (two)");
}

#[test]
fn user_read_may_be_removed_only_when_the_list_is_complete() {
    let may_remove = |c: &Checklist| {
        all_text(c)
            .iter()
            .any(|t| t.contains("User.Read") && t.contains("may remove it"))
    };
    // 19 of the guide's 20 Graph permissions are unknown: User.Read may be one of them.
    assert!(!may_remove(&build("cloud-elements-office-365")));
    assert!(may_remove(&build("kinde-microsoft-365")));
}

#[test]
fn cloud_elements_adds_the_redirect_uri_once_the_connector_shows_it() {
    // The guide: "the supported account types and redirect URI will be configured later".
    let c = build("cloud-elements-office-365");
    let registration = c.step("redirect-uri").unwrap().text.plain();
    assert!(
        registration.starts_with("Leave Redirect URI (optional) empty for now"),
        "{registration}"
    );
    let keys = step_keys(&c);
    let later = keys
        .iter()
        .position(|k| *k == "redirect-uri-later")
        .unwrap();
    assert!(keys.iter().position(|k| *k == "console").unwrap() < later);
    assert!(c.steps[later]
        .text
        .plain()
        .contains("OAuth callback URL of your Cloud Elements connector instance"));
}

#[test]
fn portal_paths_lead_with_the_current_entra_menu() {
    for i in catalog::ALL.iter() {
        let c = build(i.id);
        for s in &c.steps {
            if let Some(path) = s
                .menu_path
                .as_deref()
                .filter(|_| s.place == checklist::ENTRA)
            {
                assert!(
                    path.starts_with("Microsoft Entra admin center > Entra ID > App registrations"),
                    "{}: {path}",
                    i.id
                );
            }
        }
        let new = c.step("new-registration").unwrap();
        assert!(new
            .text
            .plain()
            .starts_with("Go to Entra ID > App registrations"));
        // The old menu follows, for tenants that still show it.
        assert!(new.details[0]
            .plain()
            .contains("Identity > Applications > App registrations"));
    }
}

#[test]
fn the_secret_step_keeps_the_guides_expiry_policy_advice() {
    // Kindo's guide: "Choose an expiration period that matches your organization's policy."
    let text = build("nango-microsoft-outlook")
        .step("new-secret")
        .unwrap()
        .text
        .plain();
    assert!(
        text.contains("an expiry that matches your organization's policy, such as 180 days"),
        "{text}"
    );
}

#[test]
fn kindo_checklists_carry_the_guides_troubleshooting_table() {
    for i in catalog::ALL.iter() {
        let c = build(i.id);
        let md = c.to_markdown();
        if i.id.starts_with("nango-") {
            assert_eq!(c.troubleshooting.len(), 5, "{}", i.id);
            assert!(md.contains("## Troubleshooting\n\n| Problem | What to check |"));
            assert!(md.contains("| Kindo reports Forbidden | The signed-in user may not have access to the Microsoft resource, admin consent may be missing, or the app may not have the required permission. |"));
        } else {
            assert!(c.troubleshooting.is_empty(), "{}", i.id);
            assert!(!md.contains("Troubleshooting"), "{}", i.id);
        }
    }
}

#[test]
fn a_covered_permission_says_what_leaving_it_out_would_do() {
    let c = build("nango-microsoft-entra-id");
    let covered: Vec<_> = c
        .steps
        .iter()
        .flat_map(|s| &s.permissions)
        .filter_map(|p| Some((p, p.note.as_deref()?)))
        .filter(|(_, n)| n.contains("Covered by"))
        .collect();
    assert!(covered.iter().any(|(p, _)| p.admin_consent_required));
    assert!(covered.iter().any(|(p, _)| !p.admin_consent_required));
    for (p, n) in covered {
        assert!(!n.contains("optional"), "{n}");
        // Delegated, as every covered one in this entry: asked for by name at sign-in.
        assert!(
            n.contains("by name, Microsoft asks for consent to it at that sign-in"),
            "{n}"
        );
        assert_eq!(
            n.contains("Need admin approval"),
            p.admin_consent_required,
            "{n}"
        );
    }
}

#[test]
fn the_optional_admin_consent_names_the_role_that_can_grant_it() {
    let c = build("kinde-microsoft-365");
    assert!(c
        .step("sign-in")
        .unwrap()
        .text
        .plain()
        .contains("an Application Developer"));
    let consent = c.step("grant-consent").unwrap();
    assert!(consent.text.plain().contains("To spare them the prompt"));
    assert!(consent.details.iter().any(|d| d
        .plain()
        .contains("needs at least a Cloud Application Administrator")));
}

#[test]
fn an_empty_name_asks_for_the_name_instead_of_entering_nothing() {
    let i = catalog::by_id("kinde-microsoft-365").unwrap();
    for name in ["", "   "] {
        let mut plan = Plan::new(i, &Options::default());
        plan.display_name = name.to_owned();
        for medium in [Medium::Page, Medium::Document] {
            let c = checklist::build_for(i, &plan, Cloud::Global, medium);
            for text in all_text(&c) {
                assert!(!text.contains("enter ."), "{text:?}");
                assert!(!text.contains(">  >") && !text.contains("> >"), "{text:?}");
            }
            let step = c.step("name").unwrap();
            assert!(step.text.plain().contains("enter the app's name"));
            assert!(step
                .warning
                .as_ref()
                .unwrap()
                .plain()
                .starts_with("The name is needed"));
        }
    }
}

#[test]
fn the_document_says_nothing_that_only_the_page_has() {
    for i in catalog::ALL.iter() {
        let md = document(i.id).to_markdown().replace('\\', "");
        for page_only in ["boxes below", "card below", "Turn on"] {
            assert!(!md.contains(page_only), "{}: {page_only:?}", i.id);
        }
    }
    // The page keeps them: its boxes and card are there.
    let page = build("kinde-microsoft-365");
    assert!(page
        .step("copy-ids")
        .unwrap()
        .text
        .plain()
        .ends_with("into the boxes below."));
}
