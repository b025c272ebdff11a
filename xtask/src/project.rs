//! Where things are, and running the tools with the environment the project needs.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitStatus};

use anyhow::{bail, Context, Result};

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives one level below the workspace root")
        .to_path_buf()
}

/// PATH with npm's tools (wasm-opt 132) ahead of Debian's, whose wasm-opt 108 silently
/// produces a module that crashes at start, and cargo's bin dir for trunk/wasm-bindgen.
pub fn tool_path() -> OsString {
    let mut dirs = vec![root().join("node_modules/.bin")];
    if let Some(home) = std::env::var_os("CARGO_HOME") {
        dirs.push(PathBuf::from(home).join("bin"));
    } else if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home).join(".cargo/bin"));
    }
    if let Some(path) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&path));
    }
    std::env::join_paths(dirs).expect("PATH entries contain no separator")
}

/// A command run from the workspace root with the project's PATH.
pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root()).env("PATH", tool_path());
    command
}

/// Runs to completion with inherited stdio; fails with the command line on a non-zero exit.
pub fn run(command: &mut Command) -> Result<()> {
    let status = status(command)?;
    if !status.success() {
        bail!("`{}` failed ({status})", describe(command));
    }
    Ok(())
}

fn status(command: &mut Command) -> Result<ExitStatus> {
    command
        .status()
        .with_context(|| format!("could not start `{}`", describe(command)))
}

/// Runs and captures stdout; `None` when the program is missing or fails.
pub fn output_of(command: &mut Command) -> Option<String> {
    let output = command.output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

pub fn describe(command: &Command) -> String {
    let mut line = command.get_program().to_string_lossy().into_owned();
    for arg in command.get_args() {
        line.push(' ');
        line.push_str(&arg.to_string_lossy());
    }
    line
}

/// The exact `wasm-bindgen` version in Cargo.lock: the CLI must match it byte for byte.
pub fn locked_wasm_bindgen_version() -> Result<String> {
    let lock = std::fs::read_to_string(root().join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "name = \"wasm-bindgen\"" {
            if let Some(version) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = "))
            {
                return Ok(version.trim_matches('"').to_owned());
            }
        }
    }
    bail!("Cargo.lock has no wasm-bindgen entry")
}

/// Builds the app into `dist/` with trunk (offline: tools come from `cargo xtask setup`),
/// as a deployer does: without `dev-endpoints`, so it refuses a loopback `config.json`.
pub fn trunk_build(release: bool) -> Result<()> {
    trunk(release, &[])
}

/// Where cargo puts what it builds: `CARGO_TARGET_DIR` when set (relative to the
/// repository, as cargo reads it), else `target/`.
pub fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) if !dir.is_empty() => root().join(dir),
        _ => root().join("target"),
    }
}

/// Where the build for the end-to-end tests goes: a release build with the
/// `dev-endpoints` feature (the tests sign in to entra-sim on loopback), kept out of
/// `dist/` so a deployable `dist/` is never one that accepts a simulator.
pub fn e2e_dist() -> PathBuf {
    root().join("target/e2e-dist")
}

/// The release build the end-to-end tests (and the screenshot) serve: [`e2e_dist`].
pub fn trunk_build_e2e() -> Result<()> {
    let dist = e2e_dist();
    let dist = dist.to_str().context("non-UTF-8 target path")?;
    trunk(true, &["--features", "dev-endpoints", "--dist", dist])
}

/// A release build into `dist` as a host deploys it, with `config` as its config.json
/// (`hosting/post-build.mjs` reads `ENTRA_SETUP_CONFIG`).
pub fn trunk_build_hosted(dist: &Path, config: &Path) -> Result<()> {
    let dist = dist.to_str().context("non-UTF-8 target path")?;
    trunk_with(true, &["--dist", dist], Some(config))
}

fn trunk(release: bool, args: &[&str]) -> Result<()> {
    trunk_with(release, args, None)
}

fn trunk_with(release: bool, args: &[&str], config: Option<&Path>) -> Result<()> {
    // trunk builds with `cargo --offline`: every crate must already be on disk.
    run(command("cargo").arg("fetch").arg("--quiet"))?;
    let mut trunk = command("trunk");
    trunk.arg("build").env("TRUNK_OFFLINE", "true");
    if let Some(config) = config {
        trunk.env("ENTRA_SETUP_CONFIG", config);
    }
    if release {
        trunk.arg("--release");
    }
    trunk.args(args);
    run(&mut trunk)
}
