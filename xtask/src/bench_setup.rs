//! Setup speed: per integration, a fresh automated setup against an in-process entra-sim
//! with 100 ms added to every response, next to a one-call-at-a-time baseline.
//!
//! `round_trips` counts sequential Graph round trips of the run itself (a new one starts
//! whenever a request leaves while none is in flight); sign-in and the read-only plan step
//! before the click are not part of it.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;
use std::time::Instant;

use anyhow::{anyhow, bail, Context, Result};
use entra_setup_core::automation::auth::{
    self, Discovery, ResponseMode, Session, SessionTokens, SignInParams,
};
use entra_setup_core::automation::config::AppConfig;
use entra_setup_core::automation::graph::{Graph, Mode};
use entra_setup_core::automation::host::{Host, HttpRequest, HttpResponse, TransportError};
use entra_setup_core::automation::provision::{self, execute, observe, Admin, ExecOptions, Inputs};
use entra_setup_core::catalog;
use entra_setup_core::plan::{Options, Plan};
use entra_sim::client::{Browser, Ending};
use serde_json::{json, Value};

const LATENCY_MS: u64 = 100;
/// Seeds the realistic tenant's per-object replication delays.
const REALISTIC_SEED: u64 = 11;
const APP_ORIGIN: &str = "http://127.0.0.1:8080";
const APP_REDIRECT: &str = "http://127.0.0.1:8080/";

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
    let (addr, _sim) = entra_sim::spawn(config).await?;
    let bench = Bench::new(format!("http://{addr}"));
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
    let (realistic_addr, _realistic_sim) = entra_sim::spawn(realistic).await?;
    let realistic = Bench::new(format!("http://{realistic_addr}"));
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

#[derive(Default)]
struct Waves {
    in_flight: Cell<u32>,
    waves: Cell<u32>,
    requests: Cell<u32>,
}

type BoxFuture = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>>>>;
type BoxTransport = Box<dyn Fn(HttpRequest) -> BoxFuture>;

struct Bench {
    base: String,
    http: reqwest::Client,
    waves: Rc<Waves>,
    transport: BoxTransport,
    host: RealTime,
}

struct RealTime;

impl Host for RealTime {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64)
    }

    async fn sleep(&self, ms: u64) {
        tokio::time::sleep(std::time::Duration::from_millis(ms)).await;
    }

    fn jitter(&self) -> f64 {
        0.5
    }
}

impl Bench {
    fn new(base: String) -> Bench {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("http client");
        let waves = Rc::new(Waves::default());
        let transport: BoxTransport = {
            let http = http.clone();
            let waves = waves.clone();
            Box::new(move |req: HttpRequest| {
                let http = http.clone();
                let waves = waves.clone();
                Box::pin(async move {
                    if waves.in_flight.get() == 0 {
                        waves.waves.set(waves.waves.get() + 1);
                    }
                    waves.in_flight.set(waves.in_flight.get() + 1);
                    waves.requests.set(waves.requests.get() + 1);
                    let result = send(&http, req).await;
                    waves.in_flight.set(waves.in_flight.get() - 1);
                    result
                })
            })
        };
        Bench {
            base,
            http,
            waves,
            transport,
            host: RealTime,
        }
    }

    async fn fresh_setup(&self, integration_id: &str, mode: Mode) -> Result<Measured> {
        let status = self
            .http
            .post(format!("{}/_sim/reset", self.base))
            .send()
            .await?
            .status();
        if !status.is_success() {
            bail!("resetting the simulator failed: {status}");
        }
        let integration = catalog::by_id(integration_id).context("integration")?;
        let mut plan = Plan::new(integration, &Options::default());
        plan.redirect_uri = match plan.platform {
            catalog::Platform::Web => Some("https://vendor.example.com/oauth/callback".into()),
            catalog::Platform::Spa => Some("https://app.example.com/".into()),
            catalog::Platform::None => None,
        };
        let config = AppConfig::parse(&format!(
            r#"{{"authority":"{base}/{tenant}/v2.0","graph_base_url":"{base}/v1.0","client_id":"{client}"}}"#,
            base = self.base,
            tenant = entra_sim::DEMO_TENANT_ID,
            client = entra_sim::ASSISTANT_CLIENT_ID
        ))?;
        let discovery = self
            .http
            .get(config.discovery_url())
            .send()
            .await?
            .text()
            .await?;
        let endpoints = Discovery::parse(&discovery, &config.authority).map_err(|e| anyhow!(e))?;
        let session = self
            .sign_in(
                &config,
                &endpoints,
                auth::scopes::for_run(&plan, config.cloud),
            )
            .await?;
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
        self.waves.waves.set(0);
        self.waves.requests.set(0);
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
            round_trips: self.waves.waves.get(),
            requests: self.waves.requests.get(),
            wall_ms,
        })
    }

    /// The sign-in pages of the simulator, clicked as Adele Vance (Global Administrator).
    async fn sign_in(
        &self,
        config: &AppConfig,
        endpoints: &Discovery,
        scopes: Vec<String>,
    ) -> Result<Session> {
        let params = SignInParams {
            redirect_uri: APP_REDIRECT.into(),
            scopes,
            return_path: "/".into(),
            response_mode: ResponseMode::Query,
            prompt: None,
            login_hint: None,
            domain_hint: None,
        };
        let random: Vec<u8> = (0..auth::RANDOM_BYTES)
            .map(|i| (i as u8).wrapping_mul(151).wrapping_add(7))
            .collect();
        let (url, pending) = auth::begin(config, endpoints, &params, &random, self.host.now_ms())
            .map_err(|e| anyhow!("{e}"))?;
        let browser = Browser::new(self.http.clone(), &self.base);
        let callback = match browser
            .sign_in(&url, entra_sim::users::GLOBAL_ADMIN_UPN, false)
            .await?
        {
            Ending::Redirect(callback) => callback,
            Ending::Page { title } => bail!("the sign-in pages ended on \"{title}\""),
        };
        let code = auth::parse_callback(&callback, &pending, self.host.now_ms())
            .map_err(|e| anyhow!("{e}"))?;
        auth::redeem(
            config,
            endpoints,
            &pending,
            code,
            &self.transport,
            self.host.now_ms(),
        )
        .await
        .map_err(|e| anyhow!("{e}"))
    }
}

async fn send(http: &reqwest::Client, req: HttpRequest) -> Result<HttpResponse, TransportError> {
    let (parts, body) = req.into_parts();
    let resp = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .header("origin", APP_ORIGIN)
        .body(body)
        .send()
        .await
        .map_err(|e| TransportError::dropped(e.to_string()))?;
    let mut out = http::Response::builder().status(resp.status().as_u16());
    for (k, v) in resp.headers() {
        out = out.header(k.as_str(), v.as_bytes());
    }
    let bytes = resp
        .bytes()
        .await
        .map_err(|e| TransportError::dropped(e.to_string()))?;
    out.body(bytes.to_vec())
        .map_err(|e| TransportError::dropped(e.to_string()))
}

#[cfg(test)]
mod tests {
    /// The promise the bench figures stand for, without the added latency that makes the
    /// figures readable: it changes wall time, not the number of round trips.
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
        }
        assert!(measured > 0, "every integration was blocked: {rows:?}");
    }
}
