//! `cargo xtask bench`: figures, printed and written to `target/bench/results.json`.
//!
//! Size targets live here, never in timed tests. First load = every file the page fetches
//! before it is interactive: index.html and what it references (CSS, JS glue, wasm, icon).
//! Pages = Lighthouse on `/`, a checklist and a setup page (`bench_pages`).

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};
use flate2::{write::GzEncoder, Compression};
use serde_json::{json, Value};

use crate::project::{root, trunk_build};
use crate::setup;

use crate::{bench_health, bench_pages, bench_setup, wasm_weight};

/// The crates that `oauth2` brings into the page module and nothing else there needs.
const OAUTH2_AND_ITS_DEPENDENCIES: &[&str] = &[
    "oauth2",
    "url",
    "idna",
    "idna_adapter",
    "form_urlencoded",
    "percent_encoding",
    "chrono",
    "rand",
    "rand_core",
    "rand_chacha",
    "ppv_lite86",
    "getrandom",
    "serde_path_to_error",
    "icu_normalizer",
    "icu_properties",
    "icu_collections",
    "icu_provider",
    "utf8_iter",
];
/// What must never reach the first load: the automated mode's weight.
const NOT_IN_FIRST_LOAD: &[&str] = &["oauth2", "serde_json", "url", "http"];

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

    print_transfer("first load (release build)", &first_load);
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

    let mut page_module = page_module(&dist, &first_load)?;
    // What a deep link to a checklist fetches before the admin can tick a step: the first
    // load and the page module (issue 10's goal: 200 KB gzip).
    let to_usable = total_gzip + page_module["total_gzip"].as_u64().unwrap_or_default();
    println!("bytes until a checklist is usable: {to_usable} B gzip (first load + page module)");
    page_module["usable_checklist_gzip"] = json!(to_usable);
    let shell_crates = wasm_weight::code_by_crate(&cargo_wasm("entra-setup-assistant"))?;
    let leaked: Vec<&str> = NOT_IN_FIRST_LOAD
        .iter()
        .copied()
        .filter(|c| shell_crates.iter().any(|(name, _)| name == c))
        .collect();
    if !leaked.is_empty() {
        println!(
            "first load links {}: the automated mode's weight reached the shell",
            leaked.join(", ")
        );
    }

    let results = json!({
        "first_load": first_load,
        "budget": { "first_load_total_gzip": limit, "within": within },
        "page_module": page_module,
        "setup": bench_setup::run()?,
        "health": bench_health::run()?,
        "pages": bench_pages::run_lighthouse(&dist)?,
    });
    let out_dir = root().join("target/bench");
    std::fs::create_dir_all(&out_dir)?;
    let out = out_dir.join("results.json");
    std::fs::write(&out, serde_json::to_string_pretty(&results)? + "\n")?;
    println!("wrote {}", out.display());
    if !within {
        anyhow::bail!("the first load exceeds the size budget in xtask/budget.json");
    }
    if !leaked.is_empty() {
        anyhow::bail!("the first load links {}", leaked.join(", "));
    }
    Ok(())
}

/// cargo's wasm for a binary: it still has the name section that wasm-bindgen strips.
fn cargo_wasm(bin: &str) -> std::path::PathBuf {
    crate::project::target_dir().join(format!("wasm32-unknown-unknown/release/{bin}.wasm"))
}

/// The lazily loaded page module (checklist and automated setup): its transfer size, what
/// weighs in it, and the share of the `oauth2` crate with the dependencies only it brings.
fn page_module(dist: &Path, first_load: &Value) -> Result<Value> {
    let loaded: BTreeSet<&str> = first_load["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["path"].as_str())
        .collect();
    let index =
        std::fs::read_to_string(dist.join("index.html")).context("reading dist/index.html")?;
    let files = page_module_files(&index)?;
    if let Some(name) = files.iter().find(|name| loaded.contains(name.as_str())) {
        anyhow::bail!("{name} is part of the first load; it should load on first use");
    }
    let mut sizes = transfer(dist, files)?;
    let total_gzip = sizes["total_gzip"].as_u64().unwrap_or_default();
    let crates = wasm_weight::code_by_crate(&cargo_wasm("entra-setup-pages"))?;
    let all_code: u64 = crates.iter().map(|(_, n)| n).sum();
    let oauth2_code: u64 = crates
        .iter()
        .filter(|(name, _)| OAUTH2_AND_ITS_DEPENDENCIES.contains(&name.as_str()))
        .map(|(_, n)| n)
        .sum();
    let share = oauth2_code as f64 / all_code.max(1) as f64;
    print_transfer(
        "page module (loaded on first use of a checklist or setup page)",
        &sizes,
    );
    println!(
        "  code by crate (before wasm-opt): {}",
        crates
            .iter()
            .take(8)
            .map(|(c, n)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    println!(
        "  oauth2 and the crates only it brings: {oauth2_code} B of {all_code} B code ({:.1}%), about {} B of the gzip transfer",
        share * 100.0,
        (share * total_gzip as f64).round()
    );
    sizes["code_by_crate"] = crates
        .iter()
        .take(15)
        .map(|(c, n)| json!({ "crate": c, "bytes": n }))
        .collect();
    sizes["oauth2_cost"] = json!({
        "crates": OAUTH2_AND_ITS_DEPENDENCIES,
        "code_bytes": oauth2_code,
        "share_of_code": share,
        "estimated_gzip_bytes": (share * total_gzip as f64).round(),
    });
    Ok(sizes)
}

/// The page module's files, by the content-hashed stem that `hosting/post-build.mjs` writes
/// into index.html's `<meta name="entra-setup-pages" content="entra-setup-pages-<hash>">`.
fn page_module_files(index: &str) -> Result<[String; 2]> {
    let stem = index
        .split(|c: char| c.is_whitespace() || "\"'=<>".contains(c))
        .find(|token| token.starts_with("entra-setup-pages-"))
        .context("dist/index.html names no page module (<meta name=entra-setup-pages>)")?;
    Ok([format!("{stem}.js"), format!("{stem}_bg.wasm")])
}

fn first_load(dist: &Path) -> Result<Value> {
    let index =
        std::fs::read_to_string(dist.join("index.html")).context("reading dist/index.html")?;
    let mut paths = BTreeSet::from(["index.html".to_owned()]);
    paths.extend(referenced_files(&index, dist));
    transfer(dist, paths)
}

/// Raw and gzip -9 sizes of files in dist, with totals: `{files: [{path, raw, gzip}],
/// total_raw, total_gzip}`.
fn transfer(dist: &Path, paths: impl IntoIterator<Item = String>) -> Result<Value> {
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

/// A `transfer` table: raw and gzip -9 bytes per file, then the totals.
fn print_transfer(title: &str, transfer: &Value) {
    println!("{title}:");
    println!("  {:>9} {:>9}  file", "raw", "gzip -9");
    for file in transfer["files"].as_array().into_iter().flatten() {
        println!(
            "  {:>9} {:>9}  {}",
            file["raw"].as_u64().unwrap_or_default(),
            file["gzip"].as_u64().unwrap_or_default(),
            file["path"].as_str().unwrap_or_default()
        );
    }
    println!(
        "  {:>9} {:>9}  total",
        transfer["total_raw"].as_u64().unwrap_or_default(),
        transfer["total_gzip"].as_u64().unwrap_or_default()
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

    #[test]
    fn finds_the_page_module_by_the_stem_index_html_names() {
        let html = r#"<link rel=modulepreload href=/app-1.js><meta name="entra-setup-pages" content="entra-setup-pages-0123abcd"></head>"#;
        assert_eq!(
            page_module_files(html).unwrap(),
            [
                "entra-setup-pages-0123abcd.js",
                "entra-setup-pages-0123abcd_bg.wasm"
            ]
        );
        assert!(page_module_files("<head></head>").is_err());
    }
}
