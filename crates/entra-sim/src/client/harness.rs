//! A simulator on a free loopback port with what every Rust test and the bench do to it:
//! an HTTP client that does not follow redirects, a [`Browser`] on its pages, and the
//! `/_sim/` control calls (state, clock, knobs, faults, request log, reset). One copy, used
//! by core's tests (through `entra-setup-testkit`), the simulator's own tests and
//! `cargo xtask bench`.
//!
//! The control calls panic when the simulator refuses one: in a test or a bench that is a
//! bug in the caller, and the panic names the call.

use reqwest::header::CONTENT_TYPE;
use serde_json::{json, Value};

use super::Browser;
use crate::{SimConfig, SimHandle};

/// A running simulator; it stops when this is dropped.
pub struct SimServer {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    /// Does not follow redirects: a redirect to a client's redirect URI is an answer.
    pub http: reqwest::Client,
    _handle: SimHandle,
}

impl SimServer {
    /// Starts a simulator on this tokio runtime.
    pub async fn start(config: SimConfig) -> SimServer {
        let (_, handle) = crate::spawn(config).await.expect("the simulator starts");
        SimServer {
            base: handle.base_url(),
            http: no_redirects(),
            _handle: handle,
        }
    }

    /// A fresh browser profile on the simulator's pages.
    pub fn browser(&self) -> Browser {
        Browser::new(self.http.clone(), &self.base)
    }

    /// The simulator's control API: `method` on `/_sim{path}`, with a JSON body; the JSON
    /// answer, or `Null` for an empty one.
    pub async fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        control_at(&self.http, &self.base, method, path, body).await
    }

    /// The part of `/_sim/state` that describes `tenant`.
    pub async fn tenant_state(&self, tenant: &str) -> Value {
        let state = self
            .control("GET", &format!("/state?tenant={tenant}"), None)
            .await;
        state["tenants"][0].clone()
    }

    /// `/_sim/requests`: what the simulator answered, oldest first.
    pub async fn request_log(&self) -> Vec<Value> {
        let log = self.control("GET", "/requests", None).await;
        log["requests"].as_array().cloned().unwrap_or_default()
    }

    /// Changes the knobs named in `knobs`; the others keep their values.
    pub async fn set_knobs(&self, knobs: Value) {
        self.control("PATCH", "/knobs", Some(knobs)).await;
    }

    /// Adds one fault (an object) or several (an array).
    pub async fn add_faults(&self, faults: Value) {
        self.control("POST", "/faults", Some(faults)).await;
    }

    /// Stops the clock: from now on it moves only when told to.
    pub async fn freeze_clock(&self) {
        self.control("POST", "/clock", Some(json!({"freeze": true})))
            .await;
    }

    /// The simulator's clock, in milliseconds since the Unix epoch.
    pub async fn clock_ms(&self) -> i64 {
        let clock = self.control("GET", "/clock", None).await;
        clock["now_ms"].as_i64().expect("/_sim/clock has now_ms")
    }

    pub async fn advance_clock_ms(&self, ms: u64) {
        advance_clock_at(&self.http, &self.base, ms).await;
    }

    /// Back to the seeded tenants, knobs and clock.
    pub async fn reset(&self) {
        self.control("POST", "/reset", None).await;
    }
}

/// A client for the simulator that does not follow redirects.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("an HTTP client")
}

/// Moves the clock of the simulator at `base`: for a host that holds only the address
/// (a virtual clock a test runs the executor on).
pub async fn advance_clock_at(http: &reqwest::Client, base: &str, ms: u64) {
    control_at(
        http,
        base,
        "POST",
        "/clock",
        Some(json!({ "advance_ms": ms })),
    )
    .await;
}

async fn control_at(
    http: &reqwest::Client,
    base: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Value {
    let method = reqwest::Method::from_bytes(method.as_bytes()).expect("an HTTP method");
    let mut request = http.request(method, format!("{base}/_sim{path}"));
    if let Some(body) = body {
        request = request
            .header(CONTENT_TYPE, "application/json")
            .body(body.to_string());
    }
    let response = request
        .send()
        .await
        .unwrap_or_else(|e| panic!("control call {path}: {e}"));
    let status = response.status();
    let text = response
        .text()
        .await
        .unwrap_or_else(|e| panic!("control call {path}: {e}"));
    assert!(status.is_success(), "control call {path}: {status} {text}");
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("control call {path}: {e}"))
    }
}
