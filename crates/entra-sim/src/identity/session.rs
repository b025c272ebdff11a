//! Sign-in state the identity endpoints keep between requests.

/// A browser session (cookie `esim_session`), as Entra keeps one for SSO and `prompt=none`.
#[derive(Debug, Clone)]
pub struct Session {
    pub tenant_id: String,
    pub user_id: String,
    pub auth_time_ms: i64,
}

pub const SESSION_COOKIE: &str = "esim_session";

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ResponseMode {
    Query,
    Fragment,
    FormPost,
}

#[derive(Debug, Clone, PartialEq)]
pub enum FlowKind {
    Authorize,
    /// `/{tenant}/v2.0/adminconsent` (`v1 = false`) or `/{tenant}/adminconsent`.
    AdminConsent {
        v1: bool,
    },
}

/// An interactive sign-in in progress: the validated request, waiting for the user to pick
/// an account and, if needed, consent.
#[derive(Debug, Clone)]
pub struct Flow {
    pub kind: FlowKind,
    /// The `{tenant}` path segment the flow started on.
    pub authority: String,
    pub client_id: String,
    pub redirect_uri: Option<String>,
    /// Platform of the matched redirect URI: `spa`, `web` or `publicClient`.
    pub platform: Option<&'static str>,
    pub response_mode: ResponseMode,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub scope: String,
    pub prompt: Option<String>,
    pub login_hint: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub client_info: bool,
    pub created_ms: i64,
    /// (tenant id, user id, sign-in time) once an account is chosen.
    pub user: Option<(String, String, i64)>,
}

#[derive(Debug, Clone)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub platform: &'static str,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
    pub scope: String,
    pub nonce: Option<String>,
    pub tenant_id: String,
    pub user_id: String,
    pub auth_time_ms: i64,
    pub issued_ms: i64,
    pub used: bool,
    pub client_info: bool,
}

#[derive(Debug, Clone)]
pub struct RefreshGrant {
    pub client_id: String,
    pub tenant_id: String,
    pub user_id: String,
    /// Issued through a `spa` redirect URI: fixed lifetime, cross-origin redemption only.
    pub spa: bool,
    pub auth_time_ms: i64,
    pub expires_ms: Option<i64>,
    /// Scope of the original request, the default resource of a refresh without `scope`.
    pub scope: String,
    pub client_info: bool,
}
