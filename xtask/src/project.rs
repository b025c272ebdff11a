//! Where things are, and running the tools with the environment the project needs.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

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

/// Runs to completion, echoing what it prints; on a non-zero exit, fails with the command
/// line and the lines where it named an error. A CI log keeps only its tail, and trunk ends
/// a failed build with a backtrace of its own: without this, the tail says that a build
/// failed but not why (CI once ended so, exit 101 from cargo, with the cause cut off).
pub fn run(command: &mut Command) -> Result<()> {
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{}`", describe(command)))?;
    let stderr = child.stderr.take().context("stderr")?;
    let errors = std::thread::spawn(move || echo(stderr, &mut std::io::stderr()));
    let mut said = echo(
        child.stdout.take().context("stdout")?,
        &mut std::io::stdout(),
    );
    said.extend(errors.join().unwrap_or_default());
    let status = child.wait()?;
    if !status.success() {
        let mut message = format!("`{}` failed ({status})", describe(command));
        for line in unique(said) {
            message.push_str("\n  ");
            message.push_str(&line);
        }
        bail!(message);
    }
    Ok(())
}

/// How many error lines a failure keeps: enough for a compiler's reasons, not a whole log.
const ERROR_LINES: usize = 40;

/// Copies `from` to `to` line by line, returning the lines that name an error.
fn echo(from: impl Read, to: &mut impl Write) -> Vec<String> {
    let mut errors = Vec::new();
    for line in BufReader::new(from).lines().map_while(Result::ok) {
        let _ = writeln!(to, "{line}");
        if errors.len() < ERROR_LINES && names_an_error(&line) {
            errors.push(line.trim().to_owned());
        }
    }
    errors
}

/// Cargo's and rustc's `error:` / `error[E…]` lines, trunk's `ERROR` events, and the
/// operating system's reasons that come without the word (a full disk, a killed compiler).
/// A backtrace's frames (`  3: trunk::…`, `at ./src/…`) are left out: they name functions.
fn names_an_error(line: &str) -> bool {
    let trimmed = line.trim_start();
    let frame = trimmed.starts_with("at ")
        || trimmed
            .split_once(": ")
            .is_some_and(|(n, _)| n.chars().all(|c| c.is_ascii_digit()));
    let line = line.to_ascii_lowercase();
    !frame && (line.contains("error") || line.contains("no space left") || line.contains("sigkill"))
}

/// The same error from several of trunk's concurrent builds is worth reading once.
fn unique(lines: Vec<String>) -> Vec<String> {
    let mut seen = std::collections::HashSet::new();
    lines
        .into_iter()
        .filter(|line| seen.insert(line.clone()))
        .collect()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_command_says_why_without_backtrace_frames() {
        let script = "echo 'Compiling app'; \
            echo 'error: failed to write lib.rmeta: No space left on device (os error 28)' >&2; \
            echo '   3: <anyhow::Error as core::fmt::Debug>::fmt' >&2; \
            echo 'ERROR error from build pipeline'; echo 'ERROR error from build pipeline'; \
            exit 101";
        let error = run(Command::new("sh").args(["-c", script])).unwrap_err();
        let message = format!("{error:#}");
        // The first line is the command line (which here holds the script itself).
        let (command, said) = message.split_once('\n').unwrap();
        assert!(command.ends_with("failed (exit status: 101)"), "{message}");
        assert!(said.contains("No space left on device"), "{message}");
        assert_eq!(
            said.matches("error from build pipeline").count(),
            1,
            "{message}"
        );
        assert!(
            !said.contains("Compiling") && !said.contains("anyhow"),
            "{message}"
        );
    }

    #[test]
    fn a_command_that_succeeds_is_not_an_error_whatever_it_prints() {
        assert!(run(Command::new("sh").args(["-c", "echo 'error: none'; exit 0"])).is_ok());
    }
}
