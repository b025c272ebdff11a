//! Validation findings for what admins paste, as the UI shows them while they type.

use entra_setup_core::catalog::{self, Platform, RedirectRule, RedirectStage, SignInAudience};
use entra_setup_core::plan::{Options, Plan, PlannedPermission};
use entra_setup_core::validate::{self, Field, Finding, Severity};
use entra_setup_core::values::Values;

fn codes(findings: &[Finding]) -> Vec<&'static str> {
    findings.iter().map(|f| f.code.as_str()).collect()
}

fn errors(findings: &[Finding]) -> Vec<&'static str> {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| f.code.as_str())
        .collect()
}

const NANGO: RedirectRule = RedirectRule {
    platform: Platform::Web,
    pattern: Some("https://<your Nango host>/oauth/callback"),
    expected_suffix: Some("/oauth/callback"),
    source: "the Nango callback URL",
    stage: RedirectStage::AfterConsole,
};

#[test]
fn a_secret_id_pasted_as_the_secret_is_caught() {
    let f = validate::secret_value("8f3a1c2e-9b4d-4e5f-a6b7-c8d9e0f1a2b3");
    assert_eq!(errors(&f), ["secret-id"]);
    assert!(f[0].message.contains("Secret ID") && f[0].message.contains("Value"));
    assert_eq!(f[0].field, Field::SecretValue);
    assert!(validate::secret_value("Abc8Q~x1y2z3W4v5U6t7S8r9Q0p1O2n3M4l5K6j7").is_empty());
    assert_eq!(
        errors(&validate::secret_value("Abc*****************")),
        ["masked"]
    );
    assert_eq!(errors(&validate::secret_value("")), ["required"]);
    assert_eq!(codes(&validate::secret_value("short")), ["length"]);
}

#[test]
fn client_and_tenant_ids_must_be_guids_and_not_the_wrong_ones() {
    assert!(validate::client_id("60ec9411-503f-45e2-ac80-672ab39036a6").is_empty());
    assert_eq!(
        errors(&validate::client_id("60ec9411503f45e2ac80672ab39036a6")),
        ["not-guid"]
    );
    assert_eq!(
        errors(&validate::client_id(
            "{60ec9411-503f-45e2-ac80-672ab39036a6}"
        )),
        ["braces"]
    );
    assert_eq!(
        errors(&validate::client_id("00000003-0000-0000-c000-000000000000")),
        ["first-party-api"]
    );
    assert_eq!(
        errors(&validate::client_id("00000000-0000-0000-0000-000000000000")),
        ["placeholder"]
    );
    assert_eq!(
        codes(&validate::client_id(
            " 60ec9411-503f-45e2-ac80-672ab39036a6 "
        )),
        ["whitespace"]
    );
    assert_eq!(
        errors(&validate::tenant_id("contoso.onmicrosoft.com")),
        ["domain"]
    );
    assert_eq!(
        codes(&validate::tenant_id("9188040d-6c67-4c5b-b112-36a304b66dad")),
        ["personal-accounts-tenant"]
    );
}

#[test]
fn redirect_uris_follow_entras_rules() {
    let ok = |uri: &str| validate::redirect_uri(uri, &NANGO, SignInAudience::AzureADMyOrg);
    assert!(ok("https://api.nango.dev/oauth/callback").is_empty());
    assert_eq!(
        errors(&ok("http://api.nango.dev/oauth/callback")),
        ["https-required"]
    );
    assert_eq!(
        codes(&ok("http://localhost:3003/oauth/callback")),
        ["localhost"]
    );
    assert_eq!(
        errors(&ok("http://127.0.0.1:3003/oauth/callback")),
        ["loopback-ip"]
    );
    assert_eq!(
        errors(&ok("https://*.nango.dev/oauth/callback")),
        ["wildcard"]
    );
    assert_eq!(
        errors(&ok("https://api.nango.dev/oauth/callback;x")),
        ["special-character"]
    );
    assert!(ok("https://a.dev/oauth/callback?x=(1)")
        .iter()
        .any(|f| f.message.contains("( )") && f.message.contains("Remove ( )")));
    assert_eq!(
        errors(&ok("https://<your Nango host>/oauth/callback")),
        ["placeholder"]
    );
    let long = format!("https://api.nango.dev/{}/oauth/callback", "a".repeat(240));
    assert_eq!(errors(&ok(&long)), ["too-long"]);
    assert_eq!(errors(&ok("")), ["required"]);
    // The vendor's suffix is a warning only.
    let f = ok("https://api.nango.dev/oauth");
    assert_eq!(codes(&f), ["suffix"]);
    assert_eq!(f[0].severity, Severity::Warning);
    // Query strings are for work/school-only apps.
    let personal = validate::redirect_uri(
        "https://a.dev/oauth/callback?tenant=x",
        &NANGO,
        SignInAudience::AzureADandPersonalMicrosoftAccount,
    );
    assert_eq!(errors(&personal), ["query-personal-accounts"]);
}

#[test]
fn display_names_are_1_to_120_characters() {
    assert!(validate::display_name("Kindo - Microsoft Teams").is_empty());
    assert_eq!(errors(&validate::display_name("   ")), ["required"]);
    assert!(validate::display_name(&"x".repeat(120)).is_empty());
    assert_eq!(
        errors(&validate::display_name(&"x".repeat(121))),
        ["too-long"]
    );
}

#[test]
fn values_check_each_console_field_and_cross_check() {
    let i = catalog::by_id("novus-calendarsync").unwrap();
    let plan = Plan::new(i, &Options::default());
    let id = "60ec9411-503f-45e2-ac80-672ab39036a6";
    let v = Values {
        client_id: id.into(),
        tenant_id: id.into(),
        secret_value: "e7c8b393-6866-475b-a45b-49cef97e4409".into(),
        ..Values::default()
    };
    let f = validate::values(i, &plan, &v);
    assert!(f
        .iter()
        .any(|f| f.code.as_str() == "secret-id" && f.field == Field::SecretValue));
    assert!(f
        .iter()
        .any(|f| f.code.as_str() == "same-as-client-id" && f.field == Field::TenantId));
    // Novus has no redirect URI: nothing required there.
    assert!(!f.iter().any(|f| f.field == Field::RedirectUri));

    // Fabric's extra fields are required and checked.
    let fabric = catalog::by_id("nango-microsoft-fabric").unwrap();
    let mut v = Values::default();
    v.set_extra(
        "sql_endpoint_host",
        "https://foo.datawarehouse.fabric.microsoft.com",
    );
    let f = validate::values(fabric, &Plan::new(fabric, &Options::default()), &v);
    assert!(f
        .iter()
        .any(|f| f.field == Field::Extra("sql_endpoint_host".into())
            && f.code.as_str() == "host-only"));
    assert!(f
        .iter()
        .any(|f| f.field == Field::Extra("lakehouse_database".into())
            && f.code.as_str() == "required"));
}

#[test]
fn retired_apis_and_bad_custom_permissions_are_errors() {
    let i = catalog::by_id("custom").unwrap();
    let mut plan = Plan::new(i, &Options::default());
    plan.add_permission(PlannedPermission::custom(
        "00000002-0000-0000-c000-000000000000",
        "Azure Active Directory Graph",
        "Directory.Read.All",
        entra_setup_core::catalog::PermissionType::Application,
        true,
    ));
    plan.add_permission(PlannedPermission::custom(
        "not-a-guid",
        "Mine",
        "Read Things",
        entra_setup_core::catalog::PermissionType::Delegated,
        false,
    ));
    let f = validate::plan(&plan);
    let retired = f
        .iter()
        .find(|f| f.code.as_str() == "retired-api")
        .expect("retired API flagged");
    assert!(
        retired
            .message
            .contains("Directory.Read.All (Application) from Microsoft Graph"),
        "{}",
        retired.message
    );
    assert!(f.iter().any(|f| f.code.as_str() == "api-app-id"));
    assert!(f.iter().any(|f| f.code.as_str() == "permission-value"));
    // The catalog's own plans are clean apart from warnings.
    for i in catalog::ALL.iter() {
        let f = validate::plan(&Plan::new(i, &Options::default()));
        assert!(!validate::has_errors(&f), "{}: {f:?}", i.id);
    }
    // Literal "Never"-adjacent choice: over 12 months warns, over 24 is impossible.
    plan.secret_lifetime_days = Some(730);
    assert!(validate::plan(&plan)
        .iter()
        .any(|f| f.code.as_str() == "lifetime-long" && f.severity == Severity::Warning));
    plan.secret_lifetime_days = Some(3650);
    assert!(validate::plan(&plan)
        .iter()
        .any(|f| f.code.as_str() == "lifetime" && f.severity == Severity::Error));
}

#[test]
fn messages_take_the_article_of_the_field_they_name() {
    let not_guid = validate::client_id("60ec9411503f");
    assert!(
        not_guid[0]
            .message
            .starts_with("An Application (client) ID is a GUID"),
        "{}",
        not_guid[0].message
    );
    let braces = validate::client_id("{60ec9411-503f-45e2-ac80-672ab39036a6}");
    assert!(braces[0]
        .message
        .contains("an Application (client) ID is written without"));
    assert!(validate::tenant_id("60ec9411503f")[0]
        .message
        .starts_with("A Directory (tenant) ID is a GUID"));
}
