//! Tenant health read from entra-sim's Northwind tenant (hand-made registrations) through
//! Graph, as the web page reads it: the seeded catalog-like apps are listed with the right
//! health, and the unrelated one is not.
#![cfg(feature = "automation")]

use std::rc::Rc;

use entra_setup_core::automation::auth::SessionTokens;
use entra_setup_core::automation::graph::Graph;
use entra_setup_core::automation::health_read;
use entra_setup_core::automation::host::Host;
use entra_setup_core::health::{self, Problem, Recognition, SecretState};
use entra_setup_testkit as kit;
use entra_sim::users;

async fn northwind(config: entra_sim::SimConfig) -> health::Report {
    let sim = kit::start_frozen(config).await;
    let waves = Rc::new(kit::Waves::default());
    let transport = kit::transport(sim.http.clone(), waves);
    let host = kit::SimHost::new(&sim).await;
    let config = kit::config(&sim, entra_sim::HAND_MADE_TENANT_ID);
    let endpoints = kit::discover(&sim, &config).await;
    let session = kit::sign_in(
        &sim,
        &config,
        &endpoints,
        &transport,
        &host,
        users::HAND_MADE_ADMIN_UPN,
        health_read::scopes(config.cloud),
    )
    .await;
    let tokens = SessionTokens::new(&config, &endpoints, &transport, &host, session);
    let graph = Graph::new(&config.graph_base_url, &transport, &host, &tokens);
    let snapshot = health_read::read_tenant(&graph).await.unwrap();
    assert_eq!(
        snapshot.applications.len(),
        5,
        "every registration was read"
    );
    health::assess(&snapshot, host.now_ms())
}

async fn check(report: health::Report) {
    let listed: Vec<(&str, &str, &str)> = report
        .vendors
        .iter()
        .flat_map(|g| {
            g.rows
                .iter()
                .map(move |r| (g.vendor, r.display_name.as_str(), r.integration))
        })
        .collect();
    assert_eq!(
        listed,
        [
            ("Kindo", "Outlook for Nango", "nango-microsoft-outlook"),
            ("Kindo", "Nango - Microsoft Teams", "nango-microsoft-teams"),
            ("Kinde", "Kinde", "kinde-microsoft-365"),
            ("Kinde", "Kinde (2019)", "kinde-microsoft-365"),
        ]
    );
    assert_eq!(report.not_listed, 1, "the HR portal");
    let row = |name: &str| {
        report
            .vendors
            .iter()
            .flat_map(|g| &g.rows)
            .find(|r| r.display_name == name)
            .unwrap()
    };

    let kinde = row("Kinde");
    assert!(
        matches!(kinde.recognised, Recognition::LooksLike { .. }),
        "no uniqueName: made in the portal"
    );
    assert!(kinde.permissions.consent_read);
    assert!(kinde.healthy, "{:#?}", kinde.problems);

    let teams = row("Nango - Microsoft Teams");
    assert_eq!(teams.recognised, Recognition::Managed);
    assert_eq!(teams.secret.state, SecretState::Expired);
    assert_eq!(teams.problems, [Problem::SecretExpired]);

    let outlook = row("Outlook for Nango");
    assert_eq!(
        outlook.permissions.beyond,
        [
            "Microsoft Graph Calendars.Read (Application)",
            "Microsoft Graph Mail.Read (Application)"
        ],
        "requested and granted beyond the entry"
    );
    // The Outlook app's delegated permissions were never consented.
    assert!(outlook.problems.contains(&Problem::NotGranted { count: 4 }));

    let old = row("Kinde (2019)");
    assert_eq!(old.permissions.retired.len(), 1);
    assert!(old.problems.contains(&Problem::RetiredApi { count: 1 }));
}

#[tokio::test]
async fn the_hand_made_tenant_reads_as_seeded() {
    check(northwind(entra_sim::SimConfig::default()).await).await;
}

#[tokio::test]
async fn two_item_pages_and_replication_change_nothing() {
    let config = entra_sim::SimConfig {
        random_seed: Some(5),
        ..entra_sim::SimConfig::realistic()
    };
    check(northwind(config).await).await;
}
