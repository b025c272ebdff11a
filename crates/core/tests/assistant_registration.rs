//! The assistant's own registration is one consistent thing: what the catalog entry
//! "Entra Setup Assistant itself" registers (checklist, exports), what the automated mode
//! asks for at run time, the config.json the checklist hands out, and how entra-sim seeds
//! the assistant (issue 11, "First contact fails today for anyone who deploys it as we say").
#![cfg(feature = "automation")]

use std::collections::BTreeSet;

use entra_setup_core::automation::auth::scopes;
use entra_setup_core::automation::config::AppConfig;
use entra_setup_core::automation::health_read;
use entra_setup_core::catalog::{self, assistant, Platform, SignInAudience, ValueSource};
use entra_setup_core::checklist;
use entra_setup_core::plan::{Options, Plan};
use entra_setup_core::values::Values;
use serde_json::Value;

fn entry() -> &'static catalog::Integration {
    catalog::by_id("entra-setup-assistant").unwrap()
}

/// Every permission value the checklist has the admin add.
fn listed_by_checklist() -> BTreeSet<String> {
    let i = entry();
    let c = checklist::build(i, &Plan::new(i, &Options::default()));
    c.steps
        .iter()
        .flat_map(|s| &s.permissions)
        .map(|p| p.value.clone())
        .collect()
}

#[test]
fn the_checklist_requires_exactly_what_runs_ask_for() {
    let mut asked: BTreeSet<String> = scopes::sign_in(None).into_iter().collect();
    for integration in catalog::ALL.iter() {
        for options in [
            Options::default(),
            Options {
                literal_permission_types: true,
                ..Options::default()
            },
        ] {
            asked.extend(scopes::for_run(&Plan::new(integration, &options), None));
        }
    }
    // The tenant health page's read-only sign-in.
    asked.extend(health_read::scopes(None));
    let registered: BTreeSet<String> = entry()
        .permissions
        .iter()
        .map(|p| p.value.to_owned())
        .collect();
    assert_eq!(
        asked, registered,
        "for_run ∪ sign_in ∪ health_read::scopes vs the catalog entry"
    );
    assert_eq!(listed_by_checklist(), registered);
    // And none of them is covered by another (least privilege), so each is needed.
    let plan = Plan::new(entry(), &Options::default());
    assert!(plan.redundant().is_empty(), "{:?}", plan.redundant());
}

#[test]
fn it_is_a_multitenant_spa_registered_at_the_sites_root() {
    let i = entry();
    assert_eq!(i.sign_in_audience, SignInAudience::AzureADMultipleOrgs);
    assert!(i.audience_note.contains("AADSTS50194"));
    assert_eq!(i.redirect.platform, Platform::Spa);
    assert_eq!(i.redirect.pattern, Some("https://<the site's host name>/"));
    for words in ["origin followed by /", "per host name", "AADSTS50011"] {
        assert!(i.redirect.source.contains(words), "{words}");
    }
    let c = checklist::build(i, &Plan::new(i, &Options::default()));
    let account = c.step("account-type").unwrap().text.plain();
    assert!(account.contains("Multitenant"), "{account}");
}

#[test]
fn the_last_step_and_the_card_give_the_config_json_to_deploy() {
    let i = entry();
    assert_eq!(i.console.name, "config.json");
    let c = checklist::build(i, &Plan::new(i, &Options::default()));
    let last = c.steps.last().unwrap();
    assert_eq!(last.key, "next-step");
    let text = last.text.plain();
    assert!(
        text.contains(r#""authority": "https://login.microsoftonline.com/organizations/v2.0""#),
        "{text}"
    );
    assert!(text.contains(r#""graph_base_url": "https://graph.microsoft.com/v1.0""#));
    let details: Vec<String> = last.details.iter().map(|d| d.plain()).collect();
    assert!(
        details.iter().any(|d| d.contains("trunk build")),
        "{details:?}"
    );
    assert!(!c.steps.iter().any(|s| s.place.contains("settings")));

    // The card builds the file from the pasted client ID, and the app accepts it as is.
    assert!(c
        .card
        .fields
        .iter()
        .any(|f| f.value == ValueSource::AssistantConfig));
    let values = Values {
        client_id: " 748aa5a9-366f-466f-adb2-52238936e96e ".into(),
        ..Values::default()
    };
    let json = values.get(ValueSource::AssistantConfig).into_owned();
    let config = AppConfig::parse(&json).expect("the app reads the config.json we hand out");
    assert_eq!(config.authority, assistant::ORGANIZATIONS_AUTHORITY);
    assert_eq!(config.graph_base_url, assistant::GRAPH_BASE_URL);
    assert_eq!(
        config.client_id.as_deref(),
        Some("748aa5a9-366f-466f-adb2-52238936e96e")
    );
    assert_eq!(Values::default().get(ValueSource::AssistantConfig), "");
}

/// entra-sim's seeded assistant (the Contoso demo tenant's "Entra Setup Assistant").
fn seeded_assistant() -> Value {
    let seed: Value = serde_json::from_str(entra_sim::DEFAULT_SEED_JSON).unwrap();
    seed["tenants"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| t["applications"].as_array().cloned().unwrap_or_default())
        .find(|a| a["appId"] == entra_sim::ASSISTANT_CLIENT_ID)
        .expect("the seed registers the assistant")
}

fn catalog_permission_ids() -> BTreeSet<String> {
    entry()
        .permissions
        .iter()
        .map(|p| p.id.known().unwrap().to_owned())
        .collect()
}

fn seeded_permission_ids() -> BTreeSet<String> {
    seeded_assistant()["requiredResourceAccess"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["resourceAppId"] == catalog::apis::MICROSOFT_GRAPH.app_id)
        .flat_map(|r| r["resourceAccess"].as_array().cloned().unwrap_or_default())
        .inspect(|a| assert_eq!(a["type"], "Scope"))
        .map(|a| a["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn entra_sim_seeds_the_assistant_as_the_catalog_registers_it() {
    let app = seeded_assistant();
    let i = entry();
    assert_eq!(app["signInAudience"], i.sign_in_audience.as_str());
    let spa = app["spa"]["redirectUris"]
        .as_array()
        .expect("spa redirect URIs");
    assert!(!spa.is_empty());
    for uri in spa {
        let uri = uri.as_str().unwrap();
        assert!(
            uri.ends_with('/') && uri.matches('/').count() == 3,
            "origin + /: {uri}"
        );
    }
    assert!(app["web"]["redirectUris"]
        .as_array()
        .is_none_or(|w| w.is_empty()));
    // Everything the catalog registers is there under the same GUIDs.
    let missing: Vec<_> = catalog_permission_ids()
        .difference(&seeded_permission_ids())
        .cloned()
        .collect();
    assert!(missing.is_empty(), "missing from the seed: {missing:?}");
}

/// The exact permission set: the simulator's assistant asks for nothing our own
/// registration instructions leave out.
#[test]
fn entra_sim_seeds_exactly_the_catalog_permissions() {
    assert_eq!(seeded_permission_ids(), catalog_permission_ids());
}
