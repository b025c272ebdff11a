//! `cargo xtask screenshot`: rebuilds the README's screenshot from the release build.

use anyhow::Result;

use crate::project::{command, e2e_dist, root, run, trunk_build_e2e};
use crate::setup;

pub fn run_task() -> Result<()> {
    setup::run_if_needed()?;
    // The e2e build: the screenshot is taken through the e2e harness (entra-sim on loopback).
    trunk_build_e2e()?;
    run(command("node")
        .arg(root().join("xtask/screenshot.mjs"))
        .arg(root().join("docs/screenshot.png"))
        .env("E2E_DIST", e2e_dist()))
}
