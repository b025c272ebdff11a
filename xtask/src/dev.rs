//! `cargo xtask dev`: entra-sim and the app, side by side on 127.0.0.1, until Ctrl-C.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::thread;

use anyhow::{bail, Context, Result};

use crate::project::{self, command, root};
use crate::setup;

pub fn run(args: &[String]) -> Result<()> {
    let app_port = flag_value(args, "--port").unwrap_or("8080");
    let sim_port = flag_value(args, "--sim-port").unwrap_or("8750");
    setup::run_if_needed()?;

    project::run(command("cargo").args(["build", "--quiet", "-p", "entra-sim"]))?;
    let (mut sim, sim_url) = start_sim(sim_port, app_port)?;

    let mut app = command("trunk")
        .args(["serve", "--address", "127.0.0.1", "--port", app_port])
        .env("TRUNK_OFFLINE", "true")
        .spawn()
        .context("starting `trunk serve`")?;

    let (stop, stopped) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .context("installing the Ctrl-C handler")?;

    println!();
    println!("  app        http://127.0.0.1:{app_port}/   (rebuilds on save)");
    println!("  entra-sim  {sim_url}   (demo tenant, Graph at {sim_url}/v1.0)");
    println!("  Ctrl-C stops both.");
    println!();

    let _ = stopped.recv();
    println!("\nxtask dev: stopping");
    stop_child(&mut app);
    stop_child(&mut sim);
    Ok(())
}

/// Starts entra-sim and reads its first line, which names the URL it is listening on.
fn start_sim(port: &str, app_port: &str) -> Result<(Child, String)> {
    let binary = root().join("target/debug/entra-sim");
    let redirect_uri = format!("http://127.0.0.1:{app_port}/");
    let mut sim = command(binary.to_str().context("non-UTF-8 target path")?)
        .args(["--port", port, "--spa-redirect-uri", &redirect_uri])
        .stdout(Stdio::piped())
        .spawn()
        .context("starting entra-sim")?;
    let stdout = sim.stdout.take().context("entra-sim stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().transpose()?.unwrap_or_default();
    let Some(url) = first.strip_prefix("entra-sim listening on ") else {
        stop_child(&mut sim);
        bail!("entra-sim did not start: {first}");
    };
    let url = url.trim().to_owned();
    // Keep draining its output so it never blocks on a full pipe.
    thread::spawn(move || {
        lines
            .map_while(Result::ok)
            .for_each(|l| println!("[entra-sim] {l}"))
    });
    Ok((sim, url))
}

fn stop_child(child: &mut Child) {
    // The terminal's Ctrl-C already reached the children (same process group); this makes
    // sure nothing outlives the task when it did not.
    if let Ok(None) = child.try_wait() {
        let _ = child.kill();
    }
    let _ = child.wait();
}

pub fn flag_value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}
