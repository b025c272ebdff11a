//! The plan applies each erratum by default and follows the guide literally on request.

use entra_setup_core::catalog::{self, PermissionType};
use entra_setup_core::plan::{Options, Origin, Plan};

fn plan(id: &str, options: Options) -> Plan {
    Plan::new(catalog::by_id(id).unwrap(), &options)
}

#[test]
fn azure_ad_graph_maps_to_microsoft_graph_or_is_left_out() {
    let p = plan("cloud-elements-office-365", Options::default());
    assert_eq!(p.permissions.len(), 9);
    assert!(p
        .permissions
        .iter()
        .all(|p| p.api_name == "Microsoft Graph"));
    assert!(p.skipped.is_empty());
    let literal = plan(
        "cloud-elements-office-365",
        Options {
            literal_retired_apis: true,
            ..Options::default()
        },
    );
    assert_eq!(literal.permissions.len(), 1);
    assert_eq!(literal.skipped.len(), 8);
    assert!(literal
        .skipped
        .iter()
        .all(|s| s.api_name == "Azure Active Directory Graph"));
}

#[test]
fn drop_redundant_keeps_the_broadest_grant() {
    let keep = plan("nango-microsoft-outlook-calendar", Options::default());
    assert_eq!(keep.permissions.len(), 8);
    let lean = plan(
        "nango-microsoft-outlook-calendar",
        Options {
            drop_redundant: true,
            ..Options::default()
        },
    );
    let values: Vec<&str> = lean.permissions.iter().map(|p| &*p.value).collect();
    assert_eq!(
        values,
        [
            "Calendars.ReadWrite",
            "Calendars.ReadWrite.Shared",
            "Contacts.Read",
            "People.Read",
            "User.Read"
        ]
    );
    assert_eq!(lean.skipped.len(), 3);
    assert!(lean.redundant().is_empty());
}

#[test]
fn kinde_origin_records_the_guides_type() {
    let p = plan("kinde-microsoft-365", Options::default());
    assert!(p.permissions.iter().all(|p| p.origin
        == Origin::TypeCorrected {
            guide_type: PermissionType::Application
        }));
    assert!(!p.needs_admin_consent());
    let literal = plan(
        "kinde-microsoft-365",
        Options {
            literal_permission_types: true,
            ..Options::default()
        },
    );
    assert!(literal.needs_admin_consent() && literal.needs_privileged_role_admin());
}

#[test]
fn the_redirect_uri_falls_back_to_the_vendor_pattern() {
    let mut p = plan("nango-microsoft-teams", Options::default());
    assert_eq!(
        p.redirect_uri_or_pattern().as_deref(),
        Some("https://<your Nango host>/oauth/callback")
    );
    p.redirect_uri = Some("https://api.nango.dev/oauth/callback".into());
    assert_eq!(
        p.redirect_uri_or_pattern().as_deref(),
        Some("https://api.nango.dev/oauth/callback")
    );
    assert_eq!(
        plan("novus-calendarsync", Options::default()).redirect_uri_or_pattern(),
        None
    );
}
