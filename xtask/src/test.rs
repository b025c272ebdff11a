//! `cargo xtask test`: everything CI checks, in order, then one summary line.
//!
//! Every stage runs even when an earlier one failed (except when the build it needs is
//! missing), so one run reports every problem. Test counts come from the runners' own
//! summaries: cargo's `test result:` lines and node's TAP `# pass` / `# fail`.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use anyhow::{Context, Result};

use crate::project::{
    command, describe, e2e_dist, output_of, root, target_dir, trunk_build, trunk_build_e2e,
};
use crate::setup::{self, CHROMEDRIVER};

/// The generated test that injects every fault at every step of a run
/// (`crates/core/tests/fault_matrix.rs`); it prints `fault matrix: N cells, …`.
const FAULT_MATRIX: &str = "fault_matrix_every_fault_at_every_step_completes_once";

#[derive(Default)]
struct Tally {
    passed: usize,
    failed: usize,
    failures: Vec<String>,
    /// Why a build failed, printed after the summary where a CI log's tail still shows it.
    reasons: Vec<String>,
}

impl Tally {
    fn built(&mut self, build: Result<()>) -> bool {
        let Err(error) = build else { return true };
        self.reasons.push(format!("{error:#}"));
        if let Some(space) = output_of(Command::new("df").arg("-h").arg(target_dir())) {
            self.reasons.push(format!(
                "free space where cargo builds:\n{}",
                space.trim_end()
            ));
        }
        false
    }

    fn record(&mut self, stage: &str, counts: Counts, succeeded: bool) {
        self.passed += counts.passed;
        self.failed += counts.failed;
        // A stage that failed without a failing test (a compile error, a crash) still counts.
        if !succeeded && counts.failed == 0 {
            self.failed += 1;
        }
        if !succeeded {
            self.failures.push(stage.to_owned());
        }
    }
}

#[derive(Default, Clone, Copy)]
struct Counts {
    passed: usize,
    failed: usize,
}

pub fn run(_args: &[String]) -> Result<()> {
    setup::run_if_needed()?;
    let mut tally = Tally::default();

    let ok = check(command("cargo").args(["fmt", "--all", "--", "--check"]));
    tally.record("cargo fmt --check", one(ok), ok);

    let ok = check(command("cargo").args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]));
    tally.record("clippy (native)", one(ok), ok);
    let ok = check(command("cargo").args([
        "clippy",
        "-p",
        "entra-setup-assistant",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]));
    tally.record("clippy (wasm32)", one(ok), ok);

    // The fault matrix runs on its own below, so that its summary line is printed.
    let (counts, ok) =
        tests(command("cargo").args(["test", "--workspace", "--", "--skip", FAULT_MATRIX]))?;
    tally.record("native tests", counts, ok);
    let (counts, ok) = tests(command("cargo").args([
        "test",
        "-p",
        "entra-setup-core",
        "--features",
        "automation",
        "--test",
        "fault_matrix",
        "--",
        "--nocapture",
        FAULT_MATRIX,
    ]))?;
    tally.record("fault matrix", counts, ok);

    let (counts, ok) = tests(
        command("cargo")
            .args([
                "test",
                "-p",
                "entra-setup-assistant",
                "--target",
                "wasm32-unknown-unknown",
            ])
            .env("CHROMEDRIVER", CHROMEDRIVER)
            .env(
                "WASM_BINDGEN_TEST_WEBDRIVER_JSON",
                root().join("tests/webdriver.json"),
            ),
    )?;
    tally.record("wasm tests (headless Chromium)", counts, ok);

    // Two release builds: the deployable `dist/` (which must refuse the loopback simulator;
    // the hosting test checks it) and the e2e build, which accepts it.
    let built = tally.built(trunk_build(true))
        && tally.built(trunk_build_e2e())
        && check(command("cargo").args(["build", "-p", "entra-sim"]));
    if built {
        let (counts, ok) = tests(
            command("node")
                .args(["--test", "--test-reporter=tap", "--test-concurrency=1"])
                .arg(root().join("tests/e2e"))
                .env("E2E_DIST", e2e_dist())
                .env("E2E_RELEASE_DIST", root().join("dist"))
                .env("E2E_SIM_BIN", target_dir().join("debug/entra-sim")),
        )?;
        tally.record("end-to-end tests (headless Chromium)", counts, ok);
    } else {
        tally.record("release build for end-to-end tests", one(false), false);
    }

    println!();
    for stage in &tally.failures {
        println!("FAILED: {stage}");
    }
    for why in &tally.reasons {
        println!("{why}");
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    if tally.failed > 0 {
        std::process::exit(1);
    }
    Ok(())
}

/// A check with no test counts of its own counts as one test.
fn one(ok: bool) -> Counts {
    Counts {
        passed: usize::from(ok),
        failed: usize::from(!ok),
    }
}

fn check(command: &mut Command) -> bool {
    println!("\n==> {}", describe(command));
    command.status().is_ok_and(|s| s.success())
}

/// Runs a test command, echoing its output while reading the runner's summaries.
fn tests(command: &mut Command) -> Result<(Counts, bool)> {
    println!("\n==> {}", describe(command));
    let mut child = command
        .stdout(Stdio::piped())
        .spawn()
        .with_context(|| format!("could not start `{}`", describe(command)))?;
    let mut counts = Counts::default();
    for line in BufReader::new(child.stdout.take().context("stdout")?).lines() {
        let line = line?;
        println!("{line}");
        add_summary_line(&mut counts, &line);
    }
    let ok = child.wait()?.success();
    Ok((counts, ok))
}

fn add_summary_line(counts: &mut Counts, line: &str) {
    let line = line.trim();
    if let Some(rest) = line.strip_prefix("test result: ") {
        // "ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s"
        for part in rest.split(';') {
            let mut words = part.split_whitespace().rev();
            let (Some(label), Some(n)) = (words.next(), words.next()) else {
                continue;
            };
            let Ok(n) = n.parse::<usize>() else { continue };
            match label {
                "passed" => counts.passed += n,
                "failed" => counts.failed += n,
                _ => {}
            }
        }
    } else if let Some(n) = line.strip_prefix("# pass ") {
        counts.passed += n.trim().parse().unwrap_or(0);
    } else if let Some(n) = line.strip_prefix("# fail ") {
        counts.failed += n.trim().parse().unwrap_or(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_cargo_and_tap_summaries() {
        let mut counts = Counts::default();
        for line in [
            "test result: ok. 12 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s",
            "test result: FAILED. 3 passed; 2 failed; 0 ignored; 0 measured; 0 filtered out",
            "# pass 4",
            "# fail 1",
            "ok 1 - home page lists integrations",
        ] {
            add_summary_line(&mut counts, line);
        }
        assert_eq!((counts.passed, counts.failed), (19, 3));
    }

    #[test]
    fn a_failed_stage_without_failing_tests_still_fails_the_run() {
        let mut tally = Tally::default();
        tally.record(
            "native tests",
            Counts {
                passed: 5,
                failed: 0,
            },
            false,
        );
        assert_eq!((tally.passed, tally.failed), (5, 1));
        assert_eq!(tally.failures, ["native tests"]);
    }
}
