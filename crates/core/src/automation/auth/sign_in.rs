//! The authorize redirect and the return from it.
//!
//! What must survive the full-page redirect is [`PendingSignIn`]; the adapter stores it in
//! sessionStorage under [`PENDING_KEY`] and deletes it as soon as the page comes back,
//! before calling [`parse_callback`] (a second use of the same state must fail).

use oauth2::url::Url;
use oauth2::{AuthUrl, ClientId, CsrfToken, RedirectUrl, Scope};

use super::discovery::Discovery;
use super::pkce;
use crate::automation::config::AppConfig;
use crate::automation::Secret;

/// The sessionStorage key of the pending sign-in.
pub const PENDING_KEY: &str = "entra-setup-assistant.pending-sign-in";
/// How many random bytes [`begin`] needs: 32 for the PKCE verifier, 32 for `state`,
/// 32 for `nonce`.
pub const RANDOM_BYTES: usize = 96;
/// A pending sign-in older than this is refused (Entra's codes live about a minute, the
/// sign-in pages much longer).
pub const PENDING_MAX_AGE_MS: i64 = 60 * 60 * 1000;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum ResponseMode {
    Query,
    Fragment,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Prompt {
    Login,
    SelectAccount,
    Consent,
    None,
}

impl Prompt {
    fn as_str(self) -> &'static str {
        match self {
            Prompt::Login => "login",
            Prompt::SelectAccount => "select_account",
            Prompt::Consent => "consent",
            Prompt::None => "none",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignInParams {
    /// This page's redirect URI, registered as `spa` on the assistant's own app.
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    /// Where to go back to inside the app after signing in (e.g. `/setup/nango-microsoft-teams`).
    pub return_path: String,
    pub response_mode: ResponseMode,
    pub prompt: Option<Prompt>,
    pub login_hint: Option<String>,
    /// The `tid` of an earlier sign-in skips home-realm discovery.
    pub domain_hint: Option<String>,
}

/// What must survive the redirect. Serialize it to sessionStorage only.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct PendingSignIn {
    pub state: String,
    pub nonce: String,
    pub code_verifier: Secret,
    pub redirect_uri: String,
    pub scopes: Vec<String>,
    pub return_path: String,
    pub response_mode: ResponseMode,
    pub created_at_ms: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInError {
    NoClientId,
    Config(String),
    NotEnoughRandomness,
    /// The redirect came back without our `state`: a forged or stale response. Nothing
    /// else in it was looked at.
    StateMismatch,
    /// The pending sign-in is older than [`PENDING_MAX_AGE_MS`].
    Expired,
    /// The authorize endpoint answered with an error (`access_denied`, `consent_required`, ...).
    Authorize {
        error: String,
        description: Option<String>,
        /// AADSTS number parsed from the description, when there is one.
        aadsts: Option<u32>,
    },
    /// Neither `code` nor `error` came back.
    NoCode,
}

impl std::fmt::Display for SignInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignInError::NoClientId => f.write_str("no client ID is configured"),
            SignInError::Config(m) => write!(f, "sign-in is misconfigured: {m}"),
            SignInError::NotEnoughRandomness => f.write_str("not enough random bytes"),
            SignInError::StateMismatch => f.write_str(
                "the sign-in response does not belong to this browser tab; sign in again",
            ),
            SignInError::Expired => f.write_str("the sign-in took too long; sign in again"),
            SignInError::Authorize {
                error, description, ..
            } => match description {
                Some(d) => write!(f, "{error}: {d}"),
                None => f.write_str(error),
            },
            SignInError::NoCode => f.write_str("the sign-in response has no code"),
        }
    }
}

impl std::error::Error for SignInError {}

/// The authorize URL to navigate to, and what to keep in sessionStorage until the return.
/// `random` must hold [`RANDOM_BYTES`] bytes from a CSPRNG.
pub fn begin(
    config: &AppConfig,
    endpoints: &Discovery,
    params: &SignInParams,
    random: &[u8],
    now_ms: i64,
) -> Result<(String, PendingSignIn), SignInError> {
    let client_id = config.client_id.clone().ok_or(SignInError::NoClientId)?;
    if random.len() < RANDOM_BYTES {
        return Err(SignInError::NotEnoughRandomness);
    }
    let verifier =
        pkce::verifier_from_random(&random[..32]).ok_or(SignInError::NotEnoughRandomness)?;
    let challenge = pkce::challenge(&verifier);
    let state = pkce::token_from_random(&random[32..64]);
    let nonce = pkce::token_from_random(&random[64..96]);

    let auth_url = AuthUrl::new(endpoints.authorization_endpoint.clone())
        .map_err(|e| SignInError::Config(e.to_string()))?;
    let redirect = RedirectUrl::new(params.redirect_uri.clone())
        .map_err(|e| SignInError::Config(format!("redirect URI: {e}")))?;
    let client = oauth2::basic::BasicClient::new(ClientId::new(client_id))
        .set_auth_uri(auth_url)
        .set_redirect_uri(redirect);
    let state_for_request = state.clone();
    let mut request = client
        .authorize_url(move || CsrfToken::new(state_for_request))
        .add_scopes(params.scopes.iter().cloned().map(Scope::new))
        .set_pkce_challenge(challenge)
        .add_extra_param("nonce", nonce.clone())
        .add_extra_param(
            "response_mode",
            match params.response_mode {
                ResponseMode::Query => "query",
                ResponseMode::Fragment => "fragment",
            },
        );
    if let Some(p) = params.prompt {
        request = request.add_extra_param("prompt", p.as_str());
    }
    if let Some(h) = params.login_hint.as_deref().filter(|h| !h.is_empty()) {
        request = request.add_extra_param("login_hint", h.to_owned());
    }
    if let Some(h) = params.domain_hint.as_deref().filter(|h| !h.is_empty()) {
        request = request.add_extra_param("domain_hint", h.to_owned());
    }
    let (url, _) = request.url();
    Ok((
        url.to_string(),
        PendingSignIn {
            state,
            nonce,
            code_verifier: Secret::new(verifier.secret().clone()),
            redirect_uri: params.redirect_uri.clone(),
            scopes: params.scopes.clone(),
            return_path: params.return_path.clone(),
            response_mode: params.response_mode,
            created_at_ms: now_ms,
        },
    ))
}

/// Reads the redirect back from the page's URL: checks `state` before anything else, then
/// returns the code or the authorize error. The app takes the response out of the URL first
/// and uses [`parse_response`]; this is for callers that hold the whole URL.
pub fn parse_callback(
    current_url: &str,
    pending: &PendingSignIn,
    now_ms: i64,
) -> Result<Secret, SignInError> {
    let url = Url::parse(current_url).map_err(|_| SignInError::StateMismatch)?;
    let response = match pending.response_mode {
        ResponseMode::Query => format!("?{}", url.query().unwrap_or("")),
        ResponseMode::Fragment => format!("#{}", url.fragment().unwrap_or("")),
    };
    parse_response(&response, pending, now_ms)
}

/// Reads a sign-in response taken out of the URL by [`super::response::split`] (`?…` from
/// the query, `#…` from the fragment): it must come where the pending sign-in asked for it,
/// then `state` is checked before anything else, then the code or the authorize error is
/// returned.
pub fn parse_response(
    response: &str,
    pending: &PendingSignIn,
    now_ms: i64,
) -> Result<Secret, SignInError> {
    let params = match (pending.response_mode, response.chars().next()) {
        (ResponseMode::Query, Some('?')) | (ResponseMode::Fragment, Some('#')) => &response[1..],
        _ => return Err(SignInError::StateMismatch),
    };
    let pairs: Vec<(String, String)> = oauth2::url::form_urlencoded::parse(params.as_bytes())
        .into_owned()
        .collect();
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    match get("state") {
        Some(s) if constant_time_eq(s.as_bytes(), pending.state.as_bytes()) => {}
        _ => return Err(SignInError::StateMismatch),
    }
    if now_ms - pending.created_at_ms > PENDING_MAX_AGE_MS {
        return Err(SignInError::Expired);
    }
    if let Some(error) = get("error") {
        let description = get("error_description");
        let aadsts = description.as_deref().and_then(aadsts_number);
        return Err(SignInError::Authorize {
            error,
            description,
            aadsts,
        });
    }
    get("code")
        .filter(|c| !c.is_empty())
        .map(Secret::new)
        .ok_or(SignInError::NoCode)
}

/// `AADSTS50011: The reply URL ...` → 50011.
pub fn aadsts_number(description: &str) -> Option<u32> {
    let rest = &description[description.find("AADSTS")? + 6..];
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> AppConfig {
        AppConfig::parse(r#"{"authority":"https://login.microsoftonline.com/organizations/v2.0","graph_base_url":"https://graph.microsoft.com/v1.0","client_id":"748aa5a9-366f-466f-adb2-52238936e96e"}"#).unwrap()
    }

    fn endpoints() -> Discovery {
        Discovery::parse(r#"{"issuer":"https://login.microsoftonline.com/{tenantid}/v2.0","authorization_endpoint":"https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize","token_endpoint":"https://login.microsoftonline.com/organizations/oauth2/v2.0/token"}"#, "https://login.microsoftonline.com/organizations/v2.0").unwrap()
    }

    fn params() -> SignInParams {
        SignInParams {
            redirect_uri: "https://setup.example.com/".into(),
            scopes: super::super::scopes::sign_in(config().cloud),
            return_path: "/setup/nango-microsoft-teams".into(),
            response_mode: ResponseMode::Query,
            prompt: Some(Prompt::SelectAccount),
            login_hint: None,
            domain_hint: Some("6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3".into()),
        }
    }

    fn random() -> Vec<u8> {
        (0..96u8).collect()
    }

    #[test]
    fn authorize_url_carries_every_parameter_entra_needs() {
        let (url, pending) = begin(&config(), &endpoints(), &params(), &random(), 1_000).unwrap();
        let u = Url::parse(&url).unwrap();
        let q: std::collections::HashMap<_, _> = u.query_pairs().into_owned().collect();
        assert_eq!(q["client_id"], "748aa5a9-366f-466f-adb2-52238936e96e");
        assert_eq!(q["response_type"], "code");
        assert_eq!(q["redirect_uri"], "https://setup.example.com/");
        assert_eq!(q["scope"], "openid profile offline_access User.Read");
        assert_eq!(q["response_mode"], "query");
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!(q["prompt"], "select_account");
        assert_eq!(q["domain_hint"], "6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3");
        assert_eq!(q["state"], pending.state);
        assert_eq!(q["nonce"], pending.nonce);
        let verifier = oauth2::PkceCodeVerifier::new(pending.code_verifier.expose().to_owned());
        assert_eq!(q["code_challenge"], pkce::challenge(&verifier).as_str());
        assert_ne!(pending.state, pending.nonce);
        // The verifier never appears in the URL.
        assert!(!url.contains(pending.code_verifier.expose()));
    }

    #[test]
    fn pending_sign_in_round_trips_through_storage() {
        let (_, pending) = begin(&config(), &endpoints(), &params(), &random(), 5).unwrap();
        let stored = serde_json::to_string(&pending).unwrap();
        let back: PendingSignIn = serde_json::from_str(&stored).unwrap();
        assert_eq!(back, pending);
        assert!(!format!("{pending:?}").contains(pending.code_verifier.expose()));
    }

    #[test]
    fn state_is_checked_before_the_code_or_error() {
        let (_, pending) = begin(&config(), &endpoints(), &params(), &random(), 0).unwrap();
        let ok = format!(
            "https://setup.example.com/?code=abc&state={}",
            pending.state
        );
        assert_eq!(parse_callback(&ok, &pending, 10).unwrap().expose(), "abc");
        for forged in [
            "https://setup.example.com/?code=abc".to_owned(),
            "https://setup.example.com/?code=abc&state=other".to_owned(),
            "https://setup.example.com/?error=access_denied&state=other".to_owned(),
        ] {
            assert_eq!(
                parse_callback(&forged, &pending, 10),
                Err(SignInError::StateMismatch)
            );
        }
        let err = format!(
            "https://setup.example.com/?error=consent_required&error_description=AADSTS65004%3A+User+declined&state={}",
            pending.state
        );
        match parse_callback(&err, &pending, 10) {
            Err(SignInError::Authorize { error, aadsts, .. }) => {
                assert_eq!(error, "consent_required");
                assert_eq!(aadsts, Some(65004));
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(
            parse_callback(&ok, &pending, PENDING_MAX_AGE_MS + 1),
            Err(SignInError::Expired)
        );
    }

    #[test]
    fn fragment_mode_reads_the_fragment() {
        let mut p = params();
        p.response_mode = ResponseMode::Fragment;
        let (url, pending) = begin(&config(), &endpoints(), &p, &random(), 0).unwrap();
        assert!(url.contains("response_mode=fragment"));
        let back = format!(
            "https://setup.example.com/#code=xyz&state={}",
            pending.state
        );
        assert_eq!(parse_callback(&back, &pending, 0).unwrap().expose(), "xyz");
    }

    #[test]
    fn a_response_taken_out_of_the_url_is_read_where_it_was_asked_for() {
        let mut p = params();
        p.response_mode = ResponseMode::Fragment;
        let (_, pending) = begin(&config(), &endpoints(), &p, &random(), 0).unwrap();
        let url = format!(
            "https://setup.example.com/setup/x?finish=1#code=xyz&state={}&session_state=q",
            pending.state
        );
        let u = Url::parse(&url).unwrap();
        let split = super::super::response::split(
            &format!("?{}", u.query().unwrap()),
            &format!("#{}", u.fragment().unwrap()),
        )
        .unwrap();
        assert_eq!(split.search, "?finish=1");
        assert_eq!(
            parse_response(&split.response, &pending, 0)
                .unwrap()
                .expose(),
            "xyz"
        );
        // The same pairs in the query were not asked for: refused before reading them.
        let moved = split.response.replacen('#', "?", 1);
        assert_eq!(
            parse_response(&moved, &pending, 0),
            Err(SignInError::StateMismatch)
        );
        assert_eq!(
            parse_response("", &pending, 0),
            Err(SignInError::StateMismatch)
        );
    }

    #[test]
    fn refuses_without_client_id_or_randomness() {
        let mut c = config();
        c.client_id = None;
        assert_eq!(
            begin(&c, &endpoints(), &params(), &random(), 0).unwrap_err(),
            SignInError::NoClientId
        );
        assert_eq!(
            begin(&config(), &endpoints(), &params(), &[0; 64], 0).unwrap_err(),
            SignInError::NotEnoughRandomness
        );
    }
}
