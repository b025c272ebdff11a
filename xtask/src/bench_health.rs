//! Tenant health at scale: entra-sim's Northwind tenant with 500 more registrations (one in
//! five a catalog look-alike, some with expired secrets), read through Graph as the health
//! page reads it, then assessed. Reported, never asserted against a time.

use std::rc::Rc;
use std::time::Instant;

use anyhow::{anyhow, Result};
use entra_setup_core::automation::auth::SessionTokens;
use entra_setup_core::automation::graph::Graph;
use entra_setup_core::automation::health_read;
use entra_setup_core::automation::host::Host;
use entra_setup_core::health;
use entra_setup_testkit as kit;
use serde_json::{json, Map, Value};

const EXTRA_APPS: usize = 500;
/// Microsoft Graph's appId and the Kinde entry's two delegated scopes.
const GRAPH: &str = "00000003-0000-0000-c000-000000000000";
const KINDE_SCOPES: [&str; 2] = [
    "465a38f9-76ea-45b9-9f34-9e8b0d4b0b42",
    "1ec239c2-d7c9-4623-a91a-a9775856bb36",
];
/// User.Read and Notes.Read: what an unrelated line-of-business app asks for.
const OTHER_SCOPES: [&str; 2] = [
    "e1fe6dd8-ba31-4d61-89e7-88639da4683d",
    "371361e4-b9e2-4a3f-8315-2a301a3b0a3d",
];

/// `{"apps", "listed", "read_ms", "assess_ms"}`; also printed.
pub fn run() -> Result<Value> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let figures = runtime.block_on(measure(EXTRA_APPS))?;
    println!(
        "tenant health: {} registrations read in {} ms, assessed in {} ms ({} listed)",
        figures["apps"], figures["read_ms"], figures["assess_ms"], figures["listed"]
    );
    Ok(figures)
}

fn application(n: usize) -> Map<String, Value> {
    let look_alike = n.is_multiple_of(5);
    let scopes = if look_alike {
        KINDE_SCOPES
    } else {
        OTHER_SCOPES
    };
    let body = json!({
        "id": format!("b0000000-0000-4000-8000-{n:012}"),
        "appId": format!("c0000000-0000-4000-8000-{n:012}"),
        "displayName": format!("{} {n}", if look_alike { "Kinde" } else { "Line-of-business app" }),
        "web": {"redirectUris": [format!("https://app{n}.northwind.example/callback")]},
        "requiredResourceAccess": [{"resourceAppId": GRAPH, "resourceAccess":
            scopes.iter().map(|id| json!({"id": id, "type": "Scope"})).collect::<Vec<_>>()}],
        "passwordCredentials": [{
            "keyId": format!("d0000000-0000-4000-8000-{n:012}"),
            "displayName": "secret",
            "endsInDays": if n.is_multiple_of(3) { -10 } else { 90 },
            "secretText": format!("bench~{n}"),
        }],
    });
    match body {
        Value::Object(map) => map,
        _ => unreachable!("an object literal"),
    }
}

async fn measure(extra: usize) -> Result<Value> {
    let mut config = entra_sim::SimConfig::default();
    let northwind = config
        .seed
        .tenants
        .iter_mut()
        .find(|t| t.id == entra_sim::HAND_MADE_TENANT_ID)
        .ok_or_else(|| anyhow!("the seed has no Northwind tenant"))?;
    northwind.applications.extend((0..extra).map(application));
    let sim = kit::Sim::start(config).await;
    let transport = kit::transport(sim.http.clone(), Rc::new(kit::Waves::default()));
    let host = kit::RealTime;
    let config = kit::config(&sim, entra_sim::HAND_MADE_TENANT_ID);
    let endpoints = kit::discover(&sim, &config).await;
    let session = kit::try_sign_in(
        &sim,
        &config,
        &endpoints,
        &transport,
        &host,
        entra_sim::users::HAND_MADE_ADMIN_UPN,
        health_read::scopes(config.cloud),
    )
    .await
    .map_err(|e| anyhow!(e))?;
    let tokens = SessionTokens::new(&config, &endpoints, &transport, &host, session);
    let graph = Graph::new(&config.graph_base_url, &transport, &host, &tokens);
    let started = Instant::now();
    let snapshot = health_read::read_tenant(&graph)
        .await
        .map_err(|e| anyhow!("{e}"))?;
    let read_ms = started.elapsed().as_millis() as u64;
    let started = Instant::now();
    let report = health::assess(&snapshot, host.now_ms());
    let assess_ms = started.elapsed().as_millis() as u64;
    let listed: usize = report.vendors.iter().map(|g| g.rows.len()).sum();
    Ok(json!({
        "apps": snapshot.applications.len(),
        "listed": listed,
        "read_ms": read_ms,
        "assess_ms": assess_ms,
    }))
}

#[cfg(test)]
mod tests {
    /// What the figures stand for: every registration is read (Graph pages followed) and
    /// exactly the look-alikes and the seeded catalog apps are listed.
    #[test]
    fn five_hundred_more_registrations_are_read_and_the_look_alikes_listed() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let figures = runtime.block_on(super::measure(super::EXTRA_APPS)).unwrap();
        assert_eq!(figures["apps"], 505);
        // 100 Kinde look-alikes, and the four catalog-like apps of the seed.
        assert_eq!(figures["listed"], 104, "{figures}");
    }
}
