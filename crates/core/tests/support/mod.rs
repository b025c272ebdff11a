//! Native adapters for the automated-mode tests: an HTTP transport over reqwest that adds
//! the Origin a browser would, a virtual clock that moves entra-sim's clock when the
//! executor sleeps, and a "browser" that clicks through the simulator's sign-in pages.
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
use serde_json::{json, Value};

pub const APP_ORIGIN: &str = "http://127.0.0.1:8080";
pub const APP_REDIRECT: &str = "http://127.0.0.1:8080/";

pub struct Sim {
    pub base: String,
    pub http: reqwest::Client,
    _handle: entra_sim::SimHandle,
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
    let mut req = sim.http.request(
        reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
        format!("{}/_sim{path}", sim.base),
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

type BoxFuture = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>>>>;

/// A browser-like transport: every request carries the app's Origin.
pub fn transport(http: reqwest::Client, waves: Rc<Waves>) -> impl Fn(HttpRequest) -> BoxFuture {
    move |req: HttpRequest| {
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
    }
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
        let r = self
            .http
            .post(format!("{}/_sim/clock", self.base))
            .json(&json!({"advance_ms": ms}))
            .send()
            .await
            .unwrap();
        assert!(r.status().is_success());
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

// ---- the sign-in pages, clicked like a browser ----

pub struct Browser<'a> {
    sim: &'a Sim,
    cookie: RefCell<Option<String>>,
}

pub enum Page {
    Html(String),
    Redirect(String),
}

impl<'a> Browser<'a> {
    pub fn new(sim: &'a Sim) -> Self {
        Browser {
            sim,
            cookie: RefCell::new(None),
        }
    }

    async fn absorb(&self, resp: reqwest::Response) -> Page {
        for v in resp.headers().get_all("set-cookie") {
            if let Some(value) = v
                .to_str()
                .unwrap_or("")
                .split(';')
                .next()
                .and_then(|p| p.strip_prefix("esim_session="))
            {
                *self.cookie.borrow_mut() = Some(value.to_owned());
            }
        }
        if resp.status().is_redirection() {
            Page::Redirect(resp.headers()["location"].to_str().unwrap().to_owned())
        } else {
            Page::Html(resp.text().await.unwrap())
        }
    }

    pub async fn get(&self, url: &str) -> Page {
        let mut req = self.sim.http.get(url);
        if let Some(c) = self.cookie.borrow().clone() {
            req = req.header("cookie", format!("esim_session={c}"));
        }
        self.absorb(req.send().await.unwrap()).await
    }

    pub async fn post(&self, action: &str, fields: &[(String, String)]) -> Page {
        let url = if action.starts_with("http") {
            action.to_owned()
        } else {
            format!("{}{action}", self.sim.base)
        };
        let mut req = self.sim.http.post(url).form(fields);
        if let Some(c) = self.cookie.borrow().clone() {
            req = req.header("cookie", format!("esim_session={c}"));
        }
        self.absorb(req.send().await.unwrap()).await
    }

    /// From a page that starts a sign-in: picks `upn`, accepts consent (for the
    /// organization if `for_org`), and returns where the pages finally redirect, or
    /// `page: <title>` when they end on a page of their own (v1 admin consent without a
    /// redirect URI).
    pub async fn sign_in_pages(&self, first: Page, upn: &str, for_org: bool) -> String {
        let mut page = first;
        for _ in 0..5 {
            match page {
                Page::Redirect(location)
                    if !location.starts_with(&self.sim.base)
                        || location.contains("code=")
                        || location.contains("admin_consent=")
                        || location.contains("error=") =>
                {
                    return location
                }
                Page::Redirect(location) => page = self.get(&location).await,
                Page::Html(html) => {
                    if let Some((action, fields)) =
                        form_with(&html, &format!("data-user=\"{upn}\""))
                    {
                        page = self.post(&action, &fields).await;
                    } else if let Some((action, mut fields)) =
                        form_with(&html, "data-action=\"accept\"")
                    {
                        fields.push(("action".into(), "accept".into()));
                        if for_org {
                            fields.push(("consent_org".into(), "true".into()));
                        }
                        page = self.post(&action, &fields).await;
                    } else if !html.contains("<form") {
                        let title = html
                            .split("<title>")
                            .nth(1)
                            .and_then(|t| t.split("</title>").next())
                            .unwrap_or("");
                        return format!("page: {title}");
                    } else {
                        panic!("unexpected page: {html}");
                    }
                }
            }
        }
        panic!("sign-in pages did not finish");
    }
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!("{name}=\""))? + name.len() + 2;
    let end = tag[start..].find('"')? + start;
    Some(
        tag[start..end]
            .replace("&amp;", "&")
            .replace("&quot;", "\"")
            .replace("&#39;", "'"),
    )
}

/// The action and hidden fields of the form containing `marker`.
pub fn form_with(html: &str, marker: &str) -> Option<(String, Vec<(String, String)>)> {
    for chunk in html.split("<form").skip(1) {
        let body = &chunk[..chunk.find("</form>").unwrap_or(chunk.len())];
        if !body.contains(marker) {
            continue;
        }
        let action = attr(&body[..body.find('>')?], "action")?;
        let fields = body
            .split("<input")
            .skip(1)
            .filter_map(|i| {
                let tag = &i[..i.find('>')?];
                (attr(tag, "type").as_deref() == Some("hidden"))
                    .then(|| Some((attr(tag, "name")?, attr(tag, "value")?)))
                    .flatten()
            })
            .collect();
        return Some((action, fields));
    }
    None
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
    Discovery::parse(&body).unwrap()
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
    let browser = Browser::new(sim);
    let first = browser.get(&url).await;
    let back = browser.sign_in_pages(first, upn, false).await;
    let code = auth::parse_callback(&back, &pending, host.now_ms())
        .unwrap_or_else(|e| panic!("{e}: {back}"));
    auth::redeem(config, endpoints, &pending, code, transport, host.now_ms())
        .await
        .unwrap_or_else(|e| panic!("redeem: {e}"))
}
