//! Drives entra-sim over real HTTP the way a browser and an SPA would: the sign-in pages
//! through the library's `client` (forms, session cookie), codes redeemed with an Origin.
#![allow(dead_code)]

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use entra_sim::client;
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub use entra_sim::client::Page;
pub use entra_sim::{users, ASSISTANT_CLIENT_ID, DEMO_TENANT_ID};

pub const APP_ORIGIN: &str = "http://127.0.0.1:8080";
pub const APP_REDIRECT: &str = "http://127.0.0.1:8080/";
/// What the assistant asks for at sign-in.
pub const ASSISTANT_SCOPES: &str = "openid profile offline_access email https://graph.microsoft.com/User.Read \
    https://graph.microsoft.com/Application.ReadWrite.All https://graph.microsoft.com/AppRoleAssignment.ReadWrite.All \
    https://graph.microsoft.com/DelegatedPermissionGrant.ReadWrite.All https://graph.microsoft.com/Application.Read.All \
    https://graph.microsoft.com/Directory.Read.All https://graph.microsoft.com/RoleManagement.Read.Directory";

/// The shared harness (`entra_sim::client::SimServer`): `base`, `http` and the control calls.
pub type Sim = entra_sim::client::SimServer;

pub async fn start() -> Sim {
    start_with(entra_sim::SimConfig::default()).await
}

pub async fn start_with(config: entra_sim::SimConfig) -> Sim {
    Sim::start(config).await
}

pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

pub fn pkce() -> Pkce {
    let verifier = URL_SAFE_NO_PAD.encode(uuid::Uuid::new_v4().as_bytes().repeat(2));
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce {
        verifier,
        challenge,
    }
}

/// The library's page-clicking client, for tests: an HTTP failure or a missing button
/// fails the test where it happens.
pub struct Browser<'a> {
    pub sim: &'a Sim,
    client: client::Browser,
}

impl<'a> Browser<'a> {
    pub fn new(sim: &'a Sim) -> Browser<'a> {
        Browser {
            sim,
            client: client::Browser::new(sim.http.clone(), &sim.base),
        }
    }

    pub async fn get(&self, url: &str) -> Page {
        self.client.get(url).await.expect("the page loads")
    }

    /// Clicks the account button of `upn` on a picker page.
    pub async fn pick(&self, picker_html: &str, upn: &str) -> Page {
        self.client
            .pick(picker_html, upn)
            .await
            .expect("user listed on the picker")
    }

    /// Clicks the button with `data-action` on a consent page; `for_org` ticks the
    /// "on behalf of your organization" box.
    pub async fn consent(&self, html: &str, action: &str, for_org: bool) -> Page {
        self.client
            .consent(html, action, for_org)
            .await
            .expect("consent button")
    }
}

/// What a test expects a [`Page`] to be.
pub trait Expect {
    fn html(self) -> String;
    fn location(self) -> String;
}

impl Expect for Page {
    fn html(self) -> String {
        match self {
            Page::Html(_, h) => h,
            Page::Redirect(l) => panic!("expected a page, got a redirect to {l}"),
        }
    }

    fn location(self) -> String {
        match self {
            Page::Redirect(l) => l,
            Page::Html(s, h) => panic!("expected a redirect, got {s}: {h}"),
        }
    }
}

pub fn query_params(url: &str) -> HashMap<String, String> {
    let u = url::Url::parse(url).unwrap();
    u.query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub fn fragment_params(url: &str) -> HashMap<String, String> {
    let u = url::Url::parse(url).unwrap();
    url::form_urlencoded::parse(u.fragment().unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

pub struct AuthRequest<'a> {
    pub tenant: &'a str,
    pub scope: &'a str,
    pub redirect_uri: &'a str,
    pub pkce: &'a Pkce,
    pub extra: Vec<(&'a str, &'a str)>,
}

impl<'a> AuthRequest<'a> {
    pub fn new(pkce: &'a Pkce) -> AuthRequest<'a> {
        AuthRequest {
            tenant: DEMO_TENANT_ID,
            scope: ASSISTANT_SCOPES,
            redirect_uri: APP_REDIRECT,
            pkce,
            extra: Vec::new(),
        }
    }

    pub fn url(&self, base: &str) -> String {
        let mut u =
            url::Url::parse(&format!("{base}/{}/oauth2/v2.0/authorize", self.tenant)).unwrap();
        u.query_pairs_mut()
            .append_pair("client_id", ASSISTANT_CLIENT_ID)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", self.redirect_uri)
            .append_pair("scope", self.scope)
            .append_pair("state", "st-123")
            .append_pair("nonce", "n-456")
            .append_pair("code_challenge", &self.pkce.challenge)
            .append_pair("code_challenge_method", "S256");
        for (k, v) in &self.extra {
            u.query_pairs_mut().append_pair(k, v);
        }
        u.to_string()
    }
}

/// Signs `upn` in through the pages (accepting consent when asked, for the organization
/// if `for_org`) and returns the redirect's query parameters.
pub async fn authorize(
    browser: &Browser<'_>,
    req: &AuthRequest<'_>,
    upn: &str,
    for_org: bool,
) -> HashMap<String, String> {
    let picker = browser.get(&req.url(&browser.sim.base)).await.html();
    let mut page = browser.pick(&picker, upn).await;
    if let Page::Html(_, html) = &page {
        assert!(
            html.contains("data-action=\"accept\""),
            "expected a consent page: {html}"
        );
        page = browser.consent(&html.clone(), "accept", for_org).await;
    }
    query_params(&page.location())
}

/// `POST /{tenant}/oauth2/v2.0/token`, with the `Origin` a browser would send, if any.
pub async fn token_request(
    sim: &Sim,
    tenant: &str,
    form: &[(&str, &str)],
    origin: Option<&str>,
) -> reqwest::Response {
    let mut req = sim
        .http
        .post(format!("{}/{tenant}/oauth2/v2.0/token", sim.base))
        .form(form);
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    req.send().await.unwrap()
}

async fn status_and_json(r: reqwest::Response) -> (StatusCode, Value) {
    (r.status(), r.json().await.unwrap())
}

pub async fn redeem(
    sim: &Sim,
    tenant: &str,
    code: &str,
    verifier: &str,
    origin: Option<&str>,
) -> (StatusCode, Value) {
    let form = [
        ("client_id", ASSISTANT_CLIENT_ID),
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", APP_REDIRECT),
        ("code_verifier", verifier),
        (
            "scope",
            "openid profile offline_access https://graph.microsoft.com/.default",
        ),
    ];
    status_and_json(token_request(sim, tenant, &form, origin).await).await
}

/// Redeems a demo-tenant code as the SPA does: with its PKCE verifier and its Origin.
pub async fn redeem_as_spa(sim: &Sim, code: &str, pkce: &Pkce) -> (StatusCode, Value) {
    redeem(sim, DEMO_TENANT_ID, code, &pkce.verifier, Some(APP_ORIGIN)).await
}

/// Full sign-in of `upn` to the demo tenant; returns the token response.
pub async fn sign_in(sim: &Sim, upn: &str, for_org: bool) -> Value {
    sign_in_to(sim, DEMO_TENANT_ID, upn, for_org).await
}

pub async fn sign_in_to(sim: &Sim, tenant: &str, upn: &str, for_org: bool) -> Value {
    let pkce = pkce();
    let mut req = AuthRequest::new(&pkce);
    req.tenant = tenant;
    let browser = Browser::new(sim);
    let params = authorize(&browser, &req, upn, for_org).await;
    let code = params
        .get("code")
        .unwrap_or_else(|| panic!("no code: {params:?}"));
    let (status, body) = redeem(sim, tenant, code, &pkce.verifier, Some(APP_ORIGIN)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

/// A delegated Graph token of `upn` in the demo tenant.
pub async fn access_token(sim: &Sim, upn: &str) -> String {
    access_token_in(sim, DEMO_TENANT_ID, upn).await
}

pub async fn access_token_in(sim: &Sim, tenant: &str, upn: &str) -> String {
    sign_in_to(sim, tenant, upn, false).await["access_token"]
        .as_str()
        .unwrap()
        .to_owned()
}

pub struct GraphReply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl GraphReply {
    pub fn code(&self) -> &str {
        self.body["error"]["code"].as_str().unwrap_or("")
    }
}

pub async fn graph(
    sim: &Sim,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> GraphReply {
    graph_with(sim, method, path, token, body, &[]).await
}

/// `GET /v1.0{path}` with `token`.
pub async fn get(sim: &Sim, path: &str, token: &str) -> GraphReply {
    graph(sim, Method::GET, path, Some(token), None).await
}

/// `POST /v1.0{path}` of `body` with `token`.
pub async fn post(sim: &Sim, path: &str, token: &str, body: Value) -> GraphReply {
    graph(sim, Method::POST, path, Some(token), Some(body)).await
}

/// The status of `GET /v1.0{path}` with `token`.
pub async fn get_status(sim: &Sim, path: &str, token: &str) -> StatusCode {
    get(sim, path, token).await.status
}

pub async fn graph_with(
    sim: &Sim,
    method: Method,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> GraphReply {
    let mut req = sim.http.request(method, format!("{}/v1.0{path}", sim.base));
    if let Some(t) = token {
        req = req.bearer_auth(t);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    let headers = r.headers().clone();
    let text = r.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(json!({ "raw": text }))
    };
    GraphReply {
        status,
        headers,
        body,
    }
}

pub async fn control(sim: &Sim, method: Method, path: &str, body: Option<Value>) -> Value {
    sim.control(method.as_str(), path, body).await
}

/// The tenant's part of `/_sim/state`.
pub async fn tenant_state(sim: &Sim, tenant: &str) -> Value {
    sim.tenant_state(tenant).await
}

/// `/_sim/requests`: what the simulator answered, oldest first.
pub async fn request_log(sim: &Sim) -> Vec<Value> {
    sim.request_log().await
}

/// Changes the knobs named in `knobs`; the others keep their values.
pub async fn set_knobs(sim: &Sim, knobs: Value) {
    sim.set_knobs(knobs).await;
}

/// Adds one fault (an object) or several (an array).
pub async fn add_faults(sim: &Sim, faults: Value) {
    sim.add_faults(faults).await;
}

pub async fn advance_clock_ms(sim: &Sim, ms: u64) {
    sim.advance_clock_ms(ms).await;
}

pub async fn advance_clock_secs(sim: &Sim, secs: u64) {
    control(
        sim,
        Method::POST,
        "/clock",
        Some(json!({ "advance_secs": secs })),
    )
    .await;
}

pub async fn client_credentials(
    sim: &Sim,
    tenant: &str,
    client_id: &str,
    secret: &str,
    origin: Option<&str>,
) -> (StatusCode, Value) {
    let form = [
        ("client_id", client_id),
        ("grant_type", "client_credentials"),
        ("client_secret", secret),
        ("scope", "https://graph.microsoft.com/.default"),
    ];
    status_and_json(token_request(sim, tenant, &form, origin).await).await
}

/// An application created through Graph, with its service principal.
pub struct NewApp {
    /// The application's object id.
    pub id: String,
    pub app_id: String,
    pub sp_id: String,
}

pub async fn app_with_sp(sim: &Sim, token: &str, body: Value) -> NewApp {
    let app = post(sim, "/applications", token, body).await;
    assert_eq!(app.status, StatusCode::CREATED, "{}", app.body);
    let app_id = app.body["appId"].as_str().unwrap().to_owned();
    let sp = post(sim, "/servicePrincipals", token, json!({ "appId": app_id })).await;
    assert_eq!(sp.status, StatusCode::CREATED, "{}", sp.body);
    assert_eq!(sp.body["appId"], app_id.as_str());
    NewApp {
        id: app.body["id"].as_str().unwrap().to_owned(),
        app_id,
        sp_id: sp.body["id"].as_str().unwrap().to_owned(),
    }
}

/// Percent-encodes a query parameter value.
pub fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Microsoft Graph's service principal object id in a tenant.
pub async fn sp_id(sim: &Sim, token: &str, app_id: &str) -> String {
    let r = get(
        sim,
        &format!("/servicePrincipals(appId='{app_id}')?$select=id"),
        token,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}
