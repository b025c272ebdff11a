//! `cargo run -p entra-sim -- [--port N] [--profile gentle|realistic] [--random-seed N]
//! [--config FILE] [--seed FILE] [--spa-redirect-uri URI]...`
//!
//! The first line printed is machine-readable: `entra-sim listening on http://127.0.0.1:PORT`.

use std::io::Write;
use std::path::PathBuf;

use clap::Parser;
use entra_sim::{ConfigFile, Profile, Seed, SimConfig};

#[derive(Parser)]
#[command(
    version,
    about = "A local Microsoft Entra ID + Microsoft Graph v1.0 simulator"
)]
struct Args {
    /// Port on 127.0.0.1; 0 picks any free port.
    #[arg(long, default_value_t = 8750)]
    port: u16,
    /// `gentle` (default) or `realistic`: every hard case a real tenant shows, at once
    /// (README "Realistic profile"). Overrides the config file's `profile`.
    #[arg(long, value_parser = Profile::parse)]
    profile: Option<Profile>,
    /// Seed of the random draws (per-object replication delays), so a run is reproducible.
    /// Overrides the config file's `random_seed`.
    #[arg(long = "random-seed")]
    random_seed: Option<u64>,
    /// JSON file: {"profile": ..., "random_seed": N, "spa_redirect_uris": [...],
    /// "knobs": {...}} (see README).
    #[arg(long)]
    config: Option<PathBuf>,
    /// JSON seed replacing the built-in default seed.
    #[arg(long)]
    seed: Option<PathBuf>,
    /// Extra spa redirect URI for the assistant's client registration (repeatable).
    #[arg(long = "spa-redirect-uri")]
    spa_redirect_uri: Vec<String>,
}

fn load(args: &Args) -> Result<SimConfig, String> {
    let mut config = SimConfig {
        port: args.port,
        ..SimConfig::default()
    };
    if let Some(path) = &args.config {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let file: ConfigFile =
            serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        config.apply_file(file);
    }
    if let Some(path) = &args.seed {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        config.seed = Seed::from_json(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if let Some(profile) = args.profile {
        config.profile = profile;
    }
    if let Some(seed) = args.random_seed {
        config.random_seed = Some(seed);
    }
    config
        .spa_redirect_uris
        .extend(args.spa_redirect_uri.iter().cloned());
    Ok(config)
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this is called, not when
/// the future is first polled: the server polls it from a task that may not have run yet when
/// the first line is printed and a test (or `cargo xtask`) already sends SIGTERM, whose default
/// action would kill the process without "entra-sim stopped".
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let interrupt = signal(SignalKind::interrupt());
        let terminate = signal(SignalKind::terminate());
        async move {
            match (interrupt, terminate) {
                (Ok(mut interrupt), Ok(mut terminate)) => {
                    tokio::select! {
                        _ = interrupt.recv() => {},
                        _ = terminate.recv() => {},
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[tokio::main]
async fn main() {
    let args = Args::parse();
    let mut config = match load(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("entra-sim: {e}");
            std::process::exit(2);
        }
    };
    // Resolved here so the seed can be printed and the run replayed with --random-seed.
    let random_seed = *config.random_seed.get_or_insert_with(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0)
    });
    let profile = config.profile;
    let result = entra_sim::run(
        config,
        |addr| {
            let base = format!("http://{addr}");
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "entra-sim listening on {base}");
            let _ = writeln!(
                out,
                "  authority (Contoso (demo)): {base}/{}/v2.0",
                entra_sim::DEMO_TENANT_ID
            );
            let _ = writeln!(out, "  also: {base}/organizations/v2.0, {base}/common/v2.0");
            let _ = writeln!(
                out,
                "  assistant client id:        {}",
                entra_sim::ASSISTANT_CLIENT_ID
            );
            let _ = writeln!(out, "  graph:                      {base}/v1.0");
            let _ = writeln!(
                out,
                "  profile:                    {} (--random-seed {random_seed})",
                match profile {
                    Profile::Gentle => "gentle",
                    Profile::Realistic => "realistic",
                }
            );
            let _ = writeln!(out, "  state:                      {base}/_sim/state");
            let _ = writeln!(
                out,
                "  control API:                {base}/_sim/info (see crates/entra-sim/README.md)"
            );
            let _ = out.flush();
        },
        shutdown_signal(),
    )
    .await;
    match result {
        Ok(()) => println!("entra-sim stopped"),
        Err(e) => {
            eprintln!("entra-sim: {e}");
            std::process::exit(1);
        }
    }
}
