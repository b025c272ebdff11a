//! `cargo xtask bench`: figures, printed and written to `target/bench/results.json`.
//!
//! Size targets live here, never in timed tests. First load = every file the page fetches
//! before it is interactive: index.html and what it references (CSS, JS glue, wasm, icon).
//! Pages = Lighthouse on `/`, a checklist and a setup page (`bench_pages`).
//!
//! `--only health`: only the tenant health figures, replacing `health` in results.json.
//! `--e2e-dist DIR`: time the health page on that e2e build instead of building one.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use flate2::{write::GzEncoder, Compression};
use serde_json::{json, Value};

use crate::project::{e2e_dist, root, trunk_build, trunk_build_e2e};
use crate::setup;

use crate::{bench_health, bench_pages, bench_setup, wasm_weight};

/// The page module that renders the checklist pages, and the automated-setup one: their
/// cargo binaries, and the `<meta name>` under which index.html names their hashed stems.
const CHECKLIST_MODULE: &str = "entra-setup-checklist";
const AUTOMATED_MODULE: &str = "entra-setup-automated";
const SIGNIN_MODULE: &str = "entra-setup-signin";
/// What a deep link to a checklist loads instead of the shell: the shell with the checklist
/// pages built in (`src/bin/checklist_app.rs`).
const CHECKLIST_APP: &str = "entra-setup-checklist-app";
/// A checklist's downloads (`src/bin/exports.rs`): loaded once a checklist has rendered.
const EXPORTS_MODULE: &str = "entra-setup-exports";
/// The deep link whose bytes until usable issue 10 sets a goal for.
const CHECKLIST_DEEP_LINK: &str = "checklist/kinde-microsoft-365.html";

/// The crates that `oauth2` brings into the automated-setup module and nothing else there
/// needs.
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
/// What must never reach the checklist module or app: sign-in, Graph transport, and
/// serde_json (the downloads' JSON is the exports module's; what the checklist stores goes
/// through the browser's JSON, `browser/js_value.rs`).
const NOT_IN_CHECKLIST: &[&str] = &["oauth2", "serde_json", "url", "http"];
/// What must never reach the exports module: it renders nothing and signs in to nothing.
const NOT_IN_EXPORTS: &[&str] = &[
    "leptos",
    "tachys",
    "reactive_graph",
    "oauth2",
    "url",
    "http",
];

/// What the command line asks for.
#[derive(Debug, Default, PartialEq)]
struct Options {
    only_health: bool,
    e2e_dist: Option<PathBuf>,
}

impl Options {
    fn parse(args: &[String]) -> Result<Options> {
        let mut options = Options::default();
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            let value = args.next().map(String::as_str);
            match (arg.as_str(), value) {
                ("--only", Some("health")) => options.only_health = true,
                ("--e2e-dist", Some(dir)) => options.e2e_dist = Some(root().join(dir)),
                _ => anyhow::bail!(
                    "bench takes only `--only health` and `--e2e-dist DIR`, not `{arg} {}`",
                    value.unwrap_or_default()
                ),
            }
        }
        Ok(options)
    }

    /// The e2e build the health page is timed on (the deployable `dist/` refuses the
    /// loopback simulator): built now unless `--e2e-dist` names one.
    fn e2e_dist(&self) -> Result<PathBuf> {
        match &self.e2e_dist {
            Some(dir) => Ok(dir.clone()),
            None => trunk_build_e2e().map(|()| e2e_dist()),
        }
    }
}

pub fn run(args: &[String]) -> Result<()> {
    let options = Options::parse(args)?;
    setup::run_if_needed()?;
    if options.only_health {
        return only_health(&options);
    }
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

    let mut checklist = page_module(&dist, &first_load, CHECKLIST_MODULE)?;
    // What a deep link to a checklist fetches before the admin can tick a step: its
    // prerendered page and what that page loads, the checklist app (issue 10's goal: 200 KB
    // gzip).
    let deep_link = page_load(&dist, CHECKLIST_DEEP_LINK)?;
    print_transfer(
        &format!("{CHECKLIST_DEEP_LINK} (a deep link: the checklist app, not the shell)"),
        &deep_link,
    );
    let to_usable = deep_link["total_gzip"].as_u64().unwrap_or_default();
    // Issue 10's goal, checked once the budget names it.
    let usable_limit = budget["usable_checklist_gzip"].as_u64();
    println!(
        "bytes until a checklist is usable: {to_usable} B gzip (its prerendered page and the checklist app{})",
        usable_limit.map_or(String::new(), |l| format!("; budget {l} B"))
    );
    checklist["usable_checklist_gzip"] = json!(to_usable);
    // From the home page, the shell already running: the checklist module joins it.
    let from_home = total_gzip + checklist["total_gzip"].as_u64().unwrap_or_default();
    println!("bytes until a checklist opened from the home page is usable: {from_home} B gzip (first load + checklist module)");
    checklist["usable_checklist_from_home_gzip"] = json!(from_home);
    // The downloads' module follows when their card nears the viewport: not part of the bytes
    // until it is usable, reported so that nobody reads the figure above as everything.
    let exports = page_module(&dist, &first_load, EXPORTS_MODULE)?;
    let with_downloads = to_usable + exports["total_gzip"].as_u64().unwrap_or_default();
    println!("bytes until a deep-linked checklist's downloads are ready: {with_downloads} B gzip (and the exports module, fetched when the Downloads card nears the viewport)");
    checklist["downloads_ready_gzip"] = json!(with_downloads);
    let mut automated = page_module(&dist, &first_load, AUTOMATED_MODULE)?;
    let to_setup = total_gzip + automated["total_gzip"].as_u64().unwrap_or_default();
    println!("bytes until the automated setup is usable: {to_setup} B gzip (first load + automated-setup module)");
    automated["usable_setup_gzip"] = json!(to_setup);
    // A deep link to a setup page, signed out: the sign-in module paints it and its sign-in
    // button works; the automated-setup module loads once the admin is back signed in.
    let mut signin = page_module(&dist, &first_load, SIGNIN_MODULE)?;
    let to_sign_in = total_gzip
        + prerendered_extra(&dist, &first_load, "setup/novus-calendarsync.html")?
        + signin["total_gzip"].as_u64().unwrap_or_default();
    println!("bytes until a setup page can be signed in to: {to_sign_in} B gzip (its prerendered page, the shell and the sign-in module)");
    signin["usable_signed_out_setup_gzip"] = json!(to_sign_in);

    let mut leaks = Vec::new();
    for (module, wasm, forbidden) in [
        ("first load", "entra-setup-assistant", NOT_IN_FIRST_LOAD),
        ("checklist module", CHECKLIST_MODULE, NOT_IN_CHECKLIST),
        ("checklist app", CHECKLIST_APP, NOT_IN_CHECKLIST),
        ("exports module", EXPORTS_MODULE, NOT_IN_EXPORTS),
    ] {
        let crates = wasm_weight::code_by_crate(&cargo_wasm(wasm))?;
        let leaked: Vec<&str> = forbidden
            .iter()
            .copied()
            .filter(|c| crates.iter().any(|(name, _)| name == c))
            .collect();
        if !leaked.is_empty() {
            println!(
                "the {module} links {}, weight it must not carry",
                leaked.join(", ")
            );
            leaks.push(format!("the {module} links {}", leaked.join(", ")));
        }
    }

    // After the checks above: the e2e build overwrites cargo's release wasm they read.
    let e2e = options.e2e_dist()?;
    let results = json!({
        "first_load": first_load,
        "budget": { "first_load_total_gzip": limit, "within": within },
        // `page_module`: the module a checklist needs (the figure issue 10 sets a goal for).
        "page_module": checklist,
        // A deep link to a checklist: its prerendered page and the checklist app.
        "checklist_deep_link": deep_link,
        // A checklist's downloads, loaded when their card nears the viewport.
        "exports_module": exports,
        "automated_module": automated,
        "signin_module": signin,
        "setup": bench_setup::run()?,
        "health": bench_health::run(&e2e)?,
        "pages": bench_pages::run_lighthouse()?,
    });
    let out_dir = root().join("target/bench");
    std::fs::create_dir_all(&out_dir)?;
    let out = out_dir.join("results.json");
    std::fs::write(&out, serde_json::to_string_pretty(&results)? + "\n")?;
    println!("wrote {}", out.display());
    if !within {
        anyhow::bail!("the first load exceeds the size budget in xtask/budget.json");
    }
    if let Some(limit) = usable_limit.filter(|limit| to_usable > *limit) {
        anyhow::bail!(
            "a checklist is usable after {to_usable} B gzip, over the {limit} B of xtask/budget.json"
        );
    }
    if !leaks.is_empty() {
        anyhow::bail!("{}", leaks.join("; "));
    }
    Ok(())
}

/// `--only health`: the health figures, written into the `health` of results.json (the
/// other figures of an earlier run kept).
fn only_health(options: &Options) -> Result<()> {
    let health = bench_health::run(&options.e2e_dist()?)?;
    let out_dir = root().join("target/bench");
    std::fs::create_dir_all(&out_dir)?;
    let out = out_dir.join("results.json");
    let mut results: Value = match std::fs::read_to_string(&out) {
        Ok(text) => {
            serde_json::from_str(&text).with_context(|| format!("reading {}", out.display()))?
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => json!({}),
        Err(e) => return Err(e).with_context(|| format!("reading {}", out.display())),
    };
    results["health"] = health;
    std::fs::write(&out, serde_json::to_string_pretty(&results)? + "\n")?;
    println!("wrote {} (health)", out.display());
    Ok(())
}

/// cargo's wasm for a binary: it still has the name section that wasm-bindgen strips.
fn cargo_wasm(bin: &str) -> std::path::PathBuf {
    crate::project::target_dir().join(format!("wasm32-unknown-unknown/release/{bin}.wasm"))
}

/// A lazily loaded page module (`name`: its cargo binary and `<meta name>`): its transfer
/// size and what weighs in it.
fn page_module(dist: &Path, first_load: &Value, name: &str) -> Result<Value> {
    let loaded: BTreeSet<&str> = first_load["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f["path"].as_str())
        .collect();
    let index =
        std::fs::read_to_string(dist.join("index.html")).context("reading dist/index.html")?;
    let files = page_module_files(&index, name)?;
    if let Some(file) = files.iter().find(|file| loaded.contains(file.as_str())) {
        anyhow::bail!("{file} is part of the first load; it should load on first use");
    }
    let mut sizes = transfer(dist, files)?;
    let crates = wasm_weight::code_by_crate(&cargo_wasm(name))?;
    print_transfer(&format!("{name} (loaded on first use)"), &sizes);
    println!(
        "  code by crate (before wasm-opt): {}",
        crates
            .iter()
            .take(8)
            .map(|(c, n)| format!("{c} {n}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    sizes["oauth2_cost"] = oauth2_cost(&crates, &sizes);
    sizes["code_by_crate"] = crates
        .iter()
        .take(15)
        .map(|(c, n)| json!({ "crate": c, "bytes": n }))
        .collect();
    Ok(sizes)
}

/// The share of a module's code (and so, roughly, of its transfer) that is the `oauth2`
/// crate with the dependencies only it brings: the price of PKCE through the crate the
/// design names (nothing in the checklist module).
fn oauth2_cost(crates: &[(String, u64)], module: &Value) -> Value {
    let all_code: u64 = crates.iter().map(|(_, n)| n).sum();
    let oauth2_code: u64 = crates
        .iter()
        .filter(|(name, _)| OAUTH2_AND_ITS_DEPENDENCIES.contains(&name.as_str()))
        .map(|(_, n)| n)
        .sum();
    let share = oauth2_code as f64 / all_code.max(1) as f64;
    let total_gzip = module["total_gzip"].as_u64().unwrap_or_default();
    println!(
        "  oauth2 and the crates only it brings: {oauth2_code} B of {all_code} B code ({:.1}%), about {} B of the gzip transfer",
        share * 100.0,
        (share * total_gzip as f64).round()
    );
    json!({
        "crates": OAUTH2_AND_ITS_DEPENDENCIES,
        "code_bytes": oauth2_code,
        "share_of_code": share,
        "estimated_gzip_bytes": (share * total_gzip as f64).round(),
    })
}

/// A page module's files, by the content-hashed stem that `hosting/post-build.mjs` writes
/// into index.html's `<meta name="{name}" content="{name}-<hash>">`.
fn page_module_files(index: &str, name: &str) -> Result<[String; 2]> {
    let prefix = format!("{name}-");
    let stem = index
        .split(|c: char| c.is_whitespace() || "\"'=<>".contains(c))
        .find(|token| token.starts_with(&prefix))
        .with_context(|| format!("dist/index.html names no {name} (<meta name={name}>)"))?;
    Ok([format!("{stem}.js"), format!("{stem}_bg.wasm")])
}

/// A deep link is served its prerendered page instead of index.html (`src/prerender.rs`):
/// the gzip bytes that page adds (0 when the build prerendered none).
fn prerendered_extra(dist: &Path, first_load: &Value, page: &str) -> Result<u64> {
    let Ok(html) = std::fs::read(dist.join(page)) else {
        return Ok(0);
    };
    let index = first_load["files"]
        .as_array()
        .and_then(|files| files.iter().find(|f| f["path"] == "index.html"))
        .and_then(|f| f["gzip"].as_u64())
        .context("first load has index.html")?;
    Ok((gzip9_len(&html)? as u64).saturating_sub(index))
}

fn first_load(dist: &Path) -> Result<Value> {
    page_load(dist, "index.html")
}

/// A page of dist (`page`, relative) and every file it references, and every file those
/// scripts reference in turn (a checklist deep link's start file imports the app's glue and
/// fetches its wasm).
fn page_load(dist: &Path, page: &str) -> Result<Value> {
    let mut paths = BTreeSet::from([page.to_owned()]);
    let mut unread = vec![page.to_owned()];
    while let Some(path) = unread.pop() {
        let text = std::fs::read_to_string(dist.join(&path))
            .with_context(|| format!("reading dist/{path}"))?;
        for file in referenced_files(&text, dist) {
            if paths.insert(file.clone()) && file.ends_with(".js") {
                unread.push(file);
            }
        }
    }
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

/// Every path in a page or a script at dist's top level that names a file in dist: link hrefs
/// and script srcs (quoted or, after trunk's minifier, bare), the paths trunk's inline loader
/// imports, and a script's `./` imports.
fn referenced_files(html: &str, dist: &Path) -> BTreeSet<String> {
    html.split(|c: char| c.is_whitespace() || "\"'=<>(),;".contains(c))
        .filter_map(|token| token.strip_prefix("./").or_else(|| token.strip_prefix('/')))
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
    fn reads_the_command_line() {
        let args = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(Options::parse(&[]).unwrap(), Options::default());
        let only = Options::parse(&args(&[
            "--only",
            "health",
            "--e2e-dist",
            "target/e2e-dist",
        ]));
        assert_eq!(
            only.unwrap(),
            Options {
                only_health: true,
                e2e_dist: Some(root().join("target/e2e-dist")),
            }
        );
        assert!(Options::parse(&args(&["--only", "pages"])).is_err());
        assert!(Options::parse(&args(&["--e2e-dist"])).is_err());
    }

    /// A build folder named `name` (under the temporary folder) holding `files`.
    fn dist_with(name: &str, files: &[(&str, &str)]) -> PathBuf {
        let dist = std::env::temp_dir().join(format!("{name}-{}", std::process::id()));
        for (path, text) in files {
            let path = dist.join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dist
    }

    #[test]
    fn finds_the_files_trunk_links_and_imports() {
        let dist = dist_with(
            "xtask-bench",
            &[
                ("app-1.js", "x"),
                ("app-1_bg.wasm", "x"),
                ("style-2.css", "x"),
            ],
        );
        let html = r#"<link rel=modulepreload href=/app-1.js><link rel="stylesheet" href="/style-2.css">
            <script type="module">import init from './app-1.js'; init({ module_or_path: '/app-1_bg.wasm' });</script>
            <a href="/checklist/x">not a file</a>"#;
        let found: Vec<String> = referenced_files(html, &dist).into_iter().collect();
        std::fs::remove_dir_all(&dist).unwrap();
        assert_eq!(found, ["app-1.js", "app-1_bg.wasm", "style-2.css"]);
    }

    /// A checklist deep link names only its start file; the app's glue and wasm are what that
    /// file imports and fetches, and they count.
    #[test]
    fn a_page_load_follows_its_scripts_imports() {
        let dist = dist_with(
            "xtask-bench-load",
            &[
                (
                    "checklist/x.html",
                    "<script type=module src=/app-1.start.js></script><a href=/>home</a>",
                ),
                (
                    "app-1.start.js",
                    "import init from './app-1.js';\ninit({ module_or_path: '/app-1_bg.wasm' });\n",
                ),
                ("app-1.js", "import * as s from './snippets/s-1/lazy.js';"),
                ("app-1_bg.wasm", "w"),
                ("snippets/s-1/lazy.js", "export {}"),
                ("unused.js", "u"),
            ],
        );
        let load = page_load(&dist, "checklist/x.html").unwrap();
        std::fs::remove_dir_all(&dist).unwrap();
        let paths: Vec<&str> = load["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["path"].as_str().unwrap())
            .collect();
        assert_eq!(
            paths,
            [
                "app-1.js",
                "app-1.start.js",
                "app-1_bg.wasm",
                "checklist/x.html",
                "snippets/s-1/lazy.js"
            ]
        );
    }

    #[test]
    fn finds_each_page_module_by_the_stem_index_html_names() {
        let html = r#"<link rel=modulepreload href=/app-1.js><meta name="entra-setup-checklist" content="entra-setup-checklist-0123abcd"><meta name="entra-setup-automated" content="entra-setup-automated-4567ef01"></head>"#;
        assert_eq!(
            page_module_files(html, CHECKLIST_MODULE).unwrap(),
            [
                "entra-setup-checklist-0123abcd.js",
                "entra-setup-checklist-0123abcd_bg.wasm"
            ]
        );
        assert_eq!(
            page_module_files(html, AUTOMATED_MODULE).unwrap()[1],
            "entra-setup-automated-4567ef01_bg.wasm"
        );
        assert!(page_module_files("<head></head>", CHECKLIST_MODULE).is_err());
    }
}
