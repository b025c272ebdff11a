//! `cargo xtask screenshot`: rebuilds the README's screenshot from the release build.

use anyhow::Result;

use crate::project::{command, root, run, trunk_build};
use crate::setup;

pub fn run_task() -> Result<()> {
    setup::run_if_needed()?;
    trunk_build(true)?;
    run(command("node")
        .arg(root().join("xtask/screenshot.mjs"))
        .arg(root().join("docs/screenshot.png"))
        .env("E2E_DIST", root().join("dist")))
}
