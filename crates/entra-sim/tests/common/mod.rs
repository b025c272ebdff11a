//! Drives entra-sim over real HTTP the way a browser and an SPA would: follows the HTML
//! forms of the sign-in pages, keeps the session cookie, redeems codes with an Origin.
#![allow(dead_code)]

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub use entra_sim::{users, ASSISTANT_CLIENT_ID, DEMO_TENANT_ID};

pub const APP_ORIGIN: &str = "http://127.0.0.1:8080";
pub const APP_REDIRECT: &str = "http://127.0.0.1:8080/";
/// What the assistant asks for at sign-in.
pub const ASSISTANT_SCOPES: &str = "openid profile offline_access email https://graph.microsoft.com/User.Read \
    https://graph.microsoft.com/Application.ReadWrite.All https://graph.microsoft.com/AppRoleAssignment.ReadWrite.All \
    https://graph.microsoft.com/DelegatedPermissionGrant.ReadWrite.All https://graph.microsoft.com/Application.Read.All \
    https://graph.microsoft.com/Directory.Read.All https://graph.microsoft.com/RoleManagement.Read.Directory";

pub struct Sim {
    pub base: String,
    pub http: Client,
    _handle: entra_sim::SimHandle,
}

pub async fn start() -> Sim {
    start_with(entra_sim::SimConfig::default()).await
}

pub async fn start_with(config: entra_sim::SimConfig) -> Sim {
    let (addr, handle) = entra_sim::spawn(config).await.expect("simulator starts");
    let http = Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    Sim {
        base: format!("http://{addr}"),
        http,
        _handle: handle,
    }
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

#[derive(Debug, Clone)]
pub struct Button {
    pub attrs: HashMap<String, String>,
    pub text: String,
}

#[derive(Debug, Clone)]
pub struct Form {
    pub action: String,
    pub fields: Vec<(String, String)>,
    pub buttons: Vec<Button>,
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn attrs(tag: &str) -> HashMap<String, String> {
    let mut out = HashMap::new();
    let mut rest = tag;
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq]
            .rsplit(|c: char| c.is_whitespace())
            .next()
            .unwrap_or("")
            .to_owned();
        let after = &rest[eq + 2..];
        let end = after.find('"').unwrap_or(after.len());
        out.insert(name, unescape(&after[..end]));
        rest = &after[(end + 1).min(after.len())..];
    }
    for flag in ["autofocus", "checked"] {
        if tag.contains(&format!(" {flag}")) {
            out.entry(flag.to_owned()).or_default();
        }
    }
    out
}

fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(out.trim())
}

pub fn forms(html: &str) -> Vec<Form> {
    let mut out = Vec::new();
    for chunk in html.split("<form").skip(1) {
        let body = &chunk[..chunk.find("</form>").unwrap_or(chunk.len())];
        let open_end = body.find('>').unwrap_or(0);
        let action = attrs(&body[..open_end])
            .get("action")
            .cloned()
            .unwrap_or_default();
        let mut fields = Vec::new();
        for input in body.split("<input").skip(1) {
            let a = attrs(&input[..input.find('>').unwrap_or(0)]);
            let is_unchecked_box =
                a.get("type").map(String::as_str) == Some("checkbox") && !a.contains_key("checked");
            if let (Some(n), Some(v)) = (a.get("name"), a.get("value")) {
                if !is_unchecked_box {
                    fields.push((n.clone(), v.clone()));
                }
            }
        }
        let mut buttons = Vec::new();
        for b in body.split("<button").skip(1) {
            let tag_end = b.find('>').unwrap_or(0);
            let text_end = b.find("</button>").unwrap_or(b.len());
            buttons.push(Button {
                attrs: attrs(&b[..tag_end]),
                text: strip_tags(&b[tag_end + 1..text_end]),
            });
        }
        out.push(Form {
            action,
            fields,
            buttons,
        });
    }
    out
}

/// The form holding a button with `attr=value`, and that button.
pub fn form_with_button(html: &str, attr: &str, value: &str) -> Option<(Form, Button)> {
    forms(html).into_iter().find_map(|f| {
        let b = f
            .buttons
            .iter()
            .find(|b| b.attrs.get(attr).map(String::as_str) == Some(value))
            .cloned();
        b.map(|b| (f, b))
    })
}

/// A browser: remembers the session cookie, never follows redirects by itself.
pub struct Browser<'a> {
    pub sim: &'a Sim,
    pub cookie: Option<String>,
}

pub enum Page {
    Html(StatusCode, String),
    Redirect(String),
}

impl Page {
    pub fn html(self) -> String {
        match self {
            Page::Html(_, h) => h,
            Page::Redirect(l) => panic!("expected a page, got a redirect to {l}"),
        }
    }

    pub fn location(self) -> String {
        match self {
            Page::Redirect(l) => l,
            Page::Html(s, h) => panic!("expected a redirect, got {s}: {h}"),
        }
    }
}

impl<'a> Browser<'a> {
    pub fn new(sim: &'a Sim) -> Browser<'a> {
        Browser { sim, cookie: None }
    }

    fn absorb(&mut self, headers: &HeaderMap) {
        for v in headers.get_all(SET_COOKIE) {
            let v = v.to_str().unwrap_or("");
            if let Some(pair) = v.split(';').next() {
                if let Some(value) = pair.strip_prefix("esim_session=") {
                    self.cookie = if value.is_empty() {
                        None
                    } else {
                        Some(value.to_owned())
                    };
                }
            }
        }
    }

    async fn page(&mut self, response: reqwest::Response) -> Page {
        self.absorb(response.headers());
        let status = response.status();
        if status == StatusCode::FOUND {
            return Page::Redirect(response.headers()[LOCATION].to_str().unwrap().to_owned());
        }
        Page::Html(status, response.text().await.unwrap())
    }

    pub async fn get(&mut self, url: &str) -> Page {
        let mut req = self.sim.http.get(url);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", format!("esim_session={c}"));
        }
        let r = req.send().await.unwrap();
        self.page(r).await
    }

    pub async fn submit(&mut self, form: &Form, button: &Button) -> Page {
        let mut fields = form.fields.clone();
        if let (Some(n), Some(v)) = (button.attrs.get("name"), button.attrs.get("value")) {
            fields.push((n.clone(), v.clone()));
        }
        let url = format!("{}{}", self.sim.base, form.action);
        let mut req = self.sim.http.post(url).form(&fields);
        if let Some(c) = &self.cookie {
            req = req.header("cookie", format!("esim_session={c}"));
        }
        let r = req.send().await.unwrap();
        self.page(r).await
    }

    /// Clicks the account button of `upn` on a picker page.
    pub async fn pick(&mut self, picker_html: &str, upn: &str) -> Page {
        let (form, button) =
            form_with_button(picker_html, "data-user", upn).expect("user listed on the picker");
        self.submit(&form, &button).await
    }

    /// Clicks the button with `data-action` on a consent page; `for_org` ticks the
    /// "on behalf of your organization" box.
    pub async fn consent(&mut self, html: &str, action: &str, for_org: bool) -> Page {
        let (mut form, button) =
            form_with_button(html, "data-action", action).expect("consent button");
        if for_org {
            form.fields.push(("consent_org".into(), "true".into()));
        }
        self.submit(&form, &button).await
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
    browser: &mut Browser<'_>,
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

pub async fn redeem(
    sim: &Sim,
    tenant: &str,
    code: &str,
    verifier: &str,
    origin: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = sim
        .http
        .post(format!("{}/{tenant}/oauth2/v2.0/token", sim.base))
        .form(&[
            ("client_id", ASSISTANT_CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", APP_REDIRECT),
            ("code_verifier", verifier),
            (
                "scope",
                "openid profile offline_access https://graph.microsoft.com/.default",
            ),
        ]);
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap())
}

/// Full sign-in of `upn` to the demo tenant; returns the token response.
pub async fn sign_in(sim: &Sim, upn: &str, for_org: bool) -> Value {
    sign_in_to(sim, DEMO_TENANT_ID, upn, for_org).await
}

pub async fn sign_in_to(sim: &Sim, tenant: &str, upn: &str, for_org: bool) -> Value {
    let pkce = pkce();
    let mut req = AuthRequest::new(&pkce);
    req.tenant = tenant;
    let mut browser = Browser::new(sim);
    let params = authorize(&mut browser, &req, upn, for_org).await;
    let code = params
        .get("code")
        .unwrap_or_else(|| panic!("no code: {params:?}"));
    let (status, body) = redeem(sim, tenant, code, &pkce.verifier, Some(APP_ORIGIN)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

pub async fn access_token(sim: &Sim, upn: &str) -> String {
    sign_in(sim, upn, false).await["access_token"]
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
    let mut req = sim.http.request(method, format!("{}/_sim{path}", sim.base));
    if let Some(b) = body {
        req = req.json(&b);
    }
    let r = req.send().await.unwrap();
    assert!(
        r.status().is_success(),
        "control call {path} failed: {}",
        r.status()
    );
    let text = r.text().await.unwrap();
    if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap()
    }
}

pub async fn client_credentials(
    sim: &Sim,
    tenant: &str,
    client_id: &str,
    secret: &str,
    origin: Option<&str>,
) -> (StatusCode, Value) {
    let mut req = sim
        .http
        .post(format!("{}/{tenant}/oauth2/v2.0/token", sim.base))
        .form(&[
            ("client_id", client_id),
            ("grant_type", "client_credentials"),
            ("client_secret", secret),
            ("scope", "https://graph.microsoft.com/.default"),
        ]);
    if let Some(o) = origin {
        req = req.header("origin", o);
    }
    let r = req.send().await.unwrap();
    let status = r.status();
    (status, r.json().await.unwrap())
}

/// Microsoft Graph's service principal object id in a tenant.
pub async fn sp_id(sim: &Sim, token: &str, app_id: &str) -> String {
    let r = graph(
        sim,
        Method::GET,
        &format!("/servicePrincipals(appId='{app_id}')?$select=id"),
        Some(token),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["id"].as_str().unwrap().to_owned()
}
