//! Identity-platform errors: the token endpoint's JSON, the redirect's query or fragment,
//! and the HTML page shown when the client or redirect URI cannot be trusted
//! (graph-facts §1.2, §1.3).

use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use serde_json::json;

use crate::clock;
use crate::html;
use crate::pipeline::request_log::LogNote;
use crate::pipeline::RequestMeta;

#[derive(Debug, Clone)]
pub struct AuthError {
    pub status: StatusCode,
    /// OAuth `error`: `invalid_request`, `invalid_grant`, `invalid_client`, ...
    pub error: &'static str,
    pub code: u32,
    pub message: String,
    pub subcode: Option<&'static str>,
}

impl AuthError {
    pub fn new(error: &'static str, code: u32, message: impl Into<String>) -> AuthError {
        AuthError {
            status: StatusCode::BAD_REQUEST,
            error,
            code,
            message: message.into(),
            subcode: None,
        }
    }

    pub fn with_status(mut self, status: StatusCode) -> AuthError {
        self.status = status;
        self
    }

    pub fn with_subcode(mut self, subcode: &'static str) -> AuthError {
        self.subcode = Some(subcode);
        self
    }

    /// `AADSTS50011: The redirect URI ...`
    pub fn summary(&self) -> String {
        format!("AADSTS{}: {}", self.code, self.message)
    }

    pub fn description(&self, meta: &RequestMeta, now_ms: i64) -> String {
        format!(
            "{}\r\nTrace ID: {}\r\nCorrelation ID: {}\r\nTimestamp: {}",
            self.summary(),
            meta.request_id,
            meta.client_request_id,
            clock::identity_error_timestamp(now_ms)
        )
    }

    fn note(&self) -> LogNote {
        LogNote {
            error_code: Some(format!("{} AADSTS{}", self.error, self.code)),
            ..LogNote::default()
        }
    }

    /// The token endpoint's JSON error body.
    pub fn json(&self, meta: &RequestMeta, now_ms: i64) -> Response {
        let body = json!({
            "error": self.error,
            "error_description": self.description(meta, now_ms),
            "error_codes": [self.code],
            "timestamp": clock::identity_error_timestamp(now_ms),
            "trace_id": meta.request_id,
            "correlation_id": meta.client_request_id,
        });
        let mut r = (self.status, axum::Json(body)).into_response();
        r.extensions_mut().insert(self.note());
        r
    }

    /// The page Entra shows instead of redirecting to an unverified redirect URI.
    pub fn page(&self, meta: &RequestMeta, now_ms: i64) -> Response {
        let body = format!(
            "<h1>Sign in</h1>\n<p>Sorry, but we're having trouble signing you in.</p>\n\
             <p class=\"error\" role=\"alert\" data-error-code=\"AADSTS{code}\">{summary}</p>\n\
             <dl><dt>Request Id</dt><dd>{rid}</dd><dt>Correlation Id</dt><dd>{cid}</dd>\
             <dt>Timestamp</dt><dd>{ts}</dd></dl>",
            code = self.code,
            summary = html::escape(&self.summary()),
            rid = html::escape(&meta.request_id),
            cid = html::escape(&meta.client_request_id),
            ts = clock::identity_error_timestamp(now_ms),
        );
        let mut r = (self.status, Html(html::page("Sign in error", &body))).into_response();
        r.extensions_mut().insert(self.note());
        r
    }

    pub fn attach_note(&self, response: &mut Response) {
        response.extensions_mut().insert(self.note());
    }
}

pub fn missing_parameter(name: &str) -> AuthError {
    AuthError::new(
        "invalid_request",
        900144,
        format!("The request body must contain the following parameter: '{name}'."),
    )
}

pub fn tenant_not_found(tenant: &str) -> AuthError {
    AuthError::new(
        "invalid_request",
        90002,
        format!(
            "Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. \
             Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant."
        ),
    )
}

pub fn application_not_found(app_id: &str, tenant: &str) -> AuthError {
    AuthError::new(
        "unauthorized_client",
        700016,
        format!(
            "Application with identifier '{app_id}' was not found in the directory '{tenant}'. This can happen if the application \
             has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have \
             sent your authentication request to the wrong tenant."
        ),
    )
}

pub fn redirect_mismatch(uri: &str, app_id: &str) -> AuthError {
    AuthError::new(
        "invalid_request",
        50011,
        format!(
            "The redirect URI '{uri}' specified in the request does not match the redirect URIs configured for the application \
             '{app_id}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal. \
             Navigate to https://aka.ms/redirectUriMismatchError to learn more about how to fix this."
        ),
    )
}

/// v1 admin consent for an application with no reply URL. The text is Entra's as reported
/// from the field ("AADSTS500113: No reply address is registered for the application.",
/// e.g. microsoftgraph/msgraph-sdk-python-core#50; the code is absent from the stored
/// entra-docs reference-error-codes.md, so the exact wording is UNCONFIRMED there).
pub fn no_reply_address() -> AuthError {
    AuthError::new(
        "invalid_request",
        500113,
        "No reply address is registered for the application.",
    )
}

pub fn not_multi_tenant(app_id: &str, name: &str) -> AuthError {
    AuthError::new(
        "invalid_request",
        50194,
        format!(
            "Application '{app_id}'({name}) is not configured as a multi-tenant application. Usage of the /common endpoint is not \
             supported for such applications created after '10/15/2018'. Use a tenant-specific endpoint or configure the \
             application to be multi-tenant."
        ),
    )
}

pub fn resource_not_subscribed(resource: &str, tenant_id: &str) -> AuthError {
    AuthError::new(
        "invalid_resource",
        650052,
        format!(
            "The app needs access to a service (\"{resource}\") that your organization \"{tenant_id}\" has not subscribed to or \
             enabled. Contact your IT Admin to review the configuration of your service subscriptions."
        ),
    )
}

pub fn unknown_scope(app_name: &str, scope: &str, resource_app_id: &str) -> AuthError {
    AuthError::new(
        "invalid_client",
        650053,
        format!("The application '{app_name}' asked for scope '{scope}' that doesn't exist on the resource '{resource_app_id}'. Contact the app vendor."),
    )
}

pub fn user_declined() -> AuthError {
    AuthError::new(
        "access_denied",
        65004,
        "User declined to consent to access the app.",
    )
    .with_subcode("cancel")
}

pub fn needs_admin_approval(app_name: &str) -> AuthError {
    AuthError::new(
        "access_denied",
        90094,
        format!(
            "The grant requires admin permission. {app_name} needs permission to access resources in your organization that \
             only an admin can grant. Please ask an admin to grant permission to this app before you can use it."
        ),
    )
}

pub fn consent_required(client_id: &str, app_name: &str) -> AuthError {
    AuthError::new(
        "consent_required",
        65001,
        format!(
            "The user or administrator has not consented to use the application with ID '{client_id}' named '{app_name}'. \
             Send an interactive authorization request for this user and resource."
        ),
    )
}

pub fn invalid_scope(scope: &str) -> AuthError {
    AuthError::new(
        "invalid_scope",
        70011,
        format!("The provided request must include a 'scope' input parameter. The provided value for the input parameter 'scope' is not valid. The scope {scope} is not valid."),
    )
}
