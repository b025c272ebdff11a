//! `cargo xtask bench`, pages: Lighthouse's figures for the pages admins open, measured by
//! `xtask/lighthouse.mjs` on a release build as a host deploys it (its config.json names the
//! global cloud and a client ID), served gzip-compressed with the hosting headers, with
//! Lighthouse's mobile (default) and desktop presets. Reported, never asserted.

use anyhow::{Context, Result};
use serde_json::{json, Value};

use crate::project::{command, root, run, trunk_build_hosted};

/// Builds the hosted site and runs Lighthouse on every page with both presets: `[{path,
/// preset, performance, lcp_ms, cls, tbt_ms, transfer_gzip}]`, printed as a table.
pub fn run_lighthouse() -> Result<Value> {
    let bench = root().join("target/bench");
    std::fs::create_dir_all(&bench)?;
    // The deployable dist/ names no client ID (each host writes its own config.json); a host
    // that set one up serves this, and the build prerenders its setup pages for it.
    let config = bench.join("hosted-config.json");
    let hosted = json!({
        "authority": "https://login.microsoftonline.com/organizations/v2.0",
        "graph_base_url": "https://graph.microsoft.com/v1.0",
        // Any well-formed client ID: the signed-out page only puts it in the sign-in link.
        "client_id": "11111111-2222-4333-8444-555555555555",
    });
    std::fs::write(&config, serde_json::to_string_pretty(&hosted)?)?;
    let dist = bench.join("hosted-dist");
    trunk_build_hosted(&dist, &config)?;
    let out = bench.join("lighthouse.json");
    println!("pages: Lighthouse 12.2.3 on that build served gzip-compressed (about a minute)");
    run(command("node")
        .arg(root().join("xtask/lighthouse.mjs"))
        .arg(dist)
        .arg(&out))
    .context("running Lighthouse (xtask/lighthouse.mjs)")?;
    let pages: Value = serde_json::from_str(
        &std::fs::read_to_string(&out).with_context(|| format!("reading {}", out.display()))?,
    )?;
    print_pages(&pages);
    Ok(pages)
}

fn print_pages(pages: &Value) {
    println!(
        "  {:<32} {:<8} {:>5} {:>8} {:>6} {:>7} {:>10}",
        "page", "preset", "perf", "LCP ms", "CLS", "TBT ms", "gzip B"
    );
    for row in pages.as_array().into_iter().flatten() {
        println!(
            "  {:<32} {:<8} {:>5} {:>8} {:>6} {:>7} {:>10}",
            row["path"].as_str().unwrap_or_default(),
            row["preset"].as_str().unwrap_or_default(),
            row["performance"].as_u64().unwrap_or_default(),
            row["lcp_ms"].as_u64().unwrap_or_default(),
            row["cls"].as_f64().unwrap_or_default(),
            row["tbt_ms"].as_u64().unwrap_or_default(),
            row["transfer_gzip"].as_u64().unwrap_or_default(),
        );
    }
}
