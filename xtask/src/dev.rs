//! `cargo xtask dev`: entra-sim and the app, side by side on 127.0.0.1, until Ctrl-C.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::thread;

use anyhow::{bail, Context, Result};

use crate::project::{self, command, root, target_dir};
use crate::setup;

pub fn run(args: &[String]) -> Result<()> {
    let app_port = flag_value(args, "--port").unwrap_or("8080");
    let sim_port = flag_value(args, "--sim-port").unwrap_or("8750");
    setup::run_if_needed()?;

    project::run(command("cargo").args(["build", "--quiet", "-p", "entra-sim"]))?;
    // A real tenant's hard cases by default (entra-sim's README, "Realistic profile");
    // `--gentle` for the forgiving simulator.
    let profile = if args.iter().any(|a| a == "--gentle") {
        "gentle"
    } else {
        "realistic"
    };
    let (mut sim_process, sim) = start_sim(sim_port, app_port, profile)?;
    let config = write_app_config(&sim)?;

    // Its own folder and the `dev-endpoints` feature (config.json may name the loopback
    // simulator): `dist/` stays what a release build makes, and a release build refuses
    // the simulator's config.json.
    let dist = dev_dist();
    let mut app = command("trunk")
        .args(["serve", "--address", "127.0.0.1", "--port", app_port])
        .args(["--features", "dev-endpoints", "--dist"])
        .arg(&dist)
        .env("TRUNK_OFFLINE", "true")
        .env("ENTRA_SETUP_CONFIG", &config)
        .spawn()
        .context("starting `trunk serve`")?;

    let (stop, stopped) = mpsc::channel();
    ctrlc::set_handler(move || {
        let _ = stop.send(());
    })
    .context("installing the Ctrl-C handler")?;

    let url = &sim.url;
    println!();
    println!("  app        http://127.0.0.1:{app_port}/   (rebuilds on save)");
    println!("  entra-sim  {url}   ({profile} profile; demo tenant; Graph at {url}/v1.0, state at {url}/_sim/state)");
    println!("  Ctrl-C stops both.");
    println!();

    let _ = stopped.recv();
    println!("\nxtask dev: stopping");
    stop_child(&mut app);
    stop_child(&mut sim_process);
    Ok(())
}

/// Where `cargo xtask dev` builds: never `dist/`, so a release `dist/` can never carry the
/// simulator's config.json.
pub fn dev_dist() -> PathBuf {
    root().join("target/dev-dist")
}

/// What the app needs to know about the running simulator.
struct Sim {
    url: String,
    client_id: String,
}

/// The app's config.json for the simulator, written under target/ and swapped in by the
/// Trunk.toml hook after each build.
fn write_app_config(sim: &Sim) -> Result<PathBuf> {
    let config = serde_json::json!({
        "authority": format!("{}/organizations/v2.0", sim.url),
        "graph_base_url": format!("{}/v1.0", sim.url),
        "client_id": sim.client_id,
    });
    let dir = root().join("target/dev");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("config.json");
    std::fs::write(&path, serde_json::to_string_pretty(&config)?)?;
    Ok(path)
}

/// Starts entra-sim and reads its banner: the first line names the URL it listens on, a
/// later one the assistant's client ID.
fn start_sim(port: &str, app_port: &str, profile: &str) -> Result<(Child, Sim)> {
    let binary = target_dir().join("debug/entra-sim");
    let redirect_uri = format!("http://127.0.0.1:{app_port}/");
    let mut child = command(binary.to_str().context("non-UTF-8 target path")?)
        .args(["--port", port, "--spa-redirect-uri", &redirect_uri])
        .args(["--profile", profile])
        .stdout(Stdio::piped())
        .spawn()
        .context("starting entra-sim")?;
    let stdout = child.stdout.take().context("entra-sim stdout")?;
    let mut lines = BufReader::new(stdout).lines();
    let first = lines.next().transpose()?.unwrap_or_default();
    let Some(url) = first.strip_prefix("entra-sim listening on ") else {
        stop_child(&mut child);
        bail!("entra-sim did not start: {first}");
    };
    let url = url.trim().to_owned();
    let mut client_id = None;
    for line in lines.by_ref() {
        if let Some(id) = line?.trim().strip_prefix("assistant client id:") {
            client_id = Some(id.trim().to_owned());
            break;
        }
    }
    let Some(client_id) = client_id else {
        stop_child(&mut child);
        bail!("entra-sim did not print the assistant's client id");
    };
    // Keep draining its output so it never blocks on a full pipe.
    thread::spawn(move || {
        lines
            .map_while(Result::ok)
            .for_each(|l| println!("[entra-sim] {l}"))
    });
    Ok((child, Sim { url, client_id }))
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
