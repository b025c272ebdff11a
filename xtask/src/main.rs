//! `cargo xtask <task>`: the project's own tooling, in Rust instead of shell scripts.
//!
//! - `setup`: install what is missing (idempotent; quick when nothing is).
//! - `dev`: build, start entra-sim and serve the app on 127.0.0.1.
//! - `test`: every check CI runs, with one summary line.
//! - `bench`: size, setup-speed and Lighthouse figures, written to `target/bench/results.json`.
//! - `screenshot`: retake the README's screenshot.

mod bench;
mod bench_health;
mod bench_pages;
mod bench_setup;
mod dev;
mod project;
mod screenshot;
mod setup;
mod test;
mod wasm_weight;

use anyhow::{bail, Result};

const USAGE: &str = "usage: cargo xtask <setup|dev|test|bench>

  setup   install the wasm target, trunk, wasm-bindgen-cli, wasm-opt, Chromium and the npm test tools
  dev     set up, build, start entra-sim (realistic profile; --gentle for the forgiving one) and serve the app on http://127.0.0.1:8080 (Ctrl-C stops both)
  test    set up, then fmt, clippy, native tests, wasm tests in headless Chromium and end-to-end tests
  bench   release build, first-load transfer size against the budget, setup and tenant-health timings (the /tenant page in Chromium on the e2e build), Lighthouse on three pages; writes target/bench/results.json
          (--only health: just the tenant-health figures; --e2e-dist DIR: an e2e build already made)
  screenshot  retake docs/screenshot.png (the README's picture) from the release build";

fn main() {
    if let Err(error) = run() {
        eprintln!("xtask: {error:#}");
        std::process::exit(1);
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        bail!("no task given\n\n{USAGE}");
    };
    let rest = &args[1..];
    match task.as_str() {
        "setup" => setup::run(),
        "dev" => dev::run(rest),
        "test" => test::run(rest),
        "bench" => bench::run(rest),
        "screenshot" => screenshot::run_task(),
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            Ok(())
        }
        other => bail!("unknown task `{other}`\n\n{USAGE}"),
    }
}
