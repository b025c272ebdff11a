//! `cargo xtask bench`: figures, printed and written to `target/bench/results.json`.
//!
//! Size targets live here, never in timed tests. First load = every file the page fetches
//! before it is interactive: index.html and what it references (CSS, JS glue, wasm, icon).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use flate2::{write::GzEncoder, Compression};
use serde_json::{json, Value};

use crate::project::{root, trunk_build};
use crate::setup;

#[path = "bench_setup.rs"]
mod bench_setup;

pub fn run(_args: &[String]) -> Result<()> {
    setup::run_if_needed()?;
    trunk_build(true)?;
    let dist = root().join("dist");
    let first_load = first_load(&dist)?;
    let budget: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("xtask/budget.json"))
            .context("reading xtask/budget.json")?,
    )?;
    let limit = budget["first_load_total_gzip"]
        .as_u64()
        .context("budget.first_load_total_gzip")?;
    let total_gzip = first_load["total_gzip"].as_u64().unwrap_or(0);

    print_first_load(&first_load);
    let within = total_gzip <= limit;
    if within {
        println!(
            "budget: {total_gzip} B gzip of {limit} B ({} B to spare)",
            limit - total_gzip
        );
    } else {
        println!(
            "budget: OVER by {} B: {total_gzip} B gzip against {limit} B",
            total_gzip - limit
        );
    }

    let results = json!({
        "first_load": first_load,
        "budget": { "first_load_total_gzip": limit, "within": within },
        "setup": bench_setup::run()?,
    });
    let out_dir = root().join("target/bench");
    std::fs::create_dir_all(&out_dir)?;
    let out = out_dir.join("results.json");
    std::fs::write(&out, serde_json::to_string_pretty(&results)? + "\n")?;
    println!("wrote {}", out.display());
    if !within {
        anyhow::bail!("the first load exceeds the size budget in xtask/budget.json");
    }
    Ok(())
}

fn first_load(dist: &Path) -> Result<Value> {
    let index =
        std::fs::read_to_string(dist.join("index.html")).context("reading dist/index.html")?;
    let mut paths = BTreeSet::from(["index.html".to_owned()]);
    paths.extend(referenced_files(&index, dist));
    let mut files = Vec::new();
    let (mut total_raw, mut total_gzip) = (0, 0);
    for path in paths {
        let bytes =
            std::fs::read(dist.join(&path)).with_context(|| format!("reading dist/{path}"))?;
        let gzip = gzip9_len(&bytes)?;
        total_raw += bytes.len();
        total_gzip += gzip;
        files.push(json!({ "path": path, "raw": bytes.len(), "gzip": gzip }));
    }
    Ok(json!({ "files": files, "total_raw": total_raw, "total_gzip": total_gzip }))
}

/// Every site-relative path in index.html that names a file in dist: link hrefs and script
/// srcs (quoted or, after trunk's minifier, bare) and the paths trunk's inline loader imports.
fn referenced_files(html: &str, dist: &Path) -> BTreeSet<String> {
    html.split(|c: char| c.is_whitespace() || "\"'=<>(),;".contains(c))
        .filter_map(|token| token.strip_prefix('/'))
        .filter(|path| !path.is_empty() && !path.contains("..") && dist.join(path).is_file())
        .map(str::to_owned)
        .collect()
}

fn gzip9_len(bytes: &[u8]) -> Result<usize> {
    let mut encoder = GzEncoder::new(Vec::new(), Compression::new(9));
    encoder.write_all(bytes)?;
    Ok(encoder.finish()?.len())
}

fn print_first_load(first_load: &Value) {
    println!("first load (release build):");
    println!("  {:>9} {:>9}  file", "raw", "gzip -9");
    for file in first_load["files"].as_array().into_iter().flatten() {
        println!(
            "  {:>9} {:>9}  {}",
            file["raw"].as_u64().unwrap_or_default(),
            file["gzip"].as_u64().unwrap_or_default(),
            file["path"].as_str().unwrap_or_default()
        );
    }
    println!(
        "  {:>9} {:>9}  total",
        first_load["total_raw"].as_u64().unwrap_or_default(),
        first_load["total_gzip"].as_u64().unwrap_or_default()
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_files_trunk_links_and_imports() {
        let dist = std::env::temp_dir().join(format!("xtask-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dist).unwrap();
        for f in ["app-1.js", "app-1_bg.wasm", "style-2.css"] {
            std::fs::write(dist.join(f), "x").unwrap();
        }
        let html = r#"<link rel=modulepreload href=/app-1.js><link rel="stylesheet" href="/style-2.css">
            <script type="module">import init from '/app-1.js'; init({ module_or_path: '/app-1_bg.wasm' });</script>
            <a href="/checklist/x">not a file</a>"#;
        let found: Vec<String> = referenced_files(html, &dist).into_iter().collect();
        std::fs::remove_dir_all(&dist).unwrap();
        assert_eq!(found, ["app-1.js", "app-1_bg.wasm", "style-2.css"]);
    }
}
