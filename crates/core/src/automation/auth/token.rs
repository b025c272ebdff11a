//! Code redemption and refresh through `oauth2`'s async client, with Entra's token response
//! (`id_token`, `refresh_token_expires_in`) and error JSON (AADSTS codes).

use oauth2::basic::{
    BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthorizationCode, ClientId, EndpointNotSet, EndpointSet, ExtraTokenFields, PkceCodeVerifier,
    RedirectUrl, RefreshToken, RequestTokenError, Scope, StandardRevocableToken,
    StandardTokenResponse, TokenResponse, TokenUrl,
};

use super::discovery::Discovery;
use super::id_token::{self, IdClaims, IdTokenError};
use super::sign_in::{aadsts_number, PendingSignIn};
use crate::automation::config::AppConfig;
use crate::automation::host::{HttpRequest, Transport};
use crate::automation::Secret;

/// Refresh tokens sent to a `spa` redirect URI die 24 h after sign-in, and refreshed ones
/// keep that deadline (graph-facts §1.5).
pub const SPA_REFRESH_LIFETIME_MS: i64 = 24 * 60 * 60 * 1000;
/// Refresh this long before the access token expires.
const ACCESS_EARLY_MS: i64 = 2 * 60 * 1000;

/// Entra's additions to the standard token response.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct EntraFields {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token_expires_in: Option<i64>,
}

impl ExtraTokenFields for EntraFields {}

type EntraTokenResponse = StandardTokenResponse<EntraFields, BasicTokenType>;

/// Entra's token error JSON (graph-facts §1.3).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TokenErrorBody {
    pub error: String,
    pub error_description: Option<String>,
    #[serde(default)]
    pub error_codes: Vec<u32>,
    pub trace_id: Option<String>,
    pub correlation_id: Option<String>,
    pub timestamp: Option<String>,
}

impl std::fmt::Display for TokenErrorBody {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.error)?;
        if let Some(d) = &self.error_description {
            write!(f, ": {}", d.lines().next().unwrap_or(""))?;
        }
        Ok(())
    }
}

impl oauth2::ErrorResponse for TokenErrorBody {}

type EntraClient = oauth2::Client<
    TokenErrorBody,
    EntraTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// Why no token came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// The token endpoint refused: `invalid_grant` (AADSTS700084: the 24 h are over; sign
    /// in again), `consent_required`, ...
    Server {
        error: String,
        description: Option<String>,
        aadsts: Vec<u32>,
        trace_id: Option<String>,
        correlation_id: Option<String>,
    },
    /// No usable response (network, CORS, unparseable).
    Transport(String),
    IdToken(IdTokenError),
    NoIdToken,
    NoClientId,
    Config(String),
}

impl TokenError {
    /// Whether only an interactive sign-in can fix it (no point refreshing again).
    pub fn needs_interaction(&self) -> bool {
        matches!(self, TokenError::Server { error, .. }
            if matches!(error.as_str(), "invalid_grant" | "interaction_required" | "consent_required" | "login_required"))
    }
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenError::Server {
                error, description, ..
            } => match description {
                Some(d) => write!(f, "{error}: {}", d.lines().next().unwrap_or("")),
                None => f.write_str(error),
            },
            TokenError::Transport(m) => write!(f, "could not reach the token endpoint: {m}"),
            TokenError::IdToken(e) => e.fmt(f),
            TokenError::NoIdToken => {
                f.write_str("the token response has no ID token (was `openid` requested?)")
            }
            TokenError::NoClientId => f.write_str("no client ID is configured"),
            TokenError::Config(m) => write!(f, "sign-in is misconfigured: {m}"),
        }
    }
}

impl std::error::Error for TokenError {}

/// A signed-in admin: tokens live in memory only.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub access_token: Secret,
    pub refresh_token: Option<Secret>,
    /// As granted (the response's `scope`), e.g. `User.Read Application.ReadWrite.All`.
    pub scopes: Vec<String>,
    pub access_expires_at_ms: i64,
    /// When the refresh token stops working; after that only a new sign-in helps.
    pub refresh_expires_at_ms: Option<i64>,
    pub signed_in_at_ms: i64,
    pub claims: IdClaims,
}

impl Session {
    pub fn access_valid(&self, now_ms: i64) -> bool {
        now_ms + ACCESS_EARLY_MS < self.access_expires_at_ms
    }

    pub fn can_refresh(&self, now_ms: i64) -> bool {
        self.refresh_token.is_some() && self.refresh_expires_at_ms.is_none_or(|t| now_ms < t)
    }

    /// The Graph scopes of `wanted` this session lacks in `cloud` (the configuration's;
    /// see [`super::scopes::missing`]).
    pub fn missing_scopes(
        &self,
        wanted: &[String],
        cloud: Option<crate::cloud::Cloud>,
    ) -> Vec<String> {
        super::scopes::missing(&self.scopes, wanted, cloud)
    }

    /// The tenant the admin signed in to.
    pub fn tenant_id(&self) -> &str {
        &self.claims.tid
    }
}

fn client(config: &AppConfig, endpoints: &Discovery) -> Result<EntraClient, TokenError> {
    let id = config.client_id.clone().ok_or(TokenError::NoClientId)?;
    let token_url = TokenUrl::new(endpoints.token_endpoint.clone())
        .map_err(|e| TokenError::Config(e.to_string()))?;
    Ok(oauth2::Client::new(ClientId::new(id)).set_token_uri(token_url))
}

fn map_error<E: std::error::Error>(e: RequestTokenError<E, TokenErrorBody>) -> TokenError {
    match e {
        RequestTokenError::ServerResponse(body) => {
            let mut aadsts = body.error_codes.clone();
            if aadsts.is_empty() {
                aadsts.extend(body.error_description.as_deref().and_then(aadsts_number));
            }
            TokenError::Server {
                error: body.error,
                description: body.error_description,
                aadsts,
                trace_id: body.trace_id,
                correlation_id: body.correlation_id,
            }
        }
        RequestTokenError::Request(e) => TokenError::Transport(e.to_string()),
        RequestTokenError::Parse(e, _) => {
            TokenError::Transport(format!("unreadable response: {e}"))
        }
        RequestTokenError::Other(m) => TokenError::Transport(m),
    }
}

fn scopes_of(response: &EntraTokenResponse, requested: &[String]) -> Vec<String> {
    match response.scopes() {
        Some(s) => s.iter().map(|s| s.to_string()).collect(),
        // RFC 6749 §5.1: no `scope` means exactly what was requested.
        None => requested.to_vec(),
    }
}

/// Redeems the code from [`super::sign_in::parse_callback`] and checks the ID token.
pub async fn redeem(
    config: &AppConfig,
    endpoints: &Discovery,
    pending: &PendingSignIn,
    code: Secret,
    transport: &impl Transport,
    now_ms: i64,
) -> Result<Session, TokenError> {
    let client = client(config, endpoints)?;
    let redirect = RedirectUrl::new(pending.redirect_uri.clone())
        .map_err(|e| TokenError::Config(e.to_string()))?;
    let http = |req: HttpRequest| transport.send(req);
    let response = client
        .exchange_code(AuthorizationCode::new(code.expose().to_owned()))
        .set_pkce_verifier(PkceCodeVerifier::new(
            pending.code_verifier.expose().to_owned(),
        ))
        .set_redirect_uri(std::borrow::Cow::Owned(redirect))
        .add_extra_param("scope", pending.scopes.join(" "))
        .request_async(&http)
        .await
        .map_err(map_error)?;
    let id_token = response
        .extra_fields()
        .id_token
        .clone()
        .ok_or(TokenError::NoIdToken)?;
    let claims = id_token::check(
        id_token.expose(),
        &id_token::Expected {
            client_id: client.client_id().as_str(),
            issuer: &endpoints.issuer,
            nonce: Some(&pending.nonce),
            now_ms,
        },
    )
    .map_err(TokenError::IdToken)?;
    Ok(session_from(
        &response,
        &pending.scopes,
        now_ms,
        now_ms,
        None,
        claims,
    ))
}

/// A new session from the refresh token, for `scopes` (a subset of what was granted; all
/// of one resource). The refresh token's 24 h deadline carries over.
pub async fn refresh(
    config: &AppConfig,
    endpoints: &Discovery,
    session: &Session,
    scopes: &[String],
    transport: &impl Transport,
    now_ms: i64,
) -> Result<Session, TokenError> {
    let refresh_token = session
        .refresh_token
        .as_ref()
        .ok_or_else(|| TokenError::Server {
            error: "invalid_grant".into(),
            description: Some("no refresh token (offline_access was not granted)".into()),
            aadsts: vec![],
            trace_id: None,
            correlation_id: None,
        })?;
    let client = client(config, endpoints)?;
    let http = |req: HttpRequest| transport.send(req);
    let token = RefreshToken::new(refresh_token.expose().to_owned());
    let response = client
        .exchange_refresh_token(&token)
        .add_scopes(scopes.iter().cloned().map(Scope::new))
        .request_async(&http)
        .await
        .map_err(map_error)?;
    let mut next = session_from(
        &response,
        scopes,
        now_ms,
        session.signed_in_at_ms,
        session.refresh_expires_at_ms,
        session.claims.clone(),
    );
    // Entra may omit a new refresh token; the old one then stays valid.
    if next.refresh_token.is_none() {
        next.refresh_token = session.refresh_token.clone();
        next.refresh_expires_at_ms = session.refresh_expires_at_ms;
    }
    Ok(next)
}

fn session_from(
    response: &EntraTokenResponse,
    requested: &[String],
    now_ms: i64,
    signed_in_at_ms: i64,
    previous_refresh_deadline: Option<i64>,
    claims: IdClaims,
) -> Session {
    let expires_in_ms = response
        .expires_in()
        .map_or(3_600_000, |d| d.as_millis() as i64);
    let refresh_token = response
        .refresh_token()
        .map(|t| Secret::new(t.secret().clone()));
    let refresh_expires_at_ms = refresh_token.as_ref().map(|_| {
        let stated = response
            .extra_fields()
            .refresh_token_expires_in
            .map(|s| now_ms + s * 1000);
        let spa = signed_in_at_ms + SPA_REFRESH_LIFETIME_MS;
        [Some(spa), stated, previous_refresh_deadline]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(spa)
    });
    Session {
        access_token: Secret::new(response.access_token().secret().clone()),
        refresh_token,
        scopes: scopes_of(response, requested),
        access_expires_at_ms: now_ms + expires_in_ms,
        refresh_expires_at_ms,
        signed_in_at_ms,
        claims,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::automation::auth::sign_in::{begin, ResponseMode, SignInParams};
    use crate::automation::host::{HttpResponse, TransportError};
    use serde_json::json;
    use std::cell::RefCell;
    use std::collections::HashMap;

    const TID: &str = "6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3";
    const CLIENT: &str = "748aa5a9-366f-466f-adb2-52238936e96e";
    const NOW: i64 = 1_800_000_000_000;

    fn setup() -> (AppConfig, Discovery, PendingSignIn) {
        let config = AppConfig::parse(&format!(r#"{{"authority":"https://login.microsoftonline.com/{TID}/v2.0","graph_base_url":"https://graph.microsoft.com/v1.0","client_id":"{CLIENT}"}}"#)).unwrap();
        let d = Discovery::parse(&format!(r#"{{"issuer":"https://login.microsoftonline.com/{TID}/v2.0","authorization_endpoint":"https://login.microsoftonline.com/{TID}/oauth2/v2.0/authorize","token_endpoint":"https://login.microsoftonline.com/{TID}/oauth2/v2.0/token"}}"#), &config.authority).unwrap();
        let params = SignInParams {
            redirect_uri: "https://setup.example.com/".into(),
            scopes: vec!["openid".into(), "offline_access".into(), "User.Read".into()],
            return_path: "/".into(),
            response_mode: ResponseMode::Query,
            prompt: None,
            login_hint: None,
            domain_hint: None,
        };
        let (_, pending) = begin(&config, &d, &params, &[9; 96], NOW).unwrap();
        (config, d, pending)
    }

    fn reply(status: u16, body: serde_json::Value) -> HttpResponse {
        http::Response::builder()
            .status(status)
            .header("content-type", "application/json; charset=utf-8")
            .body(body.to_string().into_bytes())
            .unwrap()
    }

    /// A fake token endpoint: records each form body, answers with `answer`.
    fn endpoint(
        seen: &RefCell<Vec<String>>,
        answer: HttpResponse,
    ) -> impl Fn(HttpRequest) -> std::future::Ready<Result<HttpResponse, TransportError>> + '_ {
        move |req: HttpRequest| {
            seen.borrow_mut()
                .push(String::from_utf8(req.body().clone()).unwrap());
            std::future::ready(Ok(answer.clone()))
        }
    }

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        futures_util::FutureExt::now_or_never(f).expect("ready future")
    }

    fn form(body: &str) -> HashMap<String, String> {
        oauth2::url::form_urlencoded::parse(body.as_bytes())
            .into_owned()
            .collect()
    }

    /// An ID token for this test's client and tenant, with `nonce`.
    fn id_token(nonce: &str, extra: serde_json::Value) -> String {
        let mut claims = json!({
            "iss": format!("https://login.microsoftonline.com/{TID}/v2.0"),
            "aud": CLIENT, "tid": TID, "nonce": nonce, "exp": NOW / 1000 + 3600
        });
        for (k, v) in extra.as_object().unwrap() {
            claims[k] = v.clone();
        }
        super::super::id_token::unsigned_jwt(&claims)
    }

    /// Redeems `code` against a token endpoint answering `answer`; also the form it sent.
    fn redeem_answered(
        pending: &PendingSignIn,
        answer: HttpResponse,
    ) -> (Result<Session, TokenError>, HashMap<String, String>) {
        let (config, d, _) = setup();
        let seen = RefCell::new(vec![]);
        let result = block_on(redeem(
            &config,
            &d,
            pending,
            Secret::new("the-code"),
            &endpoint(&seen, answer),
            NOW,
        ));
        let sent = form(&seen.borrow()[0]);
        (result, sent)
    }

    /// Refreshes `session` for `User.Read` against a token endpoint answering `answer`;
    /// also the form it sent.
    fn refresh_answered(
        session: &Session,
        answer: HttpResponse,
    ) -> (Result<Session, TokenError>, HashMap<String, String>) {
        let (config, d, _) = setup();
        let seen = RefCell::new(vec![]);
        let result = block_on(refresh(
            &config,
            &d,
            session,
            &["User.Read".into()],
            &endpoint(&seen, answer),
            NOW,
        ));
        let sent = form(&seen.borrow()[0]);
        (result, sent)
    }

    /// A session signed in at `signed_in_at_ms` whose refresh token `rt-1` dies at
    /// `refresh_expires_at_ms`, its access token just expired.
    fn session(signed_in_at_ms: i64, refresh_expires_at_ms: i64) -> Session {
        Session {
            access_token: Secret::new("at-1"),
            refresh_token: Some(Secret::new("rt-1")),
            scopes: vec!["User.Read".into()],
            access_expires_at_ms: NOW,
            refresh_expires_at_ms: Some(refresh_expires_at_ms),
            signed_in_at_ms,
            claims: IdClaims::default(),
        }
    }

    #[test]
    fn redeems_code_with_verifier_and_no_secret() {
        let (_, _, pending) = setup();
        let id = id_token(
            &pending.nonce,
            json!({"preferred_username": "adele@contoso.example"}),
        );
        let (s, form) = redeem_answered(
            &pending,
            reply(
                200,
                json!({
                    "token_type": "Bearer", "access_token": "at-1", "expires_in": 3599,
                    "refresh_token": "rt-1", "scope": "User.Read profile openid", "id_token": id
                }),
            ),
        );
        let s = s.unwrap();
        assert_eq!(form["grant_type"], "authorization_code");
        assert_eq!(form["code"], "the-code");
        assert_eq!(form["code_verifier"], pending.code_verifier.expose());
        assert_eq!(form["redirect_uri"], "https://setup.example.com/");
        assert_eq!(form["client_id"], CLIENT);
        assert!(!form.contains_key("client_secret"));
        assert_eq!(s.access_token.expose(), "at-1");
        assert_eq!(s.claims.tid, TID);
        assert!(s.access_valid(NOW + 3_000_000) && !s.access_valid(NOW + 3_599_000));
        assert_eq!(s.refresh_expires_at_ms, Some(NOW + SPA_REFRESH_LIFETIME_MS));
        assert!(s.can_refresh(NOW + SPA_REFRESH_LIFETIME_MS - 1));
        assert!(!s.can_refresh(NOW + SPA_REFRESH_LIFETIME_MS));
        assert!(!format!("{s:?}").contains("at-1"));
        assert!(!format!("{s:?}").contains("rt-1"));
    }

    #[test]
    fn a_token_for_another_sign_in_is_refused() {
        let (_, _, pending) = setup();
        let (result, _) = redeem_answered(
            &pending,
            reply(
                200,
                json!({
                    "token_type": "Bearer", "access_token": "at", "expires_in": 3599,
                    "id_token": id_token("someone-else", json!({}))
                }),
            ),
        );
        assert_eq!(
            result.unwrap_err(),
            TokenError::IdToken(IdTokenError::NonceMismatch)
        );
    }

    #[test]
    fn entra_errors_keep_their_aadsts_codes() {
        let (result, _) = refresh_answered(
            &session(NOW, NOW + 1),
            reply(
                400,
                json!({
                    "error": "invalid_grant",
                    "error_description": "AADSTS700084: The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00.\r\nTrace ID: t",
                    "error_codes": [700084], "trace_id": "t", "correlation_id": "c"
                }),
            ),
        );
        let err = result.unwrap_err();
        match &err {
            TokenError::Server {
                error,
                aadsts,
                trace_id,
                ..
            } => {
                assert_eq!(error, "invalid_grant");
                assert_eq!(aadsts, &[700084]);
                assert_eq!(trace_id.as_deref(), Some("t"));
            }
            other => panic!("{other:?}"),
        }
        assert!(err.needs_interaction());
    }

    #[test]
    fn refresh_keeps_the_original_deadline_and_old_token() {
        let session = session(NOW - 5000, NOW + 1000);
        let (next, form) = refresh_answered(
            &session,
            reply(
                200,
                json!({
                    "token_type": "Bearer", "access_token": "at-2", "expires_in": 3599, "scope": "User.Read"
                }),
            ),
        );
        let next = next.unwrap();
        assert_eq!(next.access_token.expose(), "at-2");
        assert_eq!(next.refresh_token, session.refresh_token);
        assert_eq!(next.refresh_expires_at_ms, Some(NOW + 1000));
        assert_eq!(form["grant_type"], "refresh_token");
        assert_eq!(form["refresh_token"], "rt-1");
    }
}
