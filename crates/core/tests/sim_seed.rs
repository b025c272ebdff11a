//! The simulator must expose every permission the catalog grants, under the same GUID:
//! otherwise automated runs against it stop on "no such permission", and a catalog GUID
//! typo would go unnoticed by every end-to-end test. (The simulator's seed is transcribed
//! from the same reference files independently; this test is where the two meet.)

use entra_setup_core::catalog::{self, PermissionType};
use entra_setup_core::plan::{Options, Plan};
use serde_json::Value;

fn first_party_apps() -> Vec<Value> {
    let seed: Value =
        serde_json::from_str(entra_sim::DEFAULT_SEED_JSON).expect("the default seed is JSON");
    seed["firstPartyApps"]
        .as_array()
        .expect("firstPartyApps")
        .clone()
}

#[test]
fn every_granted_permission_is_on_the_simulated_resource_with_the_catalog_id() {
    let apps = first_party_apps();
    let mut problems = Vec::new();
    for integration in catalog::ALL.iter().filter(|i| !i.custom) {
        for options in [
            Options::default(),
            Options {
                literal_permission_types: true,
                ..Options::default()
            },
        ] {
            for p in Plan::new(integration, &options).permissions {
                let Some(app) = apps
                    .iter()
                    .find(|a| a["appId"].as_str() == Some(&*p.api_app_id))
                else {
                    problems.push(format!(
                        "{}: no simulated API {}",
                        integration.id, p.api_name
                    ));
                    continue;
                };
                let collection = match p.kind {
                    PermissionType::Delegated => "oauth2PermissionScopes",
                    PermissionType::Application => "appRoles",
                };
                let found = app[collection]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .find(|entry| entry["value"].as_str() == Some(&*p.value));
                match (found, &p.id) {
                    (None, _) => problems.push(format!(
                        "{}: {} {} ({}) is missing from the simulator",
                        integration.id,
                        p.api_name,
                        p.value,
                        p.kind.as_str()
                    )),
                    (Some(entry), Some(id)) if entry["id"].as_str() != Some(id) => {
                        problems.push(format!(
                            "{}: {} {} has GUID {} in the catalog but {} in the simulator",
                            integration.id, p.api_name, p.value, id, entry["id"]
                        ))
                    }
                    _ => {}
                }
            }
        }
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
