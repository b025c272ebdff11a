//! entra-sim: a local Microsoft Entra ID + Microsoft Graph v1.0 simulator.
//!
//! It shares no code or types with `entra-setup-core` on purpose: it is an independent
//! reading of Microsoft's documented behaviour (shared/reference/graph-facts.md), so a
//! wrong shape in core fails a test instead of being mirrored here.
//!
//! One port serves identity under `/{tenant}/...`, Graph under `/v1.0/...` and the control
//! API under `/_sim/...`. Start one in a test with [`spawn`]:
//!
//! ```no_run
//! # async fn demo() -> std::io::Result<()> {
//! let (addr, sim) = entra_sim::spawn(entra_sim::SimConfig::default()).await?;
//! let authority = format!("http://{addr}/{}/v2.0", entra_sim::DEMO_TENANT_ID);
//! # let _ = authority;
//! sim.shutdown().await;
//! # Ok(()) }
//! ```
//!
//! With the `client` feature, [`client`] clicks through the sign-in and consent pages.

// The Graph default bodies are large `json!` literals.
#![recursion_limit = "256"]

#[cfg(feature = "client")]
pub mod client;
mod clock;
pub mod config;
mod control;
mod directory;
mod graph;
mod html;
mod identity;
pub mod ids;
mod jwt;
mod pipeline;
mod random;
pub mod seed;
mod server;
mod state;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::response::{Html, IntoResponse};
use axum::routing::{any, get};
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use config::{ConfigFile, FaultKind, FaultSpec, Knobs, Profile, SimConfig, Throttle};
pub use ids::{
    groups, resources, roles, users, ASSISTANT_APPLICATION_OBJECT_ID, ASSISTANT_CLIENT_ID,
    ASSISTANT_SERVICE_PRINCIPAL_ID, DEFAULT_SPA_REDIRECT_URIS, DEMO_TENANT_DOMAIN, DEMO_TENANT_ID,
    HAND_MADE_TENANT_DOMAIN, HAND_MADE_TENANT_ID, NO_DEFENDER_TENANT_DOMAIN, NO_DEFENDER_TENANT_ID,
    SECRET_POLICY_ID, SECRET_POLICY_MAX_LIFETIME_DAYS, SECRET_POLICY_TENANT_DOMAIN,
    SECRET_POLICY_TENANT_ID,
};
pub use seed::{Seed, DEFAULT_SEED_JSON};

/// Builds the simulator's routes around a fresh state.
fn app(sim: Arc<state::Sim>) -> Router {
    Router::new()
        .merge(control::routes())
        .merge(identity::routes())
        .route("/v1.0", any(graph::http_entry))
        .route("/v1.0/{*rest}", any(graph::http_entry))
        .route("/", get(index))
        .route("/healthz", get(|| async { "ok" }))
        .layer(axum::middleware::from_fn_with_state(
            sim.clone(),
            pipeline::outer,
        ))
        .with_state(sim)
}

async fn index(headers: axum::http::HeaderMap) -> impl IntoResponse {
    let base = pipeline::base_url(&headers);
    let body = format!(
        "<h1>entra-sim</h1>\n<ul>\n\
         <li>Demo tenant authority: <code>{base}/{DEMO_TENANT_ID}/v2.0</code> \
         (<a href=\"/{DEMO_TENANT_ID}/v2.0/.well-known/openid-configuration\">openid-configuration</a>)</li>\n\
         <li>Microsoft Graph: <code>{base}/v1.0</code></li>\n\
         <li>Assistant client id: <code>{ASSISTANT_CLIENT_ID}</code></li>\n\
         <li><a href=\"/_sim/info\">/_sim/info</a> · <a href=\"/_sim/state\">/_sim/state</a> · \
         <a href=\"/_sim/requests\">/_sim/requests</a> · <a href=\"/_sim/knobs\">/_sim/knobs</a></li>\n</ul>"
    );
    Html(html::page("entra-sim", &body))
}

/// A simulator running on the current Tokio runtime. Dropping it stops the server.
pub struct SimHandle {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl SimHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/{DEMO_TENANT_ID}/v2.0`
    pub fn demo_authority(&self) -> String {
        format!("{}/{DEMO_TENANT_ID}/v2.0", self.base_url())
    }

    /// `http://127.0.0.1:PORT/v1.0`
    pub fn graph_base(&self) -> String {
        format!("{}/v1.0", self.base_url())
    }

    /// Stops accepting connections and waits for the server task to end.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts a simulator on 127.0.0.1 (`config.port`, 0 for any free port) on the current
/// Tokio runtime and returns its address.
pub async fn spawn(config: SimConfig) -> std::io::Result<(SocketAddr, SimHandle)> {
    let (listener, addr, app) = prepare(config).await?;
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(server::serve(listener, app, async {
        let _ = rx.await;
    }));
    Ok((
        addr,
        SimHandle {
            addr,
            shutdown: Some(tx),
            task: Some(task),
        },
    ))
}

/// A simulator on its own thread and runtime, for synchronous callers (benches, blocking
/// HTTP clients). Dropping it stops the server and joins the thread.
pub struct ThreadHandle {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl ThreadHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for ThreadHandle {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Like [`spawn`], on a dedicated thread with its own two-worker runtime.
pub fn spawn_in_thread(config: SimConfig) -> std::io::Result<(SocketAddr, ThreadHandle)> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (addr_tx, addr_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = oneshot::channel::<()>();
    let thread = std::thread::Builder::new()
        .name("entra-sim".into())
        .spawn(move || {
            runtime.block_on(async move {
                match spawn(config).await {
                    Ok((addr, handle)) => {
                        let _ = addr_tx.send(Ok(addr));
                        let _ = stop_rx.await;
                        handle.shutdown().await;
                    }
                    Err(e) => {
                        let _ = addr_tx.send(Err(e));
                    }
                }
            });
        })?;
    let addr = addr_rx.recv().map_err(std::io::Error::other)??;
    Ok((
        addr,
        ThreadHandle {
            addr,
            shutdown: Some(stop_tx),
            thread: Some(thread),
        },
    ))
}

/// Runs a simulator until `shutdown` resolves, printing nothing: the binary's core.
pub async fn run(
    config: SimConfig,
    on_listening: impl FnOnce(SocketAddr),
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> std::io::Result<()> {
    let (listener, addr, app) = prepare(config).await?;
    on_listening(addr);
    server::serve(listener, app, shutdown).await;
    Ok(())
}

/// Everything that can fail before serving: loading the seed, binding the port.
async fn prepare(config: SimConfig) -> std::io::Result<(TcpListener, SocketAddr, Router)> {
    let port = config.port;
    let sim = state::Sim::new(config).map_err(std::io::Error::other)?;
    let (listener, addr) = server::bind(port).await?;
    Ok((listener, addr, app(sim)))
}
