//! Tenant health at scale: entra-sim's Northwind tenant with 500 more registrations (one in
//! five a catalog look-alike, some with expired secrets; made once, by
//! `tests/e2e/tenant-scale.mjs`), read through Graph as the health page reads it and assessed
//! (core only), then the `/tenant` page itself in headless Chromium
//! (`xtask/tenant-health.mjs`). Reported, never asserted against a time.

use std::path::Path;
use std::rc::Rc;
use std::time::Instant;

use anyhow::{anyhow, Context, Result};
use entra_setup_core::automation::auth::SessionTokens;
use entra_setup_core::automation::graph::Graph;
use entra_setup_core::automation::health_read;
use entra_setup_core::automation::host::Host;
use entra_setup_core::health;
use entra_setup_testkit as kit;
use serde_json::{json, Value};

use crate::project::{command, root, run as run_command, target_dir};

const EXTRA_APPS: usize = 500;

/// `{"apps", "listed", "read_ms", "assess_ms"}` from core, and the page's `{"after_sign_in_ms",
/// "page_ms", "longest_task_ms", "rows"}` on the e2e build in `e2e_dist`; also printed.
pub fn run(e2e_dist: &Path) -> Result<Value> {
    let out_dir = root().join("target/bench");
    std::fs::create_dir_all(&out_dir)?;
    let seed_file = out_dir.join("tenant-seed.json");
    let seed = seed_with_more_apps(EXTRA_APPS, &seed_file)?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let mut figures = runtime.block_on(measure(seed))?;
    println!(
        "tenant health: {} registrations read in {} ms, assessed in {} ms ({} listed)",
        figures["apps"], figures["read_ms"], figures["assess_ms"], figures["listed"]
    );

    // The page runs against entra-sim's binary, as the e2e tests do.
    run_command(command("cargo").args(["build", "-p", "entra-sim"]))?;
    let page_file = out_dir.join("tenant-page.json");
    run_command(
        command("node")
            .arg(root().join("xtask/tenant-health.mjs"))
            .arg("page")
            .arg(&seed_file)
            .arg(&page_file)
            .env("E2E_DIST", e2e_dist)
            .env("E2E_SIM_BIN", target_dir().join("debug/entra-sim")),
    )
    .context("timing the /tenant page (xtask/tenant-health.mjs)")?;
    let page: Value = serde_json::from_str(
        &std::fs::read_to_string(&page_file)
            .with_context(|| format!("reading {}", page_file.display()))?,
    )?;
    for key in ["after_sign_in_ms", "page_ms", "longest_task_ms", "rows"] {
        figures[key] = page[key].clone();
    }
    // The Long Tasks API reports only tasks of 50 ms or more.
    let longest = match figures["longest_task_ms"].as_u64() {
        Some(0) => "no main-thread task of 50 ms or more".to_owned(),
        _ => format!("longest main-thread task {} ms", figures["longest_task_ms"]),
    };
    println!(
        "tenant health page (Chromium, e2e build): {} rows rendered {} ms after \"Read again\", {longest}; {} ms from sign-in to the first report",
        figures["rows"], figures["page_ms"], figures["after_sign_in_ms"]
    );
    Ok(figures)
}

/// The seed with `extra` more registrations, written to `file` by the e2e suite's one
/// definition of them, and read back.
fn seed_with_more_apps(extra: usize, file: &Path) -> Result<entra_sim::Seed> {
    run_command(
        command("node")
            .arg(root().join("xtask/tenant-health.mjs"))
            .arg("seed")
            .arg(extra.to_string())
            .arg(file),
    )
    .context("writing the seed (xtask/tenant-health.mjs)")?;
    let text =
        std::fs::read_to_string(file).with_context(|| format!("reading {}", file.display()))?;
    entra_sim::Seed::from_json(&text).map_err(|e| anyhow!("{}: {e}", file.display()))
}

async fn measure(seed: entra_sim::Seed) -> Result<Value> {
    let config = entra_sim::SimConfig {
        seed,
        ..Default::default()
    };
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
    /// exactly the look-alikes and the seeded catalog apps are listed. Needs node (the seed
    /// is written by tests/e2e/tenant-scale.mjs).
    #[test]
    fn five_hundred_more_registrations_are_read_and_the_look_alikes_listed() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let file =
            std::env::temp_dir().join(format!("xtask-tenant-seed-{}.json", std::process::id()));
        let seed = super::seed_with_more_apps(super::EXTRA_APPS, &file).unwrap();
        std::fs::remove_file(&file).unwrap();
        let figures = runtime.block_on(super::measure(seed)).unwrap();
        assert_eq!(figures["apps"], 505);
        // 100 Kinde look-alikes, and the four catalog-like apps of the seed.
        assert_eq!(figures["listed"], 104, "{figures}");
    }
}
