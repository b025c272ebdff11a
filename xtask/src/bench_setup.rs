//! Setup speed: per integration, a fresh automated setup against an in-process entra-sim
//! with 100 ms added to every response, next to a one-call-at-a-time baseline.
//!
//! `round_trips` counts sequential Graph round trips of the run itself (a new one starts
//! whenever a request leaves while none is in flight); sign-in and the read-only plan step
//! before the click are not part of it.

use std::rc::Rc;
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use entra_setup_core::automation::auth::{self, SessionTokens};
use entra_setup_core::automation::graph::{Graph, Mode};
use entra_setup_core::automation::host::Host;
use entra_setup_core::automation::provision::{self, execute, observe, Admin, ExecOptions, Inputs};
use entra_setup_core::catalog;
use entra_setup_core::plan::{Options, Plan};
use entra_setup_testkit::{self as kit, BoxTransport, RealTime, Sim, Waves};
use serde_json::{json, Value};

const LATENCY_MS: u64 = 100;
/// Seeds the realistic tenant's per-object replication delays.
const REALISTIC_SEED: u64 = 11;

/// `{"setup": [...]}` rows, one per integration; also printed as a table.
pub fn run() -> Result<Value> {
    let rows = measure(LATENCY_MS, true)?;
    print_table(&rows);
    Ok(Value::Array(rows))
}

/// Every integration's fresh setup and baseline against a simulator that adds
/// `latency_ms` to each response; with `realistic`, also against a realistic tenant (whose
/// replication delays are waited out in real time).
fn measure(latency_ms: u64, realistic: bool) -> Result<Vec<Value>> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(all(latency_ms, realistic))
}

async fn all(latency_ms: u64, with_realistic: bool) -> Result<Vec<Value>> {
    let config = entra_sim::SimConfig {
        knobs: entra_sim::Knobs {
            latency_ms,
            ..entra_sim::Knobs::default()
        },
        ..entra_sim::SimConfig::default()
    };
    let bench = Bench::new(Sim::start(config).await);
    // The same runs against a tenant that behaves like a real one: per-object replication
    // delays, two-item pages (entra-sim's "Realistic profile"), seeded so runs compare.
    let realistic = entra_sim::SimConfig {
        knobs: entra_sim::Knobs {
            latency_ms,
            ..entra_sim::Knobs::default()
        },
        random_seed: Some(REALISTIC_SEED),
        ..entra_sim::SimConfig::realistic()
    };
    let realistic = Bench::new(Sim::start(realistic).await);
    let mut rows = Vec::new();
    for integration in catalog::ALL.iter().filter(|i| !i.custom) {
        let fast = bench.fresh_setup(integration.id, Mode::Batched).await;
        let slow = bench.fresh_setup(integration.id, Mode::OneAtATime).await;
        let real = if with_realistic {
            Some(realistic.fresh_setup(integration.id, Mode::Batched).await)
        } else {
            None
        };
        rows.push(match (fast, slow) {
            (Ok(f), Ok(s)) => json!({
                "integration": integration.id,
                "round_trips": f.round_trips,
                "wall_ms": f.wall_ms,
                "baseline_round_trips": s.round_trips,
                "baseline_wall_ms": s.wall_ms,
                "http_requests": f.requests,
                "baseline_http_requests": s.requests,
                "realistic_wall_ms": real.as_ref().and_then(|r| r.as_ref().ok()).map(|r| r.wall_ms),
                "realistic_round_trips": real.as_ref().and_then(|r| r.as_ref().ok()).map(|r| r.round_trips),
                "realistic_error": real.and_then(Result::err).map(|e| format!("{e:#}")),
            }),
            (f, s) => {
                let errors: Vec<String> = [f.err(), s.err()]
                    .into_iter()
                    .flatten()
                    .map(|e| format!("{e:#}"))
                    .collect();
                json!({ "integration": integration.id, "error": errors.join("; ") })
            }
        });
    }
    Ok(rows)
}

fn print_table(rows: &[Value]) {
    println!("setup against entra-sim, {LATENCY_MS} ms added latency (round trips on the critical path):");
    println!(
        "  {:<40} {:>6} {:>9} {:>10} {:>12} {:>14}",
        "integration", "trips", "wall ms", "base trips", "base wall ms", "realistic ms"
    );
    for r in rows {
        match r.get("error") {
            Some(e) => println!(
                "  {:<40} error: {}",
                r["integration"].as_str().unwrap_or(""),
                e
            ),
            None => println!(
                "  {:<40} {:>6} {:>9} {:>10} {:>12} {:>14}",
                r["integration"].as_str().unwrap_or(""),
                r["round_trips"].as_u64().unwrap_or(0),
                r["wall_ms"].as_u64().unwrap_or(0),
                r["baseline_round_trips"].as_u64().unwrap_or(0),
                r["baseline_wall_ms"].as_u64().unwrap_or(0),
                r["realistic_wall_ms"]
                    .as_u64()
                    .map_or_else(|| "error".to_owned(), |ms| ms.to_string())
            ),
        }
    }
}

struct Measured {
    round_trips: u32,
    requests: u32,
    wall_ms: u64,
}

struct Bench {
    sim: Sim,
    waves: Rc<Waves>,
    transport: BoxTransport,
    host: RealTime,
}

impl Bench {
    fn new(sim: Sim) -> Bench {
        let waves = Rc::new(Waves::default());
        let transport = kit::transport(sim.http.clone(), waves.clone());
        Bench {
            sim,
            waves,
            transport,
            host: RealTime,
        }
    }

    async fn fresh_setup(&self, integration_id: &str, mode: Mode) -> Result<Measured> {
        self.sim.reset().await;
        let integration = catalog::by_id(integration_id).context("integration")?;
        let mut plan = Plan::new(integration, &Options::default());
        plan.redirect_uri = match plan.platform {
            catalog::Platform::Web => Some("https://vendor.example.com/oauth/callback".into()),
            catalog::Platform::Spa => Some("https://app.example.com/".into()),
            catalog::Platform::None => None,
        };
        let config = kit::config(&self.sim, entra_sim::DEMO_TENANT_ID);
        let endpoints = kit::discover(&self.sim, &config).await;
        // The simulator's sign-in pages, clicked as Adele Vance (Global Administrator).
        let session = kit::try_sign_in(
            &self.sim,
            &config,
            &endpoints,
            &self.transport,
            &self.host,
            entra_sim::users::GLOBAL_ADMIN_UPN,
            auth::scopes::for_run(&plan, config.cloud),
        )
        .await
        .map_err(|e| anyhow!(e))?;
        let inputs = Inputs::from_plan(
            &plan,
            Admin::from_claims(&session.claims),
            self.host.now_ms(),
            "bench",
        );
        let tokens = SessionTokens::new(&config, &endpoints, &self.transport, &self.host, session);
        let graph = Graph::new(&config.graph_base_url, &self.transport, &self.host, &tokens);
        let observed = observe(&graph, &plan, &inputs)
            .await
            .map_err(|e| anyhow!("{e}"))?;
        let diff = provision::diff(&plan, &inputs, &observed);
        if diff.is_blocked() {
            let blockers: Vec<String> = diff.blocking.iter().map(ToString::to_string).collect();
            bail!("blocked: {}", blockers.join(" "));
        }
        let options = ExecOptions {
            mode,
            ..ExecOptions::new(&config)
        };
        self.waves.reset();
        let started = Instant::now();
        let report = execute(&graph, &diff, &options, &|_| {}).await;
        let wall_ms = started.elapsed().as_millis() as u64;
        if !report.completed() {
            bail!(
                "the run did not complete: {:?} {:?}",
                report.halted(),
                report
                    .steps
                    .iter()
                    .filter(|s| !matches!(
                        s.status,
                        provision::StepStatus::Done { .. } | provision::StepStatus::Skipped { .. }
                    ))
                    .map(|s| s.step.key())
                    .collect::<Vec<_>>()
            );
        }
        Ok(Measured {
            round_trips: self.waves.round_trips(),
            requests: self.waves.requests(),
            wall_ms,
        })
    }
}

#[cfg(test)]
mod tests {
    /// The promise the bench figures stand for, without the added latency that makes the
    /// figures readable: it changes wall time, not the number of round trips. (The one
    /// test of round trips against the one-call-at-a-time baseline, for every integration.)
    #[test]
    fn every_integration_sets_up_fresh_in_at_most_three_round_trips_and_the_baseline_takes_more() {
        let rows = super::measure(0, false).unwrap();
        let mut measured = 0;
        for row in &rows {
            // A plan the simulator's tenant cannot satisfy is refused before any write;
            // anything else going wrong is a failure.
            if let Some(e) = row.get("error") {
                assert!(e.as_str().unwrap().starts_with("blocked: "), "{row}");
                continue;
            }
            measured += 1;
            assert!(row["round_trips"].as_u64().unwrap() <= 3, "{row}");
            assert!(
                row["baseline_round_trips"].as_u64() > row["round_trips"].as_u64(),
                "{row}"
            );
            // The baseline really is one call at a time: every request its own round trip.
            assert_eq!(
                row["baseline_round_trips"], row["baseline_http_requests"],
                "{row}"
            );
        }
        assert!(measured > 0, "every integration was blocked: {rows:?}");
    }
}
