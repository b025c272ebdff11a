//! Tenant health over snapshots shaped like Graph's answers: which registrations serve an
//! integration, and what is wrong with each.

use entra_setup_core::catalog::{self, PermissionType};
use entra_setup_core::health::{self, Problem, Recognition, RedirectState, Row, SecretState};
use entra_setup_core::plan::{tags_for, unique_name_for, Options, Plan};
use entra_setup_core::time::parse_rfc3339_ms;
use serde_json::{json, Value};

const NOW: &str = "2026-12-01T00:00:00Z";
const GRAPH: &str = "00000003-0000-0000-c000-000000000000";
const AAD_GRAPH: &str = "00000002-0000-0000-c000-000000000000";
/// A stand-in GUID for an Azure AD Graph delegated permission (no reference table backs
/// Azure AD Graph's IDs; the retired API is recognised by its appId).
const AAD_USER_READ: &str = "aad0c0de-0000-4000-8000-000000000001";
/// Microsoft Graph application permissions (crates/core/tests/reference).
const MAIL_READ_APP: &str = "810c84a8-4a9e-49e6-bf7d-12d183f40d01";
const CALENDARS_READ_APP: &str = "798ee544-9d2d-430c-a058-570e29e34338";

/// `requiredResourceAccess` as the integration's plan registers it.
fn rra(integration_id: &str) -> Value {
    let plan = Plan::new(catalog::by_id(integration_id).unwrap(), &Options::default());
    let groups: Vec<Value> = plan
        .by_api()
        .iter()
        .map(|g| {
            json!({
                "resourceAppId": g.api_app_id,
                "resourceAccess": g.permissions.iter().map(|p| json!({
                    "id": p.id.as_deref().expect("a catalog GUID"),
                    "type": p.kind.resource_access_type(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Value::Array(groups)
}

fn with_access(mut rra: Value, api: &str, id: &str, kind: PermissionType) -> Value {
    let groups = rra.as_array_mut().unwrap();
    let entry = json!({"id": id, "type": kind.resource_access_type()});
    match groups.iter_mut().find(|g| g["resourceAppId"] == api) {
        Some(g) => g["resourceAccess"].as_array_mut().unwrap().push(entry),
        None => groups.push(json!({"resourceAppId": api, "resourceAccess": [entry]})),
    }
    rra
}

fn secret(key: &str, end: &str) -> Value {
    json!({"keyId": key, "displayName": "secret", "endDateTime": end, "hint": "abc"})
}

/// The tenant issue 9 describes (the HR portal asks for User.Read, Tasks.ReadWrite,
/// Notes.Read and Presence.Read, which no integration needs together): a Kinde app made in the portal, a managed Nango Teams app
/// whose secret expired, an Outlook app with two application permissions too many, a Kinde
/// app still requesting Azure AD Graph, and an app unrelated to any integration.
fn tenant() -> Value {
    json!({
        "applications": {"value": [
            {"id": "o-kinde", "appId": "c-kinde", "displayName": "Kinde",
             "web": {"redirectUris": ["https://contoso.kinde.com/connected_apps/callback"]},
             "requiredResourceAccess": rra("kinde-microsoft-365"),
             "passwordCredentials": [secret("k1", "2027-05-01T00:00:00Z")]},
            {"id": "o-teams", "appId": "c-teams", "displayName": "Nango - Microsoft Teams",
             "uniqueName": unique_name_for("nango-microsoft-teams"),
             "tags": tags_for("nango-microsoft-teams"),
             "web": {"redirectUris": ["https://api.nango.dev/oauth/callback"]},
             "requiredResourceAccess": rra("nango-microsoft-teams"),
             "passwordCredentials": [secret("t1", "2026-10-01T00:00:00Z")]},
            {"id": "o-outlook", "appId": "c-outlook", "displayName": "Outlook for Nango",
             "web": {"redirectUris": ["https://nango.contoso.com/oauth/callback"]},
             "requiredResourceAccess": with_access(with_access(rra("nango-microsoft-outlook"),
                GRAPH, MAIL_READ_APP, PermissionType::Application),
                GRAPH, CALENDARS_READ_APP, PermissionType::Application),
             "passwordCredentials": [secret("o1", "2026-12-20T00:00:00Z")]},
            {"id": "o-old", "appId": "c-old", "displayName": "Kinde (2021)",
             "web": {"redirectUris": ["https://contoso.example/callback"]},
             "requiredResourceAccess": with_access(rra("kinde-microsoft-365"),
                AAD_GRAPH, AAD_USER_READ, PermissionType::Delegated),
             "passwordCredentials": []},
            {"id": "o-hr", "appId": "c-hr", "displayName": "HR portal",
             "web": {"redirectUris": ["https://hr.contoso.com/signin-oidc"]},
             "requiredResourceAccess": [{"resourceAppId": GRAPH, "resourceAccess": [
                {"id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "type": "Scope"},
                {"id": "2219042f-cab5-40cc-b0d2-16b1540b4c5f", "type": "Scope"},
                {"id": "371361e4-b9e2-4a3f-8315-2a301a3b0a3d", "type": "Scope"},
                {"id": "76bc735e-aecd-4a1d-8b4c-2b915deabb79", "type": "Scope"}]}],
             "passwordCredentials": [secret("h1", "2027-01-01T00:00:00Z")]}
        ]},
        "servicePrincipals": [
            {"id": "sp-aad", "appId": AAD_GRAPH, "displayName": "Windows Azure Active Directory",
             "oauth2PermissionScopes": [{"id": AAD_USER_READ, "value": "User.Read", "type": "User", "isEnabled": true}]}
        ]
    })
}

fn report(snapshot: Value) -> health::Report {
    let snapshot = health::Snapshot::parse(&snapshot.to_string()).unwrap();
    health::assess(&snapshot, parse_rfc3339_ms(NOW).unwrap())
}

fn row<'a>(report: &'a health::Report, app_id: &str) -> &'a Row {
    report
        .vendors
        .iter()
        .flat_map(|g| &g.rows)
        .find(|r| r.app_id == app_id)
        .unwrap_or_else(|| panic!("{app_id} is not listed: {report:#?}"))
}

#[test]
fn lists_the_catalog_like_apps_by_vendor_and_not_the_unrelated_one() {
    let r = report(tenant());
    let listed: Vec<(&str, &str)> = r
        .vendors
        .iter()
        .flat_map(|g| {
            g.rows
                .iter()
                .map(move |row| (g.vendor, row.app_id.as_str()))
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("Kindo", "c-outlook"),
            ("Kindo", "c-teams"),
            ("Kinde", "c-kinde"),
            ("Kinde", "c-old"),
        ],
        "{r:#?}"
    );
    assert_eq!(r.not_listed, 1, "the HR portal is no integration's");
}

#[test]
fn a_hand_made_app_that_matches_says_how_closely_and_is_healthy() {
    let r = report(tenant());
    let kinde = row(&r, "c-kinde");
    let n = catalog::by_id("kinde-microsoft-365")
        .unwrap()
        .permissions
        .len();
    assert_eq!(
        kinde.recognised,
        Recognition::LooksLike {
            matching: n,
            requested: n,
            catalog: n,
            redirect_fits: true
        }
    );
    assert_eq!(kinde.integration, "kinde-microsoft-365");
    assert_eq!(kinde.secret.state, SecretState::Fine);
    assert_eq!(kinde.redirect.state, RedirectState::Matches);
    assert!(kinde.healthy, "{:#?}", kinde.problems);
    assert!(
        !kinde.permissions.consent_read,
        "no consent lists were read"
    );
}

#[test]
fn an_expired_secret_on_a_managed_app_says_rotate() {
    let r = report(tenant());
    let teams = row(&r, "c-teams");
    assert_eq!(teams.recognised, Recognition::Managed);
    assert_eq!(teams.secret.state, SecretState::Expired);
    assert_eq!(
        teams.secret.secrets[0].ends.as_deref(),
        Some("2026-10-01T00:00:00Z")
    );
    assert_eq!(teams.problems, [Problem::SecretExpired]);
    assert!(teams.problems[0].to_string().contains("Rotate"));
}

#[test]
fn permissions_beyond_the_entry_are_listed_by_name() {
    let r = report(tenant());
    let outlook = row(&r, "c-outlook");
    assert_eq!(
        outlook.permissions.beyond,
        [
            "Microsoft Graph Calendars.Read (Application)",
            "Microsoft Graph Mail.Read (Application)"
        ]
    );
    assert_eq!(outlook.secret.state, SecretState::Expiring);
    assert_eq!(outlook.secret.days_left, Some(19));
    assert_eq!(
        outlook.problems,
        [
            Problem::SecretExpiring { days: 19 },
            Problem::BeyondCatalog { count: 2 }
        ]
    );
    assert_eq!(outlook.redirect.state, RedirectState::Matches);
}

#[test]
fn retired_azure_ad_graph_a_missing_secret_and_a_foreign_redirect_are_each_said() {
    let r = report(tenant());
    let old = row(&r, "c-old");
    assert_eq!(
        old.permissions.retired,
        ["Azure Active Directory Graph User.Read (Delegated)"]
    );
    assert!(old.permissions.beyond.is_empty(), "retired is said once");
    assert_eq!(old.redirect.state, RedirectState::Differs);
    assert_eq!(
        old.problems,
        [
            Problem::NoSecret,
            Problem::RetiredApi { count: 1 },
            Problem::RedirectDiffers
        ]
    );
}

#[test]
fn consent_read_from_the_tenant_names_what_was_not_granted() {
    let mut t = tenant();
    t["applications"]["value"] = json!([t["applications"]["value"][1].clone()]);
    let plan = Plan::new(
        catalog::by_id("nango-microsoft-teams").unwrap(),
        &Options::default(),
    );
    let delegated: Vec<&str> = plan
        .permissions
        .iter()
        .filter(|p| p.kind == PermissionType::Delegated)
        .map(|p| &*p.value)
        .collect();
    // Admin consent for every delegated permission but the last.
    let (missing, granted) = delegated.split_last().unwrap();
    t["servicePrincipals"] = json!([
        {"id": "sp-graph", "appId": GRAPH, "displayName": "Microsoft Graph"},
        {"id": "sp-teams", "appId": "c-teams", "displayName": "Nango - Microsoft Teams"}
    ]);
    t["oauth2PermissionGrants"] = json!({"value": [
        {"id": "g1", "clientId": "sp-teams", "consentType": "AllPrincipals",
         "resourceId": "sp-graph", "scope": granted.join(" ")}
    ]});
    t["appRoleAssignments"] = json!([]);
    let r = report(t);
    let teams = row(&r, "c-teams");
    assert!(teams.permissions.consent_read);
    assert_eq!(
        teams.permissions.not_granted,
        [format!("Microsoft Graph {missing} (Delegated)")]
    );
    assert!(teams.problems.contains(&Problem::NotGranted { count: 1 }));
}

#[test]
fn a_snapshot_that_is_not_a_tenant_read_says_what_is_expected() {
    let e = health::Snapshot::parse(r#"{"value": []}"#).unwrap_err();
    let message = e.to_string();
    assert!(message.contains("\"applications\""), "{message}");
    assert!(message.contains("az rest"), "{message}");
}

/// What the tenant health page offers per row: repair adopts what this assistant does not
/// manage yet; rotation only for a managed registration of an integration with a secret.
#[test]
fn repair_adopts_what_is_not_managed_and_rotation_is_for_managed_ones() {
    let r = report(tenant());
    let kinde = row(&r, "c-kinde");
    assert_eq!(kinde.adopt_for_repair(), Some("c-kinde"));
    assert!(!kinde.can_rotate(), "adopt it first");
    assert_eq!(kinde.repair_link().to_string(), "Adopt and repair");
    let teams = row(&r, "c-teams");
    assert_eq!(
        teams.adopt_for_repair(),
        None,
        "a run finds it by uniqueName"
    );
    assert!(teams.can_rotate());
    assert_eq!(teams.repair_link().to_string(), "Repair");
}

#[test]
fn the_summary_counts_what_needs_attention_and_what_is_not_listed() {
    let r = report(tenant());
    let unwell = r.rows().filter(|row| !row.healthy).count();
    assert_eq!(
        r.to_string(),
        format!(
            "4 registrations serve catalog integrations; {unwell} need attention. 1 other \
             registration serves none and is not listed."
        )
    );
}

#[test]
fn rows_are_found_by_name_client_id_or_integration() {
    let r = report(tenant());
    let found = |q: &str| -> Vec<&str> {
        r.rows()
            .filter(|row| row.matches(q))
            .map(|row| row.app_id.as_str())
            .collect()
    };
    assert_eq!(found(" kinde (2021"), ["c-old"]);
    assert_eq!(found("C-TEAMS"), ["c-teams"]);
    assert_eq!(found("outlook").len(), 1);
    assert_eq!(found("").len(), 4);
    assert!(found("hr portal").is_empty(), "not listed, not found");
}
