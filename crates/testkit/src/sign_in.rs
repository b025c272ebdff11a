//! Core's own sign-in (authorize URL, state check, code redemption with PKCE, ID-token
//! checks), with the simulator's pages clicked by `entra_sim::client`.

use entra_setup_core::automation::auth::{
    self, Discovery, PendingSignIn, ResponseMode, Session, SignInParams,
};
use entra_setup_core::automation::config::AppConfig;
use entra_setup_core::automation::host::{Host, Transport};
use entra_sim::client::Ending;

use crate::{Sim, APP_REDIRECT};

/// The app's configuration for the simulator's `tenant`, with the seeded assistant
/// registration's client ID.
pub fn config(sim: &Sim, tenant: &str) -> AppConfig {
    AppConfig::parse(&format!(
        r#"{{"authority":"{}/{tenant}/v2.0","graph_base_url":"{}/v1.0","client_id":"{}"}}"#,
        sim.base,
        sim.base,
        entra_sim::ASSISTANT_CLIENT_ID
    ))
    .expect("the simulator's config.json parses")
}

/// The discovery document, read and checked as the app does.
pub async fn discover(sim: &Sim, config: &AppConfig) -> Discovery {
    let body = sim
        .http
        .get(config.discovery_url())
        .send()
        .await
        .expect("discovery answers")
        .text()
        .await
        .expect("discovery has a body");
    Discovery::parse(&body, &config.authority).expect("the discovery document is accepted")
}

static RANDOM_SEED: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(0x9e37_79b9_7f4a_7c15);

/// Test randomness, different on every call (a browser passes crypto.getRandomValues
/// bytes).
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

/// What the app asks for: query response mode and the account picker.
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

/// The whole sign-in as `upn`, consenting for the user only; says what went wrong.
pub async fn try_sign_in<T: Transport>(
    sim: &Sim,
    config: &AppConfig,
    endpoints: &Discovery,
    transport: &T,
    host: &impl Host,
    upn: &str,
    scopes: Vec<String>,
) -> Result<Session, String> {
    let (url, pending): (String, PendingSignIn) = auth::begin(
        config,
        endpoints,
        &sign_in_params(scopes),
        &random_bytes(auth::RANDOM_BYTES),
        host.now_ms(),
    )
    .map_err(|e| format!("the authorize URL: {e}"))?;
    // What the app keeps in sessionStorage for the round trip survives as JSON.
    let stored = serde_json::to_string(&pending).map_err(|e| e.to_string())?;
    let pending: PendingSignIn = serde_json::from_str(&stored).map_err(|e| e.to_string())?;
    let back = match sim.browser().sign_in(&url, upn, false).await {
        Ok(Ending::Redirect(location)) => location,
        Ok(Ending::Page { title }) => {
            return Err(format!("the sign-in pages ended on \"{title}\""))
        }
        Err(e) => return Err(format!("the sign-in pages: {e}")),
    };
    let code =
        auth::parse_callback(&back, &pending, host.now_ms()).map_err(|e| format!("{e}: {back}"))?;
    auth::redeem(config, endpoints, &pending, code, transport, host.now_ms())
        .await
        .map_err(|e| format!("redeem: {e}"))
}

/// [`try_sign_in`] for a test: panics with what went wrong.
pub async fn sign_in<T: Transport>(
    sim: &Sim,
    config: &AppConfig,
    endpoints: &Discovery,
    transport: &T,
    host: &impl Host,
    upn: &str,
    scopes: Vec<String>,
) -> Session {
    try_sign_in(sim, config, endpoints, transport, host, upn, scopes)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}
