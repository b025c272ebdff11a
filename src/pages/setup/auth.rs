//! Sign-in for the page module: configuration, the authorize redirect and its return, and
//! the signed-in session. Tokens live in this module's memory only (a reload signs out);
//! the pending sign-in (state, nonce, verifier) lives in sessionStorage only for the round
//! trip; the client ID an admin enters and the tenant they choose live in localStorage
//! (neither is a secret). The session lives in one reactive place, [`SessionState`], which
//! the page module provides to every page it mounts through Leptos context.

use std::cell::RefCell;
use std::rc::Rc;

use entra_setup_core::automation::auth::tenant::{self, Tenant};
use entra_setup_core::automation::auth::{
    self, Discovery, PendingSignIn, Prompt, ResponseMode, Session, SessionTokens, SignInFailure,
    SignInParams,
};
use entra_setup_core::automation::config::AppConfig;
use entra_setup_core::automation::host::Transport;
use entra_setup_core::cloud::Cloud;

use crate::browser::host::{random_bytes, BrowserHost};
use crate::browser::{fetch, session_storage, storage};
use leptos::prelude::*;

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
    pub configured: &'static Configured,
    pub endpoints: Discovery,
}

impl Env {
    pub fn config(&self) -> &'static AppConfig {
        &self.configured.config
    }
}

/// What config.json and this browser say before the sign-in service is asked: all the
/// sign-in card shows, so it paints while the discovery document is still on its way.
pub struct Configured {
    /// config.json (with the admin's client ID), its authority made tenant-specific when
    /// the admin named a tenant.
    pub config: AppConfig,
    /// The tenant the admin named; `None`: config.json's authority ("my organization").
    pub tenant: Option<Tenant>,
    /// The client ID was typed by an admin (kept in this browser), not set by config.json.
    pub client_id_from_browser: bool,
}

thread_local! {
    static CONFIGURED: RefCell<Option<&'static Configured>> = const { RefCell::new(None) };
    static ENV: RefCell<Option<&'static Env>> = const { RefCell::new(None) };
}

const CLIENT_ID_KEY: &str = "client-id";
/// The tenant the admin signs in to (a domain or tenant ID as typed, validated by core).
const TENANT_KEY: &str = "sign-in-tenant";
/// The `tid` of the last sign-in in this browser: a tenant ID, never a client ID.
const LAST_TENANT_KEY: &str = "last-tenant-id";

/// Why the automated mode cannot start.
#[derive(Clone, Debug, PartialEq)]
pub enum EnvError {
    /// The host's config.json names no client ID and the admin has not entered one.
    NoClientId {
        config: AppConfig,
    },
    /// The tenant the admin named has no sign-in service (unknown tenant, typo).
    Tenant {
        tenant: Tenant,
        why: String,
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

/// Loads `/config.json` (plus the admin's client ID, if they entered one, and the tenant
/// they named), once.
pub async fn configured() -> Result<&'static Configured, EnvError> {
    if let Some(configured) = CONFIGURED.with_borrow(|c| *c) {
        return Ok(configured);
    }
    let text = get_text("/config.json").await.map_err(|e| {
        EnvError::Failed(format!(
            "{e}. The site's config.json says where to sign in; ask whoever hosts this page."
        ))
    })?;
    let mut config = AppConfig::parse(&text).map_err(|e| EnvError::Failed(e.to_string()))?;
    // Known once read, even without a client ID yet.
    crate::configured_cloud::set(config.cloud);
    let client_id_from_browser = config.client_id.is_none();
    if client_id_from_browser {
        match storage::load::<String>(CLIENT_ID_KEY).map(|id| config.with_client_id(&id)) {
            Some(Ok(with_id)) => config = with_id,
            _ => return Err(EnvError::NoClientId { config }),
        }
    }
    let tenant = chosen_tenant();
    let config = tenant::config_for(&config, tenant.as_ref())
        .map_err(|e| EnvError::Failed(e.to_string()))?;
    let configured: &'static Configured = Box::leak(Box::new(Configured {
        config,
        tenant,
        client_id_from_browser,
    }));
    CONFIGURED.set(Some(configured));
    Ok(configured)
}

/// [`configured`], then the authority's OpenID discovery document, once.
pub async fn env() -> Result<&'static Env, EnvError> {
    if let Some(env) = ENV.with_borrow(|e| *e) {
        return Ok(env);
    }
    let configured = configured().await?;
    let endpoints = match get_text(&configured.config.discovery_url())
        .await
        .and_then(|d| Discovery::parse(&d, &configured.config.authority))
    {
        Ok(endpoints) => endpoints,
        Err(why) => {
            return Err(match configured.tenant.clone() {
                Some(tenant) => EnvError::Tenant { tenant, why },
                None => {
                    EnvError::Failed(format!("The sign-in service's discovery document: {why}"))
                }
            })
        }
    };
    let env: &'static Env = Box::leak(Box::new(Env {
        configured,
        endpoints,
    }));
    ENV.set(Some(env));
    Ok(env)
}

/// Whether a client ID is known before config.json is read: the admin's, kept in this
/// browser, or the one the build's config.json named (`hosting/post-build.mjs` then writes
/// `<meta name="entra-setup-client-id">` into index.html). The sign-in card can paint at once
/// then; otherwise the page may need the one-time client ID form instead, and waits.
pub fn client_id_expected() -> bool {
    storage::load::<String>(CLIENT_ID_KEY).is_some() || built_with_client_id()
}

/// The `<meta name>` `hosting/post-build.mjs` writes into index.html when the built
/// config.json names a client ID.
pub const CLIENT_ID_META: &str = "entra-setup-client-id";

#[cfg(target_arch = "wasm32")]
fn built_with_client_id() -> bool {
    document()
        .query_selector(&format!("meta[name={CLIENT_ID_META}]"))
        .ok()
        .flatten()
        .is_some()
}

/// Natively: what the prerendering's index.html says (`crate::prerender`).
#[cfg(not(target_arch = "wasm32"))]
fn built_with_client_id() -> bool {
    crate::prerender::built_with_client_id()
}

/// The environment, once [`env`] has loaded it.
pub fn loaded_env() -> Option<&'static Env> {
    ENV.with_borrow(|e| *e)
}

/// The tenant the admin chose in this browser, if any (re-checked: storage is editable).
pub fn chosen_tenant() -> Option<Tenant> {
    storage::load::<String>(TENANT_KEY).and_then(|t| Tenant::parse(&t).ok().flatten())
}

/// Keeps the tenant the admin typed (checked by core first); empty = "my organization".
/// The page reloads to sign in there.
pub fn choose_tenant(input: &str) -> Result<(), String> {
    match Tenant::parse(input).map_err(|e| e.to_string())? {
        Some(t) => storage::save(TENANT_KEY, &t.as_str().to_owned()),
        None => storage::remove(TENANT_KEY),
    }
    Ok(())
}

/// Tenant IDs a typed client ID must not be: the configured or chosen tenant's, and the
/// last signed-in one.
fn known_tenant_ids(config: &AppConfig, signed_in: Option<&Session>) -> Vec<String> {
    let mut ids: Vec<String> = tenant::authority_tenant(&config.authority)
        .into_iter()
        .chain(chosen_tenant().map(|t| t.as_str().to_owned()))
        .chain(storage::load::<String>(LAST_TENANT_KEY))
        .collect();
    ids.extend(signed_in.map(|s| s.claims.tid.clone()));
    ids
}

/// Forgets the client ID an admin typed; the page then asks for one again.
pub fn forget_client_id() {
    storage::remove(CLIENT_ID_KEY);
}

/// Keeps the client ID an admin typed (checked by core first: a GUID, not a tenant ID).
pub fn remember_client_id(
    config: &AppConfig,
    client_id: &str,
    signed_in: Option<&Session>,
) -> Result<(), String> {
    let ids = known_tenant_ids(config, signed_in);
    let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
    let checked = tenant::check_client_id(config, client_id, &ids)?;
    storage::save(CLIENT_ID_KEY, &checked.client_id.unwrap_or_default());
    Ok(())
}

/// The configured cloud (`None`: config.json not read yet, or a loopback entra-sim).
pub fn cloud() -> Option<Cloud> {
    crate::configured_cloud::get()
}

/// Tells whoever shows the sign-in state (the shell's header) who is signed in, as a
/// sentence, or `None`. Tokens never leave the page module.
pub type Announce = Rc<dyn Fn(Option<&str>)>;

/// The signed-in session: the one place it is kept, in memory only (a reload signs out).
/// Created once by the page module, so it outlives the pages it mounts, and provided to each
/// of them through context ([`use_session`]); reading it inside a reactive closure tracks it.
#[derive(Clone, Copy)]
pub struct SessionState {
    session: RwSignal<Option<Session>, LocalStorage>,
    announce: StoredValue<Option<Announce>, LocalStorage>,
}

impl SessionState {
    pub fn new() -> Self {
        Self {
            session: RwSignal::new_local(None),
            announce: StoredValue::new_local(None),
        }
    }

    /// Who is told when the session changes (the page module's host).
    pub fn announce_to(&self, announce: Announce) {
        self.announce.set_value(Some(announce));
    }

    /// The session, tracked.
    pub fn get(&self) -> Option<Session> {
        self.session.get()
    }

    /// The session, for event handlers and tasks.
    pub fn get_untracked(&self) -> Option<Session> {
        self.session.get_untracked()
    }

    /// A look at the session without cloning it, tracked.
    pub fn with_session<T>(&self, f: impl FnOnce(Option<&Session>) -> T) -> T {
        self.session.with(|s| f(s.as_ref()))
    }

    /// Whether the session grants `wanted`, tracked.
    pub fn grants(&self, wanted: &[String]) -> bool {
        self.with_session(|s| s.is_some_and(|s| s.missing_scopes(wanted, cloud()).is_empty()))
    }

    pub fn set(&self, session: Option<Session>) {
        let who = session.as_ref().map(|s| {
            let name = s
                .claims
                .name
                .clone()
                .or_else(|| s.claims.preferred_username.clone())
                .unwrap_or_else(|| "an admin".into());
            format!("Signed in as {name}")
        });
        if let Some(s) = &session {
            storage::save(LAST_TENANT_KEY, &s.claims.tid);
        }
        self.session.set(session);
        if let Some(announce) = self.announce.get_value() {
            announce(who.as_deref());
        }
    }
}

impl Default for SessionState {
    fn default() -> Self {
        Self::new()
    }
}

/// The session of the page module that mounted this page.
pub fn use_session() -> SessionState {
    expect_context()
}

/// Token source for one operation, refreshing the in-memory session as needed.
pub fn tokens(env: &'static Env, session: Session) -> SessionTokens<'static, Fetch, BrowserHost> {
    SessionTokens::new(env.config(), &env.endpoints, &FETCH, &HOST, session)
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
        // Always the account picker: on a shared machine, an admin's session at Microsoft
        // is never reused without someone choosing it.
        prompt: Some(Prompt::SelectAccount),
        login_hint,
        domain_hint: None,
    };
    let (url, pending) = auth::begin(
        env.config(),
        &env.endpoints,
        &params,
        &random,
        js_sys::Date::now() as i64,
    )
    .map_err(|e| e.to_string())?;
    session_storage::put(auth::PENDING_KEY, &pending)?;
    // `replace`: the page that started the sign-in is pushed again on return (see
    // `sign_in_return`), and Back never lands on the authorize URL this entry would hold.
    web_sys::window()
        .ok_or("no window")?
        .location()
        .replace(&url)
        .map_err(|_| "the browser refused to open the sign-in page".to_owned())
}

/// Finishes a sign-in when this page load is the return from one (the shell took the
/// response out of the URL before anything loaded: [`crate::sign_in_return`]): checks
/// `state` first, redeems the code, checks the ID token. `None` when there is nothing to
/// finish.
pub async fn finish_sign_in(env: &Env) -> Option<Result<Session, SignInFailure>> {
    let response = crate::sign_in_return::take_response()?;
    let pending: Option<PendingSignIn> = session_storage::take(auth::PENDING_KEY);
    let Some(pending) = pending else {
        return Some(Err(SignInFailure::pending_missing()));
    };
    let now = js_sys::Date::now() as i64;
    let result = async {
        let code =
            auth::parse_response(&response, &pending, now).map_err(|e| SignInFailure::from(&e))?;
        auth::redeem(env.config(), &env.endpoints, &pending, code, &FETCH, now)
            .await
            .map_err(|e| SignInFailure::from(&e))
    }
    .await;
    Some(result)
}

/// Signs out of this page and of Microsoft: the session in memory goes, then the browser
/// goes to the sign-in service's `end_session_endpoint`, which comes back to the site's
/// root. Without one in the discovery document, the page only reloads (signed out here).
pub fn sign_out(session: SessionState, env: Option<&Env>) {
    session.set(None);
    let Some(window) = web_sys::window() else {
        return;
    };
    let logout = env.and_then(|env| {
        let end = env.endpoints.end_session_endpoint.as_deref()?;
        auth::logout_url(
            end,
            &env.endpoints.authorization_endpoint,
            &format!("{}/", origin()),
        )
        .ok()
    });
    let _ = match logout {
        Some(url) => window.location().assign(&url),
        None => window.location().reload(),
    };
}
