//! Sign-in for the page module: configuration, the authorize redirect and its return, and
//! the signed-in session. Tokens live in this module's memory only (a reload signs out);
//! the pending sign-in (state, nonce, verifier) lives in sessionStorage only for the round
//! trip; the client ID an admin enters lives in localStorage (it is not a secret).

use std::cell::RefCell;

use entra_setup_core::automation::auth::{
    self, Discovery, PendingSignIn, ResponseMode, Session, SessionTokens, SignInParams,
};
use entra_setup_core::automation::config::AppConfig;
use entra_setup_core::automation::host::Transport;
use entra_setup_core::cloud::Cloud;

use crate::browser::host::{random_bytes, BrowserHost};
use crate::browser::{fetch, session_storage, storage};
use crate::shell::announce_session;

/// The browser's fetch, as core's transport.
pub type Fetch = fn(
    entra_setup_core::automation::host::HttpRequest,
) -> std::pin::Pin<
    Box<
        dyn std::future::Future<
            Output = Result<
                entra_setup_core::automation::host::HttpResponse,
                entra_setup_core::automation::host::TransportError,
            >,
        >,
    >,
>;

pub const FETCH: Fetch = |request| Box::pin(fetch::send(request));
pub const HOST: BrowserHost = BrowserHost;

/// Where to sign in and which Graph to call, loaded once per page.
pub struct Env {
    pub config: AppConfig,
    pub endpoints: Discovery,
}

thread_local! {
    static ENV: RefCell<Option<&'static Env>> = const { RefCell::new(None) };
    /// config.json's cloud once it has been read (even without a client ID yet).
    static CLOUD: std::cell::Cell<Option<Cloud>> = const { std::cell::Cell::new(None) };
    static SESSION: RefCell<Option<Session>> = const { RefCell::new(None) };
}

const CLIENT_ID_KEY: &str = "client-id";

/// Why the automated mode cannot start.
#[derive(Clone, Debug, PartialEq)]
pub enum EnvError {
    /// The host's config.json names no client ID and the admin has not entered one.
    NoClientId {
        config: AppConfig,
    },
    Failed(String),
}

async fn get_text(url: &str) -> Result<String, String> {
    let request = http::Request::get(url)
        .body(Vec::new())
        .map_err(|e| e.to_string())?;
    let response = FETCH
        .send(request)
        .await
        .map_err(|e| format!("{url} could not be fetched ({})", e.message))?;
    if !response.status().is_success() {
        return Err(format!("{url} answered HTTP {}", response.status()));
    }
    String::from_utf8(response.into_body()).map_err(|_| format!("{url} is not text"))
}

/// Loads `/config.json` (plus the admin's client ID, if they entered one) and the
/// authority's OpenID discovery document, once.
pub async fn env() -> Result<&'static Env, EnvError> {
    if let Some(env) = ENV.with_borrow(|e| *e) {
        return Ok(env);
    }
    let text = get_text("/config.json").await.map_err(|e| {
        EnvError::Failed(format!(
            "{e}. The site's config.json says where to sign in; ask whoever hosts this page."
        ))
    })?;
    let mut config =
        AppConfig::parse(&text).map_err(|e| EnvError::Failed(format!("config.json: {e}")))?;
    CLOUD.set(config.cloud);
    if config.client_id.is_none() {
        match storage::load::<String>(CLIENT_ID_KEY).map(|id| config.with_client_id(&id)) {
            Some(Ok(with_id)) => config = with_id,
            _ => return Err(EnvError::NoClientId { config }),
        }
    }
    let discovery = get_text(&config.discovery_url())
        .await
        .map_err(|e| EnvError::Failed(format!("The sign-in service's discovery document: {e}")))?;
    let endpoints = Discovery::parse(&discovery)
        .map_err(|e| EnvError::Failed(format!("The sign-in service's discovery document: {e}")))?;
    let env: &'static Env = Box::leak(Box::new(Env { config, endpoints }));
    ENV.set(Some(env));
    Ok(env)
}

/// Keeps the client ID an admin typed (checked by core first).
pub fn remember_client_id(config: &AppConfig, client_id: &str) -> Result<(), String> {
    config
        .with_client_id(client_id.trim())
        .map_err(|e| e.to_string())?;
    storage::save(CLIENT_ID_KEY, &client_id.trim().to_owned());
    Ok(())
}

/// The configured cloud (`None`: config.json not read yet, or a loopback entra-sim).
pub fn cloud() -> Option<Cloud> {
    CLOUD.get()
}

/// The cloud downloads are written for: the configured one, else the global cloud.
pub fn export_cloud() -> Cloud {
    cloud().unwrap_or_default()
}

pub fn session() -> Option<Session> {
    SESSION.with_borrow(Clone::clone)
}

pub fn set_session(session: Option<Session>) {
    let who = session.as_ref().map(|s| {
        let name = s
            .claims
            .name
            .clone()
            .or_else(|| s.claims.preferred_username.clone())
            .unwrap_or_else(|| "an admin".into());
        format!("Signed in as {name}")
    });
    SESSION.set(session);
    announce_session(who.as_deref());
}

/// Token source for one operation, refreshing the in-memory session as needed.
pub fn tokens(env: &'static Env, session: Session) -> SessionTokens<'static, Fetch, BrowserHost> {
    SessionTokens::new(&env.config, &env.endpoints, &FETCH, &HOST, session)
}

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

/// Navigates to the sign-in page, asking for `scopes`. Does not return on success.
pub fn start_sign_in(
    env: &Env,
    scopes: Vec<String>,
    return_path: &str,
    login_hint: Option<String>,
) -> Result<(), String> {
    let random = random_bytes(auth::RANDOM_BYTES)?;
    let params = SignInParams {
        // The app's root: the one SPA redirect URI the assistant's registration needs.
        redirect_uri: format!("{}/", origin()),
        scopes,
        return_path: return_path.to_owned(),
        // The code comes back in the fragment, which browsers never send to the host.
        response_mode: ResponseMode::Fragment,
        prompt: None,
        login_hint,
        domain_hint: None,
    };
    let (url, pending) = auth::begin(
        &env.config,
        &env.endpoints,
        &params,
        &random,
        js_sys::Date::now() as i64,
    )
    .map_err(|e| e.to_string())?;
    session_storage::put(auth::PENDING_KEY, &pending)?;
    web_sys::window()
        .ok_or("no window")?
        .location()
        .assign(&url)
        .map_err(|_| "the browser refused to open the sign-in page".to_owned())
}

/// Finishes a sign-in when this page load is the return from one: checks `state` first,
/// redeems the code, checks the ID token. `None` when there is nothing to finish.
pub async fn finish_sign_in(env: &Env) -> Option<Result<Session, String>> {
    let window = web_sys::window()?;
    let location = window.location();
    let href = location.href().ok()?;
    if !href.contains("state=") {
        return None;
    }
    let pending: Option<PendingSignIn> = session_storage::take(auth::PENDING_KEY);
    // The code is single-use and the URL is now history: drop it from the address bar.
    if let (Ok(history), Ok(path)) = (window.history(), location.pathname()) {
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
    let Some(pending) = pending else {
        return Some(Err("This sign-in response was not started in this tab (or was already used). Sign in again.".into()));
    };
    let now = js_sys::Date::now() as i64;
    let result = async {
        let code = auth::parse_callback(&href, &pending, now).map_err(|e| e.to_string())?;
        auth::redeem(&env.config, &env.endpoints, &pending, code, &FETCH, now)
            .await
            .map_err(|e| e.to_string())
    }
    .await;
    Some(result)
}
