//! `cargo xtask setup`: install what is missing, and nothing else.
//!
//! Each tool is checked first, so a warm machine finishes in about a second. Versions are
//! pinned because trunk never downloads (`offline = true`): it only accepts the exact
//! wasm-bindgen in Cargo.lock, and only wasm-opt 132 from npm produces a working module.

use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::project::{self, command, locked_wasm_bindgen_version, output_of, root};

/// trunk 0.22 needs a newer rustc than this machine's 1.95.
const TRUNK_VERSION: &str = "0.21.14";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

pub fn run() -> Result<()> {
    let mut did = Vec::new();
    ensure_wasm_target(&mut did)?;
    ensure_trunk(&mut did)?;
    ensure_wasm_bindgen(&mut did)?;
    ensure_npm_packages(&mut did)?;
    ensure_chromium(&mut did)?;
    // trunk builds with `cargo --offline`, so every crate must already be on disk.
    project::run(command("cargo").arg("fetch"))?;
    if did.is_empty() {
        println!("setup: everything already installed");
    } else {
        for line in &did {
            println!("setup: {line}");
        }
    }
    Ok(())
}

/// True when `run` has nothing left to install: lets `dev`/`test` skip it quietly.
pub fn is_complete() -> bool {
    has_wasm_target()
        && trunk_is_pinned()
        && locked_wasm_bindgen_version().is_ok_and(|v| wasm_bindgen_is(&v))
        && npm_packages_current()
        && Path::new(CHROMIUM).exists()
        && Path::new(CHROMEDRIVER).exists()
}

pub fn run_if_needed() -> Result<()> {
    if is_complete() {
        return Ok(());
    }
    println!("setup: some tools are missing; installing them first");
    run()
}

fn has_wasm_target() -> bool {
    output_of(command("rustup").args(["target", "list", "--installed"]))
        .is_some_and(|out| out.lines().any(|l| l.trim() == WASM_TARGET))
}

fn ensure_wasm_target(did: &mut Vec<String>) -> Result<()> {
    if has_wasm_target() {
        return Ok(());
    }
    project::run(command("rustup").args(["target", "add", WASM_TARGET]))?;
    did.push(format!("added the {WASM_TARGET} target"));
    Ok(())
}

fn trunk_is_pinned() -> bool {
    output_of(command("trunk").arg("--version"))
        .is_some_and(|out| out.split_whitespace().nth(1) == Some(TRUNK_VERSION))
}

fn ensure_trunk(did: &mut Vec<String>) -> Result<()> {
    if trunk_is_pinned() {
        return Ok(());
    }
    println!("setup: installing trunk {TRUNK_VERSION} (several minutes on 2 cores)");
    project::run(command("cargo").args([
        "install",
        "trunk",
        "--version",
        TRUNK_VERSION,
        "--locked",
    ]))?;
    did.push(format!("installed trunk {TRUNK_VERSION}"));
    Ok(())
}

fn wasm_bindgen_is(version: &str) -> bool {
    output_of(command("wasm-bindgen").arg("--version"))
        .is_some_and(|out| out.split_whitespace().nth(1) == Some(version))
}

fn ensure_wasm_bindgen(did: &mut Vec<String>) -> Result<()> {
    let version = locked_wasm_bindgen_version()?;
    if wasm_bindgen_is(&version) {
        return Ok(());
    }
    println!("setup: installing wasm-bindgen-cli {version} (several minutes on 2 cores)");
    // Not --locked: its lockfile names a webpki-roots version the registry no longer has.
    project::run(command("cargo").args([
        "install",
        "wasm-bindgen-cli",
        "--version",
        &version,
        "--force",
    ]))?;
    did.push(format!("installed wasm-bindgen-cli {version}"));
    Ok(())
}

/// npm records what it installed in node_modules/.package-lock.json; an install is current
/// when that copy is at least as new as the committed lockfile.
fn npm_packages_current() -> bool {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let root = root();
    match (
        modified(&root.join("package-lock.json")),
        modified(&root.join("node_modules/.package-lock.json")),
    ) {
        (Some(lock), Some(installed)) => installed >= lock,
        _ => false,
    }
}

fn ensure_npm_packages(did: &mut Vec<String>) -> Result<()> {
    if npm_packages_current() {
        return Ok(());
    }
    project::run(command("npm").args(["ci", "--no-audit", "--no-fund"])).context(
        "installing npm packages (wasm-opt from binaryen, terser, playwright-core, axe-core, lighthouse)",
    )?;
    did.push("installed npm packages from package-lock.json (binaryen 132, terser, playwright-core, axe-core, lighthouse)".to_owned());
    Ok(())
}

fn ensure_chromium(did: &mut Vec<String>) -> Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    let as_root = output_of(command("id").arg("-u")).is_some_and(|uid| uid.trim() == "0");
    let apt = |args: &[&str]| {
        let mut apt = if as_root {
            command("apt-get")
        } else {
            let mut sudo = command("sudo");
            sudo.arg("apt-get");
            sudo
        };
        apt.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        apt
    };
    project::run(&mut apt(&["update", "-qq"]))?;
    project::run(&mut apt(&[
        "install",
        "-y",
        "-qq",
        "chromium",
        "chromium-driver",
    ]))?;
    if !Path::new(CHROMEDRIVER).exists() {
        bail!("chromium-driver installed but {CHROMEDRIVER} is missing");
    }
    did.push("installed Debian chromium and chromium-driver".to_owned());
    Ok(())
}
