//! Sign-in: OAuth 2.0 authorization code + PKCE (S256) against any OpenID provider,
//! through the `oauth2` crate, with the checks a browser client can make.
//!
//! Flow: [`discovery::Discovery`] → [`sign_in::begin`] (the adapter keeps the returned
//! [`sign_in::PendingSignIn`] in sessionStorage and navigates) → [`sign_in::parse_callback`]
//! (state first) → [`token::redeem`] → [`token::Session`]; [`token::refresh`] while the
//! refresh token lives. [`problem`] turns what Entra answers into what to tell the admin;
//! [`tenant`] points the sign-in at a tenant the admin names.

pub mod discovery;
pub mod id_token;
pub mod pkce;
pub mod problem;
pub mod response;
pub mod scopes;
pub mod session_tokens;
pub mod sign_in;
pub mod sign_out;
pub mod tenant;
pub mod token;

pub use discovery::Discovery;
pub use id_token::{IdClaims, IdTokenError};
pub use problem::{SignInFailure, SignInProblem};
pub use session_tokens::SessionTokens;
pub use sign_in::{
    begin, parse_callback, parse_response, PendingSignIn, Prompt, ResponseMode, SignInError,
    SignInParams, PENDING_KEY, RANDOM_BYTES,
};
pub use sign_out::logout_url;
pub use tenant::Tenant;
pub use token::{redeem, refresh, Session, TokenError};
