//! The checklist in the portal's words, with keys the UI can keep across reloads.

use std::collections::HashSet;

use entra_setup_core::catalog::{self, ErratumKind, PermissionType};
use entra_setup_core::checklist::{self, Checklist, NoticeKind};
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
        "Microsoft Entra admin center > Identity > Applications > App registrations > New registration",
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
