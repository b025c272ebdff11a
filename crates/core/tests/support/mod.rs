//! Native adapters for the automated-mode tests: an HTTP transport over reqwest that adds
//! the Origin a browser would, a virtual clock that moves entra-sim's clock when the
//! executor sleeps, and sign-in through the simulator's pages with its `client`.
#![allow(dead_code)]

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use entra_setup_core::automation::auth::{
    self, Discovery, PendingSignIn, ResponseMode, Session, SignInParams,
};
use entra_setup_core::automation::config::AppConfig;
use entra_setup_core::automation::host::{Host, HttpRequest, HttpResponse, TransportError};
use entra_sim::client::{Browser, Ending};
use serde_json::{json, Value};

pub const APP_ORIGIN: &str = "http://127.0.0.1:8080";
pub const APP_REDIRECT: &str = "http://127.0.0.1:8080/";

pub struct Sim {
    pub base: String,
    pub http: reqwest::Client,
    _handle: entra_sim::SimHandle,
}

impl Sim {
    /// A fresh browser profile on the simulator's pages.
    pub fn browser(&self) -> Browser {
        Browser::new(self.http.clone(), &self.base)
    }
}

/// A simulator on this runtime with its clock frozen: time moves only when the executor
/// sleeps (through [`SimHost`]) or a test says so.
pub async fn start(config: entra_sim::SimConfig) -> Sim {
    let (addr, handle) = entra_sim::spawn(config).await.expect("simulator starts");
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let sim = Sim {
        base: format!("http://{addr}"),
        http,
        _handle: handle,
    };
    control(&sim, "POST", "/clock", Some(json!({"freeze": true}))).await;
    sim
}

pub async fn control(sim: &Sim, method: &str, path: &str, body: Option<Value>) -> Value {
    control_at(&sim.http, &sim.base, method, path, body).await
}

async fn control_at(
    http: &reqwest::Client,
    base: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Value {
    let mut req = http.request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        format!("{base}/_sim{path}"),
    );
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    assert!(r.status().is_success(), "control {path}: {}", r.status());
    let text = r.text().await.unwrap();
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    }
}

/// The simulator's state of one tenant.
pub async fn tenant_state(sim: &Sim, tenant: &str) -> Value {
    let state = control(sim, "GET", &format!("/state?tenant={tenant}"), None).await;
    state["tenants"][0].clone()
}

/// Counts sequential round trips: a new one starts whenever a request leaves while none
/// is in flight (exact on a single-threaded runtime).
#[derive(Default)]
pub struct Waves {
    in_flight: Cell<u32>,
    pub waves: Cell<u32>,
    pub requests: Cell<u32>,
}

impl Waves {
    pub fn reset(&self) {
        self.waves.set(0);
        self.requests.set(0);
    }
}

pub type BoxFuture = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>>>>;
/// The transport as one nameable type, for the `Graph` and `SessionTokens` it parameterizes.
pub type BoxTransport = Box<dyn Fn(HttpRequest) -> BoxFuture>;

/// A browser-like transport: every request carries the app's Origin.
pub fn transport(http: reqwest::Client, waves: Rc<Waves>) -> BoxTransport {
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
        }) as BoxFuture
    })
}

async fn send(http: &reqwest::Client, req: HttpRequest) -> Result<HttpResponse, TransportError> {
    let (parts, body) = req.into_parts();
    let mut r = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .header("origin", APP_ORIGIN)
        .body(body);
    r = r.timeout(std::time::Duration::from_secs(30));
    let resp = r
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
    Ok(out.body(bytes.to_vec()).unwrap())
}

/// Virtual time: `sleep` returns at once after moving the simulator's (frozen) clock.
pub struct SimHost {
    http: reqwest::Client,
    base: String,
    now: Cell<i64>,
    pub slept: RefCell<Vec<u64>>,
}

impl SimHost {
    pub async fn new(sim: &Sim) -> SimHost {
        let clock = control(sim, "GET", "/clock", None).await;
        SimHost {
            http: sim.http.clone(),
            base: sim.base.clone(),
            now: Cell::new(clock["now_ms"].as_i64().unwrap()),
            slept: RefCell::new(vec![]),
        }
    }

    /// Moves both clocks (e.g. past the 24 h of a SPA refresh token).
    pub async fn advance(&self, ms: u64) {
        self.now.set(self.now.get() + ms as i64);
        control_at(
            &self.http,
            &self.base,
            "POST",
            "/clock",
            Some(json!({"advance_ms": ms})),
        )
        .await;
    }

    pub fn total_slept_ms(&self) -> u64 {
        self.slept.borrow().iter().sum()
    }
}

impl Host for SimHost {
    fn now_ms(&self) -> i64 {
        self.now.get()
    }

    async fn sleep(&self, ms: u64) {
        self.slept.borrow_mut().push(ms);
        self.advance(ms).await;
    }

    fn jitter(&self) -> f64 {
        0.5
    }
}

pub fn config(sim: &Sim, tenant: &str) -> AppConfig {
    AppConfig::parse(&format!(
        r#"{{"authority":"{}/{tenant}/v2.0","graph_base_url":"{}/v1.0","client_id":"{}"}}"#,
        sim.base,
        sim.base,
        entra_sim::ASSISTANT_CLIENT_ID
    ))
    .unwrap()
}

pub async fn discover(sim: &Sim, config: &AppConfig) -> Discovery {
    let body = sim
        .http
        .get(config.discovery_url())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    Discovery::parse(&body, &config.authority).unwrap()
}

static RANDOM_SEED: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(0x9e37_79b9_7f4a_7c15);

/// Test randomness (a browser passes crypto.getRandomValues bytes).
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut x =
        RANDOM_SEED.fetch_add(0x2545_f491_4f6c_dd1d, std::sync::atomic::Ordering::Relaxed) | 1;
    (0..n)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 24) as u8
        })
        .collect()
}

pub fn sign_in_params(scopes: Vec<String>) -> SignInParams {
    SignInParams {
        redirect_uri: APP_REDIRECT.into(),
        scopes,
        return_path: "/setup".into(),
        response_mode: ResponseMode::Query,
        prompt: Some(auth::Prompt::SelectAccount),
        login_hint: None,
        domain_hint: None,
    }
}

/// The whole sign-in with core's auth module: authorize URL, the pages, state check,
/// code redemption with PKCE, ID token checks.
pub async fn sign_in<T: entra_setup_core::automation::host::Transport>(
    sim: &Sim,
    config: &AppConfig,
    endpoints: &Discovery,
    transport: &T,
    host: &SimHost,
    upn: &str,
    scopes: Vec<String>,
) -> Session {
    let (url, pending): (String, PendingSignIn) = auth::begin(
        config,
        endpoints,
        &sign_in_params(scopes),
        &random_bytes(auth::RANDOM_BYTES),
        host.now_ms(),
    )
    .unwrap();
    // What the adapter stores in sessionStorage survives as JSON.
    let pending: PendingSignIn =
        serde_json::from_str(&serde_json::to_string(&pending).unwrap()).unwrap();
    let back = match sim.browser().sign_in(&url, upn, false).await {
        Ok(Ending::Redirect(location)) => location,
        other => panic!("the sign-in pages did not hand back: {other:?}"),
    };
    let code = auth::parse_callback(&back, &pending, host.now_ms())
        .unwrap_or_else(|e| panic!("{e}: {back}"));
    auth::redeem(config, endpoints, &pending, code, transport, host.now_ms())
        .await
        .unwrap_or_else(|e| panic!("redeem: {e}"))
}
