//! What the caller supplies: HTTP, a clock, sleeping and a jitter source.
//!
//! The browser passes a fetch-based closure and `setTimeout`; tests pass a native client and
//! a virtual clock. No `Send` bounds: browser futures are not `Send`.

use std::fmt;
use std::future::Future;

pub type HttpRequest = http::Request<Vec<u8>>;
pub type HttpResponse = http::Response<Vec<u8>>;

/// Why no HTTP response arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum TransportErrorKind {
    /// The connection failed or closed before a response: the request may or may not have
    /// been carried out.
    Dropped,
    /// The browser blocked the response (CORS) or refused the request.
    Blocked,
    /// Anything else (bad URL, timeout in the adapter, ...).
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransportError {
    pub kind: TransportErrorKind,
    pub message: String,
}

impl TransportError {
    pub fn dropped(message: impl Into<String>) -> TransportError {
        TransportError {
            kind: TransportErrorKind::Dropped,
            message: message.into(),
        }
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}: {}", self.kind, self.message)
    }
}

impl std::error::Error for TransportError {}

/// Sends one HTTP request. Any `Fn(HttpRequest) -> impl Future<Output = Result<HttpResponse,
/// TransportError>>` is one, and the same closure is also an `oauth2::AsyncHttpClient`.
pub trait Transport {
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>>;
}

impl<F, Fut> Transport for F
where
    F: Fn(HttpRequest) -> Fut,
    Fut: Future<Output = Result<HttpResponse, TransportError>>,
{
    fn send(
        &self,
        request: HttpRequest,
    ) -> impl Future<Output = Result<HttpResponse, TransportError>> {
        self(request)
    }
}

/// Time and chance, from the caller.
pub trait Host {
    /// Unix epoch milliseconds.
    fn now_ms(&self) -> i64;
    /// Every wait of the executor (Retry-After, backoff) goes through here, so tests can
    /// use virtual time.
    fn sleep(&self, ms: u64) -> impl Future<Output = ()>;
    /// Uniform in `[0, 1)`, for backoff jitter.
    fn jitter(&self) -> f64;
}

/// Bearer tokens for Graph. The executor asks for a token before each request and, after a
/// 401 `InvalidAuthenticationToken`, asks for a refresh once; an `Err` pauses the run in a
/// resumable "sign in again" state, with the message shown to the admin.
pub trait TokenSource {
    fn token(&self) -> impl Future<Output = Result<crate::automation::Secret, TokenError>>;
    fn refresh(&self) -> impl Future<Output = Result<(), TokenError>>;
}

/// Why no access token can be had: the admin must sign in again. What was done so far is
/// recognised by the next run, so every variant says so.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenError {
    /// A single-page app's sign-in lasts 24 hours (its refresh token dies then).
    SessionEnded,
    /// Entra asked for a new interactive sign-in (AADSTS700084 and the like).
    InteractionRequired(crate::automation::auth::SignInFailure),
    /// Graph refused even the renewed token.
    RenewedTokenRefused,
    /// Renewing failed for another reason (Entra's message).
    RenewalFailed(String),
}

impl std::fmt::Display for TokenError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TokenError::SessionEnded => f.write_str("Your sign-in has ended (single-page apps must sign in again every 24 hours). Sign in again to continue; nothing done so far will be repeated."),
            TokenError::InteractionRequired(failure) => match failure.problem {
                crate::automation::auth::SignInProblem::Other => write!(
                    f,
                    "Signing in again is needed ({}). Nothing done so far will be repeated.",
                    failure.details.as_deref().unwrap_or("Entra asked for it")
                ),
                _ => write!(
                    f,
                    "{failure} (Details: {})",
                    failure.details.as_deref().unwrap_or("none")
                ),
            },
            TokenError::RenewedTokenRefused => f.write_str("Graph refused the renewed sign-in token. Sign in again; nothing done so far will be repeated."),
            TokenError::RenewalFailed(why) => write!(f, "Could not renew the sign-in: {why}"),
        }
    }
}

impl std::error::Error for TokenError {}
