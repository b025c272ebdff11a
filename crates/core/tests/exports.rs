//! Exports as a user relies on them: files that parse, say what they need, and run.

mod scripts;
use scripts::{assert_valid_bash, run_with_fake_az, ScriptRun};

use std::collections::BTreeSet;

use entra_setup_core::catalog::{self, PermissionType};
use entra_setup_core::export::{self, Format};
use entra_setup_core::plan::{unique_name_for, Options, Plan, PlannedPermission, TOOL_TAG};
use entra_setup_core::values::Values;
use serde_json::Value;

fn plan(id: &str) -> Plan {
    Plan::new(catalog::by_id(id).unwrap(), &Options::default())
}

#[test]
fn novus_required_resource_access_parses_and_matches_the_guide() {
    let file = export::required_resource_access(&plan("novus-calendarsync")).unwrap();
    assert_eq!(file.filename, "requiredResourceAccess.json");
    assert!(file.notes.is_empty(), "{:?}", file.notes);
    let json: Value = serde_json::from_str(&file.content).expect("valid JSON");
    // The guide: Microsoft Graph (3) = Calendars.ReadWrite (Application), User.Read
    // (Delegated), User.Read.All (Application). GUIDs per Microsoft Graph's permissions
    // reference (graph-facts.md §11): Role for application, Scope for delegated.
    let expected: BTreeSet<(String, String)> = [
        ("ef54d2bf-783f-4e0f-bca1-3210c0444d99", "Role"),
        ("e1fe6dd8-ba31-4d61-89e7-88639da4683d", "Scope"),
        ("df021288-bdef-4463-88db-98f22de89214", "Role"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    let apis = json
        .as_array()
        .expect("an array, as az ad app create takes it");
    assert_eq!(apis.len(), 1);
    assert_eq!(
        apis[0]["resourceAppId"],
        "00000003-0000-0000-c000-000000000000"
    );
    let got: BTreeSet<(String, String)> = apis[0]["resourceAccess"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_owned(),
                a["type"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(got, expected);
}

#[test]
fn required_resource_access_groups_by_api_and_flags_unresolved_ids() {
    let p = plan("nango-microsoft-defender");
    let file = export::required_resource_access(&p).unwrap();
    let json: Value = serde_json::from_str(&file.content).unwrap();
    let ids: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["resourceAppId"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "00000003-0000-0000-c000-000000000000",
            "8ee8fdad-f234-4243-8f3b-15c294843740",
            "fc780465-2017-40d4-a0c5-307022471b92"
        ]
    );
    let total: usize = json
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["resourceAccess"].as_array().unwrap().len())
        .sum();
    assert_eq!(total, p.permissions.len());
    // An ID not backed by the reference files is never guessed: it is a loud placeholder
    // that tells how to find it, and the notes say so.
    let placeholders = file.content.matches("RESOLVE FROM TENANT").count();
    assert_eq!(placeholders, 7);
    assert_eq!(file.notes.len(), 7);
    assert!(file
        .notes
        .iter()
        .any(|n| n.contains("Machine.Isolate") && n.contains("az ad sp show --id fc780465")));
}

#[test]
fn graph_requests_follow_the_create_then_consent_order() {
    let requests = export::graph_requests(&plan("kodo-for-cloud")).unwrap();
    let kinds: Vec<String> = requests
        .iter()
        .map(|r| format!("{} {}", r.method, r.url.split('?').next().unwrap()))
        .collect();
    let pos = |needle: &str| {
        kinds
            .iter()
            .position(|k| k.contains(needle))
            .unwrap_or_else(|| panic!("{needle} missing: {kinds:#?}"))
    };
    // The app is upserted by its unique name, never looked up by display name; its IDs are
    // read back by the same key before anything needs them.
    let upsert = "PATCH https://graph.microsoft.com/v1.0/applications(uniqueName='entra-setup-assistant-kodo-for-cloud')";
    let read_ids = "GET https://graph.microsoft.com/v1.0/applications(uniqueName='entra-setup-assistant-kodo-for-cloud')";
    assert!(pos("GET https://graph.microsoft.com/v1.0/servicePrincipals(appId=") < pos(upsert));
    assert!(pos(upsert) < pos(read_ids));
    assert!(pos(read_ids) < pos("/addPassword"));
    assert_eq!(
        requests[pos(upsert)].headers,
        [("Prefer", "create-if-missing")]
    );
    assert!(requests[pos(read_ids)].url.ends_with("?$select=id,appId"));
    assert!(
        requests
            .iter()
            .all(|r| !r.url.contains("$filter=displayName") && !r.url.ends_with("/applications")),
        "{kinds:#?}"
    );
    assert!(pos("/addPassword") < pos("POST https://graph.microsoft.com/v1.0/servicePrincipals"));
    assert!(
        pos("POST https://graph.microsoft.com/v1.0/servicePrincipals")
            < pos("oauth2PermissionGrants")
    );
    // KODO: 12 application permissions after the AAD Graph mapping, each an appRoleAssignedTo.
    let p = plan("kodo-for-cloud");
    let app_roles = p
        .permissions
        .iter()
        .filter(|p| p.kind == PermissionType::Application)
        .count();
    assert_eq!(
        requests
            .iter()
            .filter(|r| r.url.ends_with("/appRoleAssignedTo"))
            .count(),
        app_roles
    );
    // Every body is JSON; the delegated grant carries space-separated values, not GUIDs.
    for r in &requests {
        if let Some(body) = &r.body {
            let v: Value =
                serde_json::from_str(body).unwrap_or_else(|e| panic!("{}: {e}", r.title));
            if r.url.ends_with("/oauth2PermissionGrants") {
                assert_eq!(v["consentType"], "AllPrincipals");
                assert!(
                    !v["scope"].as_str().unwrap().contains('-'),
                    "{}",
                    v["scope"]
                );
            }
        }
    }
    // Azure AD Graph never appears.
    assert!(requests.iter().all(|r| !r
        .body
        .clone()
        .unwrap_or_default()
        .contains("00000002-0000-0000-c000-000000000000")));
}

#[test]
fn graph_requests_file_is_an_http_file_with_numbered_requests() {
    let file = export::graph_requests_file(&plan("nango-microsoft-teams")).unwrap();
    assert!(file.filename.ends_with(".http"));
    assert!(file
        .content
        .contains("### 1. Find the Microsoft Graph service principal"));
    // The upsert, with the header that makes it create a missing app, and how to read its
    // two answers.
    assert!(file.content.contains(
        "PATCH https://graph.microsoft.com/v1.0/applications(uniqueName='entra-setup-assistant-nango-microsoft-teams')\nPrefer: create-if-missing\nContent-Type: application/json\n\n{"
    ));
    assert!(file.content.contains("# 201 Created: the app is new"));
    assert!(file.content.contains("204 No Content"));
    assert!(file.content.contains(
        "GET https://graph.microsoft.com/v1.0/applications(uniqueName='entra-setup-assistant-nango-microsoft-teams')?$select=id,appId\n"
    ));
    // Requests stay numbered in order.
    let numbers: Vec<usize> = file
        .content
        .lines()
        .filter_map(|l| l.strip_prefix("### ")?.split('.').next()?.parse().ok())
        .collect();
    assert_eq!(numbers, (1..=numbers.len()).collect::<Vec<_>>());
    // A pasted redirect URI replaces the vendor's pattern in the body.
    let mut p = plan("nango-microsoft-teams");
    assert!(file
        .content
        .contains("https://<your Nango host>/oauth/callback"));
    p.redirect_uri = Some("https://api.nango.dev/oauth/callback".into());
    assert!(export::graph_requests_file(&p)
        .unwrap()
        .content
        .contains("\"https://api.nango.dev/oauth/callback\""));
}

#[test]
fn the_az_cli_script_grants_through_graph_and_resolves_what_it_must() {
    let file = export::az_cli(&plan("nango-microsoft-defender")).unwrap();
    let s = &file.content;
    assert!(s.starts_with("#!/usr/bin/env bash\n"));
    assert!(
        !s.contains("az ad app permission admin-consent --id"),
        "must not use the broken command"
    );
    assert!(s.contains("/oauth2PermissionGrants"));
    for value in [
        "Machine.CollectForensics",
        "Machine.Isolate",
        "Machine.StopAndQuarantine",
    ] {
        assert!(
            s.contains(&format!(
                "permission_id \"$SP_WINDOWSDEFENDERATP\" Scope '{value}'"
            )),
            "{value}"
        );
    }
    // Known GUIDs are written in; resolved ones are substituted into the body.
    assert!(s.contains("e1fe6dd8-ba31-4d61-89e7-88639da4683d"));
    assert!(s.contains("APP_BODY=${APP_BODY//@@ID_7@@/\"$ID_7\"}"));
    assert!(file.notes.iter().all(|n| n.contains("looks it up")));
    // The app is found by its unique name, never by display name (admins rename apps).
    assert!(s.contains("UNIQUE_NAME='entra-setup-assistant-nango-microsoft-defender'\n"));
    assert!(s.contains("finds the app by its unique name"));
    assert!(!s.contains("displayName%20eq"), "no lookup by display name");

    let novus = export::az_cli(&plan("novus-calendarsync")).unwrap().content;
    assert!(novus.contains("grant_app_role \"$SP_MICROSOFT_GRAPH\" 'ef54d2bf-783f-4e0f-bca1-3210c0444d99' 'Calendars.ReadWrite'"));
    assert!(novus.contains("grant_delegated \"$SP_MICROSOFT_GRAPH\" 'User.Read'"));
    assert!(novus.contains("Privileged Role Administrator"));
    // No redirect URI for an app-only integration.
    assert!(!novus.contains("REDIRECT_URI"));
}

#[test]
fn every_az_cli_script_is_valid_bash() {
    for i in catalog::ALL.iter() {
        let file = export::az_cli(&Plan::new(i, &Options::default())).unwrap();
        // The unique name goes into the URL's OData key literal as is: it must need no
        // quoting there.
        let unique = unique_name_for(i.id);
        assert!(
            unique
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{unique}"
        );
        assert!(
            file.content.contains(&format!("UNIQUE_NAME='{unique}'\n")),
            "{}",
            i.id
        );
        assert_valid_bash(&file.content, i.id);
    }
}

#[test]
fn values_card_is_keyed_as_the_console_names_the_fields() {
    let integration = catalog::by_id("nango-microsoft-fabric").unwrap();
    let p = Plan::new(integration, &Options::default());
    let mut v = Values {
        client_id: "11111111-2222-3333-4444-555555555555".into(),
        tenant_id: "66666666-7777-8888-9999-000000000000".into(),
        secret_value: "abc~DEF.ghi_jkl-MNO1234567890pqrstuvwxyz".into(),
        secret_expires: "2026-12-31".into(),
        ..Values::default()
    };
    v.set_extra(
        "sql_endpoint_host",
        "foo.datawarehouse.fabric.microsoft.com,1433",
    );
    v.set_extra("lakehouse_database", "sales lake");

    let json: Value =
        serde_json::from_str(&export::values_json(integration, &p, &v).unwrap().content).unwrap();
    let keys: Vec<&String> = json.as_object().unwrap().keys().collect();
    assert_eq!(keys.len(), 6);
    assert_eq!(json["Tenant ID"], "66666666-7777-8888-9999-000000000000");
    assert_eq!(
        json["SQL Endpoint Host"],
        "foo.datawarehouse.fabric.microsoft.com,1433"
    );
    assert_eq!(json["Lakehouse Database"], "sales lake");
    assert_eq!(
        json["Client Secret"],
        "abc~DEF.ghi_jkl-MNO1234567890pqrstuvwxyz"
    );
    assert_eq!(json["Secret expires"], "2026-12-31");

    let env = export::values_env(integration, &p, &v).unwrap().content;
    let lines: Vec<&str> = env.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        lines,
        [
            "TENANT_ID=66666666-7777-8888-9999-000000000000",
            "SQL_ENDPOINT_HOST=foo.datawarehouse.fabric.microsoft.com,1433",
            "LAKEHOUSE_DATABASE=\"sales lake\"",
            "CLIENT_ID=11111111-2222-3333-4444-555555555555",
            "CLIENT_SECRET=abc~DEF.ghi_jkl-MNO1234567890pqrstuvwxyz",
            "SECRET_EXPIRES=2026-12-31",
        ]
    );
}

#[test]
fn values_card_includes_the_redirect_uri_for_apps_with_one() {
    let integration = catalog::by_id("cloud-elements-office-365").unwrap();
    let p = Plan::new(integration, &Options::default());
    let v = Values {
        client_id: "x".into(),
        redirect_uri: "https://example.com/cb".into(),
        ..Values::default()
    };
    let json: Value =
        serde_json::from_str(&export::values_json(integration, &p, &v).unwrap().content).unwrap();
    assert_eq!(json["API key"], "x");
    assert_eq!(json["Redirect URI"], "https://example.com/cb");
}

#[test]
fn custom_permissions_reach_the_exports() {
    let mut p = plan("custom");
    p.add_permission(PlannedPermission::custom(
        "00000003-0000-0000-c000-000000000000",
        "",
        "Calendars.Read",
        PermissionType::Delegated,
        false,
    ));
    p.add_permission(PlannedPermission::custom(
        "00000003-0000-0000-c000-000000000000",
        "",
        "Mail.Read",
        PermissionType::Delegated,
        false,
    ));
    p.add_permission(PlannedPermission::custom(
        "12345678-1234-1234-1234-123456789abc",
        "Contoso API",
        "Widgets.Read",
        PermissionType::Application,
        false,
    ));
    // Known to the catalog (Outlook Calendar lists it): GUID and API name filled in.
    assert_eq!(
        p.permissions[0].id.as_deref(),
        Some("465a38f9-76ea-45b9-9f34-9e8b0d4b0b42")
    );
    assert_eq!(p.permissions[0].api_name, "Microsoft Graph");
    // Not in the catalog as Delegated (only KODO's Application form is): resolved.
    assert_eq!(p.permissions[1].id, None);
    assert!(
        p.permissions[2].admin_consent_required,
        "application permissions always need admin consent"
    );
    let json: Value =
        serde_json::from_str(&export::required_resource_access(&p).unwrap().content).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(
        json[1]["resourceAppId"],
        "12345678-1234-1234-1234-123456789abc"
    );
    assert_eq!(json[1]["resourceAccess"][0]["type"], "Role");
    let script = export::az_cli(&p).unwrap().content;
    assert!(script.contains("permission_id \"$SP_MICROSOFT_GRAPH\" Scope 'Mail.Read'"));
    assert!(script.contains("permission_id \"$SP_CONTOSO_API\" Role 'Widgets.Read'"));
    assert!(script.contains(
        "SP_CONTOSO_API=$(resource_sp '12345678-1234-1234-1234-123456789abc')  # Contoso API\n"
    ));
}

#[test]
fn format_names_round_trip() {
    for f in Format::ALL {
        assert_eq!(Format::parse(f.name()), Some(f));
    }
    assert_eq!(Format::parse("yaml"), None);
}

/// Runs a script that must succeed: (stdout, call log).
fn run_script_with_fake_az(script: &str, env: &[(&str, &str)]) -> (String, String) {
    let run = run_with_fake_az(script, env);
    assert!(
        run.ok,
        "script failed: {}\ncalls:\n{}",
        run.stderr, run.calls
    );
    (run.stdout, run.calls)
}

fn rand_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// The lines the fake logged for the first `method` call to a URL ending in `url_suffix`:
/// `BODY ...` (if any), then `HEADER ...` lines.
fn call_details<'a>(calls: &'a str, method: &str, url_suffix: &str) -> Vec<&'a str> {
    let prefix = format!("{method} ");
    let mut lines = calls.lines();
    while let Some(line) = lines.next() {
        if line.starts_with(&prefix) && line.ends_with(url_suffix) {
            return lines
                .take_while(|l| l.starts_with("BODY ") || l.starts_with("HEADER "))
                .collect();
        }
    }
    panic!("no {method} to {url_suffix} in\n{calls}");
}

fn sent_body(calls: &str, method: &str, url_suffix: &str) -> Value {
    let details = call_details(calls, method, url_suffix);
    let body = details
        .first()
        .and_then(|l| l.strip_prefix("BODY "))
        .expect("a body follows");
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn posted_body(calls: &str, url_suffix: &str) -> Value {
    sent_body(calls, "POST", url_suffix)
}

/// The body of the app upsert, `PATCH .../applications(uniqueName='<unique name>')`.
fn upserted_app(calls: &str, integration_id: &str) -> Value {
    sent_body(
        calls,
        "PATCH",
        &format!(
            "/v1.0/applications(uniqueName='{}')",
            unique_name_for(integration_id)
        ),
    )
}

fn sent_headers<'a>(calls: &'a str, method: &str, url_suffix: &str) -> Vec<&'a str> {
    call_details(calls, method, url_suffix)
        .into_iter()
        .filter_map(|l| l.strip_prefix("HEADER "))
        .collect()
}

/// Whether the script changed anything in the tenant.
fn wrote_anything(calls: &str) -> bool {
    calls.lines().any(|l| {
        ["POST ", "PATCH ", "PUT ", "DELETE "]
            .iter()
            .any(|m| l.starts_with(m))
    })
}

#[test]
fn the_defender_script_runs_end_to_end_against_a_fake_az() {
    let script = export::az_cli(&plan("nango-microsoft-defender"))
        .unwrap()
        .content;
    let (stdout, calls) = run_script_with_fake_az(
        &script,
        &[("REDIRECT_URI", "https://api.nango.dev/oauth/callback")],
    );
    // The app went out as one upsert keyed by its unique name (the header makes Graph
    // create it when missing), never found by display name.
    let unique = unique_name_for("nango-microsoft-defender");
    assert!(
        sent_headers(&calls, "PATCH", &format!("(uniqueName='{unique}')"))
            .contains(&"Prefer=create-if-missing"),
        "{calls}"
    );
    assert!(!calls.contains("$filter=displayName"), "{calls}");
    assert!(
        !calls.lines().any(|l| l.ends_with("/v1.0/applications")),
        "{calls}"
    );
    assert!(
        stdout.contains(&format!("(unique name {unique})")),
        "{stdout}"
    );
    assert!(stdout.contains("  created\n"), "{stdout}");
    // The body is JSON with the redirect URI and the resolved GUIDs filled in, tagged as
    // this tool's.
    let app = upserted_app(&calls, "nango-microsoft-defender");
    assert_eq!(
        app["tags"],
        serde_json::json!([TOOL_TAG, format!("{TOOL_TAG}:nango-microsoft-defender")])
    );
    assert_eq!(
        app["web"]["redirectUris"][0],
        "https://api.nango.dev/oauth/callback"
    );
    let text = app.to_string();
    assert!(!text.contains("@@"), "{text}");
    assert!(text.contains("resolved-Machine.Isolate"));
    // Consent through Graph: one delegated grant per resource API, for the app's own SP.
    let grants = calls
        .lines()
        .filter(|l| l.starts_with("POST ") && l.ends_with("/oauth2PermissionGrants"))
        .count();
    assert_eq!(grants, 3);
    let graph_grant = posted_body(&calls, "/oauth2PermissionGrants");
    assert_eq!(graph_grant["clientId"], "client-sp-1");
    assert_eq!(graph_grant["consentType"], "AllPrincipals");
    assert!(graph_grant["scope"]
        .as_str()
        .unwrap()
        .split(' ')
        .any(|s| s == "SecurityEvents.ReadWrite.All"));
    // The secret expires within the portal's limit, and its Value is printed once.
    let secret = posted_body(&calls, "/addPassword");
    assert!(secret["passwordCredential"]["endDateTime"]
        .as_str()
        .unwrap()
        .ends_with('Z'));
    assert!(stdout.contains("Client ID: app-id-1"), "{stdout}");
    assert!(stdout.contains("secret-value-xyz"));
    assert!(stdout.contains("Tenant ID: tttttttt-0000-0000-0000-000000000000"));
}

#[test]
fn the_novus_script_assigns_app_roles_and_refuses_a_placeholder_redirect() {
    let (_, calls) = run_script_with_fake_az(
        &export::az_cli(&plan("novus-calendarsync")).unwrap().content,
        &[],
    );
    let roles: Vec<String> = calls
        .lines()
        .collect::<Vec<_>>()
        .windows(2)
        .filter(|w| w[0].ends_with("/appRoleAssignedTo"))
        .map(|w| {
            serde_json::from_str::<Value>(w[1].strip_prefix("BODY ").unwrap()).unwrap()["appRoleId"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        roles,
        [
            "ef54d2bf-783f-4e0f-bca1-3210c0444d99",
            "df021288-bdef-4463-88db-98f22de89214"
        ]
    );

    // Kinde's callback has a placeholder: the script stops before changing the tenant.
    let script = export::az_cli(&plan("kinde-microsoft-365"))
        .unwrap()
        .content;
    let ScriptRun {
        ok, stderr, calls, ..
    } = run_with_fake_az(&script, &[]);
    assert!(!ok);
    assert!(stderr.contains("set REDIRECT_URI"), "{stderr}");
    assert!(!wrote_anything(&calls), "{calls}");
    // Given the real callback, it goes through.
    let (_, calls) = run_script_with_fake_az(
        &script,
        &[(
            "REDIRECT_URI",
            "https://app.example.com/connected_apps/callback",
        )],
    );
    assert_eq!(
        upserted_app(&calls, "kinde-microsoft-365")["signInAudience"],
        "AzureADandPersonalMicrosoftAccount"
    );
}

#[test]
fn a_rerun_after_a_rename_updates_the_same_app() {
    // The admin renamed the app in the portal, or in the plan: the script still targets
    // the app by its unique name, updates it (Graph: 204, no body) and reads its IDs
    // back by the same key.
    let mut p = plan("novus-calendarsync");
    p.display_name = "Calendar sync (renamed)".into();
    let (stdout, calls) = run_script_with_fake_az(
        &export::az_cli(&p).unwrap().content,
        &[("FAKE_AZ_APP_EXISTS", "1")],
    );
    let app = upserted_app(&calls, "novus-calendarsync");
    assert_eq!(app["displayName"], "Calendar sync (renamed)");
    assert!(stdout.contains("  updated the existing one\n"), "{stdout}");
    let unique = unique_name_for("novus-calendarsync");
    let reads = calls
        .lines()
        .filter(|l| {
            l.starts_with("GET ")
                && l.ends_with(&format!(
                    "/applications(uniqueName='{unique}')?$select=id,appId"
                ))
        })
        .count();
    assert_eq!(reads, 2, "id and appId: {calls}");
    // The IDs read back are the ones used: the secret goes on that app, the values card
    // shows its client ID.
    assert!(
        calls.contains("POST https://graph.microsoft.com/v1.0/applications/app-obj-1/addPassword")
    );
    assert!(stdout.contains("app-id-1"), "{stdout}");
    assert!(!calls.contains("$filter=displayName"), "{calls}");
}

// ---- Exports that cannot be turned into commands -------------------------------------

/// A fresh directory for a marker file the hostile inputs try to create.
fn marker_dir(name: &str) -> std::path::PathBuf {
    // Short: the path goes into display names, which may have 120 characters.
    let dir = std::env::temp_dir().join(format!(
        "esa-{name}-{}-{}",
        std::process::id(),
        rand_suffix() % 1_000_000
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Inputs that try every way out of a quoted word, a comment or a line: command
/// substitution, backticks, quotes of both kinds, `;`, `#`, line breaks, a bare CR, and a
/// `JSON` line that would end the script's here-document. Each tries to `touch` `marker`.
fn hostile_strings(marker: &std::path::Path) -> Vec<String> {
    let m = marker.display();
    vec![
        format!("$(touch {m})"),
        format!("`touch {m}`"),
        format!("x'; touch {m}; echo '"),
        format!("x\"; touch {m}; echo \""),
        format!("x\ntouch {m}\n# "),
        format!("x\r\ntouch {m};\r"),
        format!("x\nJSON\n)\ntouch {m}\nX=$(cat <<'JSON'\n"),
        format!("# ; touch {m} # \\ '\\'' \\\" $HOME ${{IFS}} & | > x"),
    ]
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).unwrap()
}

/// The call log without what differs between two runs: the secret's expiry (from `date`).
fn stable(calls: &str) -> String {
    const KEY: &str = "\"endDateTime\": \"";
    let mut out = String::new();
    let mut rest = calls;
    while let Some(at) = rest.find(KEY) {
        let start = at + KEY.len();
        let end = start + rest[start..].find('"').unwrap();
        out.push_str(&rest[..start]);
        out.push_str("<date>");
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn hostile_display_names_stay_data_in_every_export() {
    let dir = marker_dir("dn");
    let marker = dir.join("p");
    let benign_name = "Benign display name";
    let mut benign = plan("novus-calendarsync");
    benign.display_name = benign_name.into();
    let (_, benign_calls) = run_script_with_fake_az(&export::az_cli(&benign).unwrap().content, &[]);
    let benign_http = export::graph_requests_file(&benign).unwrap().content;
    let integration = catalog::by_id("novus-calendarsync").unwrap();
    let benign_env = export::values_env(integration, &benign, &Values::default())
        .unwrap()
        .content;
    for name in hostile_strings(&marker) {
        let mut p = plan("novus-calendarsync");
        p.display_name = name.clone();
        let script = export::az_cli(&p).unwrap().content;
        let ScriptRun {
            ok,
            stdout,
            stderr,
            calls,
        } = run_with_fake_az(&script, &[]);
        assert!(ok, "{name:?}: {stderr}\n{script}");
        assert!(!marker.exists(), "{name:?} ran a command:\n{script}");
        // The fake az got exactly what it gets for a plain name, the name aside: the same
        // calls, with the hostile name verbatim as the body's displayName.
        assert_eq!(
            stable(&calls),
            stable(&benign_calls).replace(&json_str(benign_name), &json_str(&name)),
            "{name:?}"
        );
        assert_eq!(
            upserted_app(&calls, "novus-calendarsync")["displayName"],
            name
        );
        assert!(!stdout.is_empty());
        // Comment lines keep to one line: same layout as for the plain name.
        let line_count = |s: &str| s.split('\n').count();
        let http = export::graph_requests_file(&p).unwrap().content;
        assert_eq!(
            line_count(&http),
            line_count(&benign_http),
            "{name:?}\n{http}"
        );
        assert!(!http.contains('\r'), "{name:?}");
        assert!(
            http.lines().all(|l| !l.starts_with("touch")),
            "{name:?}\n{http}"
        );
        let env = export::values_env(integration, &p, &Values::default())
            .unwrap()
            .content;
        assert_eq!(line_count(&env), line_count(&benign_env), "{name:?}\n{env}");
        assert!(!env.contains('\r'));
        let ics = export::secret_reminder_ics(
            integration,
            &name,
            &name,
            "t",
            1_800_000_000_000,
            1_700_000_000_000,
        )
        .content;
        assert!(
            ics.split("\r\n")
                .all(|l| !l.contains('\n') && !l.contains('\r')),
            "{name:?}\n{ics}"
        );
        assert!(ics.split("\r\n").all(|l| !l.starts_with("touch")), "{ics}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn hostile_api_names_stay_in_their_comments() {
    let dir = marker_dir("api");
    let marker = dir.join("p");
    // A custom API with a permission resolved from the tenant, so its name is written in
    // the script's comments (the resource line and the "looked up" list) and the .http titles.
    let with_api = |api_name: &str| {
        let mut p = plan("custom");
        p.add_permission(PlannedPermission::custom(
            "12345678-1234-1234-1234-123456789abc",
            api_name,
            "Widgets.Read",
            PermissionType::Delegated,
            false,
        ));
        p.add_permission(PlannedPermission::custom(
            "12345678-1234-1234-1234-123456789abd",
            api_name,
            "Gadgets.Read",
            PermissionType::Application,
            false,
        ));
        p
    };
    let benign = with_api("Contoso API");
    assert!(benign.unresolved().count() == 2);
    let (_, benign_calls) = run_script_with_fake_az(&export::az_cli(&benign).unwrap().content, &[]);
    let benign_http = export::graph_requests_file(&benign).unwrap().content;
    for name in hostile_strings(&marker) {
        let p = with_api(&name);
        let file = export::az_cli(&p).unwrap();
        let ScriptRun {
            ok, stderr, calls, ..
        } = run_with_fake_az(&file.content, &[]);
        assert!(ok, "{name:?}: {stderr}\n{}", file.content);
        assert!(
            !marker.exists(),
            "{name:?} ran a command:\n{}",
            file.content
        );
        // The API name is never sent: the calls are exactly the plain name's.
        assert_eq!(stable(&calls), stable(&benign_calls), "{name:?}");
        // Two APIs of one name still get a service principal each.
        assert_eq!(
            calls
                .matches("/servicePrincipals?$filter=appId%20eq%20'1234")
                .count(),
            2,
            "{calls}"
        );
        let http = export::graph_requests_file(&p).unwrap();
        assert_eq!(
            http.content.split('\n').count(),
            benign_http.split('\n').count(),
            "{name:?}\n{}",
            http.content
        );
        assert!(!http.content.contains('\r'));
        for r in export::graph_requests(&p).unwrap() {
            assert!(!r.title.chars().any(char::is_control), "{:?}", r.title);
            assert!(!r.note.unwrap_or_default().chars().any(char::is_control));
        }
        // Notes are printed to a terminal by the CLI: one line each, no escapes.
        for note in file.notes.iter().chain(&http.notes) {
            assert!(!note.chars().any(char::is_control), "{note:?}");
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn hostile_redirect_uris_are_data_or_refused_before_any_write() {
    let dir = marker_dir("uri");
    let marker = dir.join("p");
    let m = marker.display();
    // No character the script refuses in a redirect URI: it goes to Graph verbatim.
    let data = [
        format!("https://app.example/cb?a=$(touch${{IFS}}{m})&b=`touch${{IFS}}{m}`"),
        format!("https://app.example/cb?x=';touch${{IFS}}{m};'#frag"),
        format!("https://app.example/cb?x=1;touch${{IFS}}{m}&y=$HOME&z=@@REDIRECT_URI@@"),
    ];
    for uri in &data {
        let mut p = plan("nango-microsoft-teams");
        p.redirect_uri = Some(uri.clone());
        let script = export::az_cli(&p).unwrap().content;
        // As the default, and as the REDIRECT_URI override the script takes.
        for env in [vec![], vec![("REDIRECT_URI", uri.as_str())]] {
            let ScriptRun {
                ok,
                stdout,
                stderr,
                calls,
            } = run_with_fake_az(&script, &env);
            assert!(ok, "{uri}: {stderr}");
            assert!(!marker.exists(), "{uri} ran a command");
            let app = upserted_app(&calls, "nango-microsoft-teams");
            assert_eq!(
                app["web"]["redirectUris"],
                serde_json::json!([uri]),
                "{uri}"
            );
            assert!(stdout.contains(&format!(": {uri}\n")), "{stdout}");
        }
    }
    // Quotes, backslashes, spaces and line breaks cannot be in a redirect URI: the script
    // stops before it changes anything.
    let refused = [
        format!("https://app.example/cb\"; touch {m}; echo \""),
        format!("https://app.example/cb\ntouch${{IFS}}{m}"),
        format!("https://app.example/cb\r;touch${{IFS}}{m}"),
        format!("https://app.example/cb\\\";touch${{IFS}}{m}"),
    ];
    for uri in &refused {
        let mut p = plan("nango-microsoft-teams");
        p.redirect_uri = Some(uri.clone());
        let script = export::az_cli(&p).unwrap().content;
        for env in [vec![], vec![("REDIRECT_URI", uri.as_str())]] {
            let ScriptRun {
                ok, stderr, calls, ..
            } = run_with_fake_az(&script, &env);
            assert!(!ok, "{uri:?} was accepted");
            assert!(
                stderr.contains("REDIRECT_URI contains a character"),
                "{uri:?}: {stderr}"
            );
            assert!(!wrote_anything(&calls), "{uri:?}: {calls}");
            assert!(!marker.exists(), "{uri:?} ran a command");
        }
        // In the .http file it is a JSON string on its body line.
        let http = export::graph_requests_file(&p).unwrap().content;
        assert!(
            !http.contains('\r') && http.contains(&json_str(uri)),
            "{http}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn no_export_while_the_plan_has_errors() {
    let integration = catalog::by_id("custom").unwrap();
    let every = |p: &Plan| {
        [
            export::required_resource_access(p).err(),
            export::az_cli(p).err(),
            export::graph_requests_file(p).err(),
            export::graph_requests(p).err(),
            export::values_env(integration, p, &Values::default()).err(),
            export::values_json(integration, p, &Values::default()).err(),
        ]
    };
    let with = |api_app_id: &str, value: &str, id: Option<&str>| {
        let mut p = plan("custom");
        let mut perm = PlannedPermission::custom(
            api_app_id,
            "Contoso API",
            value,
            PermissionType::Application,
            false,
        );
        perm.id = id.map(|id| id.to_owned().into());
        p.add_permission(perm);
        p
    };
    let app = "12345678-1234-1234-1234-123456789abc";
    let cases = [
        (
            with(app, "Widgets.Read", Some("x'; touch /tmp/x; '")),
            "permission-id",
        ),
        (
            with(
                app,
                "Widgets.Read",
                Some("{12345678-1234-1234-1234-123456789abc}"),
            ),
            "permission-id",
        ),
        (with(app, "Widgets.Read'$(id)", None), "permission-value"),
        (with(app, "Widgets\nRead", None), "permission-value"),
        (
            with(
                "12345678-1234-1234-1234-123456789abc' #",
                "Widgets.Read",
                None,
            ),
            "api-app-id",
        ),
    ];
    for (p, code) in &cases {
        for result in every(p) {
            match result {
                Some(export::ExportError::PlanHasErrors(findings)) => {
                    assert!(
                        findings.iter().any(|f| f.code.as_str() == *code),
                        "{code}: {findings:?}"
                    );
                    assert!(findings
                        .iter()
                        .all(|f| f.severity == entra_setup_core::validate::Severity::Error));
                }
                other => panic!("{code}: {other:?}"),
            }
        }
    }
    // The message says what to fix, on one line.
    let e = export::az_cli(&cases[2].0).unwrap_err().to_string();
    assert!(
        e.starts_with(
            "No files until the plan is fixed: \"Widgets.Read'$(id)\" is not a permission name"
        ),
        "{e}"
    );
    let e = export::az_cli(&cases[3].0).unwrap_err().to_string();
    assert!(!e.contains('\n'), "{e}");
    // An empty name is an error of the plan too.
    let mut p = plan("novus-calendarsync");
    p.display_name = "  ".into();
    assert!(matches!(
        export::az_cli(&p),
        Err(export::ExportError::PlanHasErrors(_))
    ));
    // A plan for an integration this version does not have.
    let mut p = plan("novus-calendarsync");
    p.integration_id = "novus-calendarsync'; touch x".into();
    assert_eq!(
        export::az_cli(&p).unwrap_err(),
        export::ExportError::UnknownIntegration("novus-calendarsync'; touch x".into())
    );
    // A valid GUID goes through.
    assert!(export::az_cli(&with(app, "Widgets.Read", Some(app))).is_ok());
}

/// FNV-1a, 64 bits: a stable digest of an export for the snapshot table.
fn fnv64(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Every export of every catalog integration's default plan, as digests in
/// `tests/snapshots/exports.txt`: a change to any byte of any of them fails here, so it is
/// made on purpose (`UPDATE_SNAPSHOTS=1 cargo test -p entra-setup-core --test exports`
/// rewrites the table; review its diff). Last deliberate change: issue 12 single-quoted the
/// API app IDs (`resource_sp '…'`) and permission values (`permission_id … '…'`) in the az
/// CLI scripts; nothing else changed.
#[test]
fn default_exports_match_their_snapshot() {
    use entra_setup_core::cloud::Cloud;
    let values = Values {
        client_id: "11111111-2222-3333-4444-555555555555".into(),
        tenant_id: "66666666-7777-8888-9999-000000000000".into(),
        secret_value: "abc~DEF.ghi_jkl-MNO1234567890pqrstuvwxyz".into(),
        secret_expires: "2026-12-31".into(),
        ..Values::default()
    };
    let mut table = String::new();
    for i in catalog::ALL {
        let p = Plan::new(i, &Options::default());
        let mut files = vec![
            (
                "required-resource-access",
                export::required_resource_access(&p).unwrap(),
            ),
            ("env", export::values_env(i, &p, &values).unwrap()),
            ("json", export::values_json(i, &p, &values).unwrap()),
        ];
        for cloud in Cloud::ALL {
            files.push((cloud.name(), export::az_cli_in(&p, cloud).unwrap()));
            files.push((
                cloud.name(),
                export::graph_requests_file_in(&p, cloud).unwrap(),
            ));
        }
        for (what, f) in files {
            let notes = f.notes.join("\n");
            table.push_str(&format!(
                "{} {what} {} {:016x} {:016x}\n",
                i.id,
                f.filename,
                fnv64(&f.content),
                fnv64(&notes)
            ));
        }
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots/exports.txt");
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &table).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    let changed: Vec<&str> = table
        .lines()
        .filter(|l| !expected.lines().any(|e| e == *l))
        .collect();
    assert!(
        changed.is_empty() && table == expected,
        "exports changed (UPDATE_SNAPSHOTS=1 to accept):\n{}",
        changed.join("\n")
    );
}
