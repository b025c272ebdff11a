//! `cargo xtask bench`, pages: Lighthouse's figures for the pages admins open, measured by
//! `xtask/lighthouse.mjs` on the deployable `dist/` served gzip-compressed with the hosting
//! headers, with Lighthouse's mobile (default) and desktop presets. Reported, never asserted.

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::Value;

use crate::project::{command, root, run};

/// Runs Lighthouse on every page with both presets: `[{path, preset, performance, lcp_ms,
/// cls, tbt_ms, transfer_gzip}]`, printed as a table.
pub fn run_lighthouse(dist: &Path) -> Result<Value> {
    let out = root().join("target/bench/lighthouse.json");
    std::fs::create_dir_all(out.parent().context("target/bench")?)?;
    println!("pages: Lighthouse 12.2.3 on dist/ served gzip-compressed (about a minute)");
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
