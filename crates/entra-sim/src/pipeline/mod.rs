//! The layer every request passes through: request ids, injected latency, faults on
//! identity routes (Graph applies its own per call, see `graph::handle`), CORS as each
//! endpoint family does it, and the request log.

pub mod faults;
pub mod request_log;
pub mod throttle;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::config::{FaultKind, FaultSpec};
use crate::identity::errors::AuthError;
use crate::server::ConnectionKill;
use crate::state::Sim;
use crate::{clock, random};
use request_log::{LogEntry, LogNote};

/// Marks a response that must not be sent: the connection-drop fault fired.
#[derive(Debug, Clone, Copy)]
pub struct DropConnection;

/// The stand-in response for a dropped connection: `outer` logs it, then closes the
/// connection instead of sending it.
pub fn dropped(note: LogNote) -> Response {
    let mut r = StatusCode::NO_CONTENT.into_response();
    r.extensions_mut().insert(DropConnection);
    r.extensions_mut().insert(note);
    r
}

/// `http://host:port` as the client addressed the simulator (its `Host` header).
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("127.0.0.1");
    format!("http://{host}")
}

/// Ids and addressing of the request being served, for handlers and the log.
#[derive(Debug, Clone)]
pub struct RequestMeta {
    pub request_id: String,
    pub client_request_id: String,
    /// `http://host:port` as the client addressed the simulator.
    pub base_url: String,
}

impl RequestMeta {
    pub fn standalone() -> RequestMeta {
        RequestMeta {
            request_id: random::guid(),
            client_request_id: random::guid(),
            base_url: "http://127.0.0.1".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Family {
    Control,
    Graph,
    Token,
    /// Discovery, keys, userinfo: public documents browsers fetch cross-origin.
    Metadata,
    /// Pages the browser navigates to (authorize, consent, logout) and the index.
    Navigation,
}

impl Family {
    fn of(path: &str) -> Family {
        if path.starts_with("/_sim") {
            Family::Control
        } else if path == "/v1.0" || path.starts_with("/v1.0/") {
            Family::Graph
        } else if path.ends_with("/oauth2/v2.0/token") {
            Family::Token
        } else if path.ends_with("/.well-known/openid-configuration")
            || path.ends_with("/discovery/v2.0/keys")
            || path == "/oidc/userinfo"
        {
            Family::Metadata
        } else {
            Family::Navigation
        }
    }
}

/// Request headers a browser may send to Graph. The real list is UNCONFIRMED
/// (graph-facts §9.4); this one admits what the assistant and the Graph SDKs send.
pub const GRAPH_ALLOWED_HEADERS: &str = "authorization, content-type, accept, client-request-id, \
    return-client-request-id, prefer, consistencylevel, if-match, if-none-match, sdkversion, \
    x-ms-client-request-id";
/// Response headers Graph lets browser code read (`Retry-After` only with the
/// `expose_retry_after` knob).
pub const GRAPH_EXPOSED_HEADERS: &str =
    "request-id, client-request-id, x-ms-ags-diagnostic, Location, Preference-Applied, ETag, WWW-Authenticate";
/// Request headers MSAL.js sends to the token endpoint.
pub const TOKEN_ALLOWED_HEADERS: &str =
    "content-type, accept, client-request-id, return-client-request-id, \
    x-client-sku, x-client-ver, x-client-os, x-client-cpu, x-client-current-telemetry, \
    x-client-last-telemetry, x-ms-lib-capability, x-app-name, x-app-ver, x-client-brkrver";

fn set(response: &mut Response, name: &'static str, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().insert(name, v);
    }
}

fn preflight(family: Family, origin: Option<&str>) -> Response {
    let mut r = StatusCode::OK.into_response();
    let (methods, headers, max_age) = match family {
        Family::Graph => (
            "GET, POST, PUT, PATCH, DELETE, OPTIONS",
            GRAPH_ALLOWED_HEADERS,
            "3600",
        ),
        Family::Token => ("POST, OPTIONS", TOKEN_ALLOWED_HEADERS, "86400"),
        _ => (
            "GET, POST, PUT, PATCH, DELETE, OPTIONS",
            "authorization, content-type",
            "86400",
        ),
    };
    set(&mut r, "access-control-allow-methods", methods);
    set(&mut r, "access-control-allow-headers", headers);
    set(&mut r, "access-control-max-age", max_age);
    if family == Family::Metadata || family == Family::Control {
        set(&mut r, "access-control-allow-origin", "*");
    } else if let Some(o) = origin {
        set(&mut r, "access-control-allow-origin", o);
        set(&mut r, "vary", "Origin");
    }
    r
}

fn cors(response: &mut Response, family: Family, origin: Option<&str>, expose_retry_after: bool) {
    match (family, origin) {
        (Family::Graph, Some(o)) => {
            set(response, "access-control-allow-origin", o);
            set(response, "vary", "Origin");
            let exposed = if expose_retry_after {
                format!("{GRAPH_EXPOSED_HEADERS}, Retry-After")
            } else {
                GRAPH_EXPOSED_HEADERS.to_owned()
            };
            set(response, "access-control-expose-headers", &exposed);
        }
        // Token responses, errors included, carry the origin so browser code can read
        // AADSTS9002326/9002327 (a simulator choice: see README).
        (Family::Token, Some(o)) => {
            set(response, "access-control-allow-origin", o);
            set(response, "vary", "Origin");
        }
        (Family::Metadata | Family::Control, _) => {
            set(response, "access-control-allow-origin", "*")
        }
        _ => {}
    }
}

/// The identity platform's answer to an injected fault: the connection dropped, or a
/// 503/504 with the token endpoint's error body.
fn identity_fault(fault: &FaultSpec, meta: &RequestMeta, now_ms: i64) -> Response {
    let status = match fault.kind {
        FaultKind::DropConnection => {
            return dropped(LogNote {
                fault: Some(fault.kind),
                ..LogNote::default()
            })
        }
        FaultKind::GatewayTimeout => StatusCode::GATEWAY_TIMEOUT,
        _ => StatusCode::SERVICE_UNAVAILABLE,
    };
    let mut r = AuthError::new(
        "temporarily_unavailable",
        90033,
        "A transient error has occurred. Please try again.",
    )
    .with_status(status)
    .json(meta, now_ms);
    if let Some(secs) = fault.retry_after_secs {
        set(&mut r, "retry-after", &secs.to_string());
    }
    if let Some(note) = r.extensions_mut().get_mut::<LogNote>() {
        note.fault = Some(fault.kind);
    }
    r
}

pub async fn outer(State(sim): State<Arc<Sim>>, mut request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let family = Family::of(&path);
    let origin = request
        .headers()
        .get("origin")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    if family == Family::Control {
        if request.method() == Method::OPTIONS {
            return preflight(family, origin.as_deref());
        }
        let mut r = next.run(request).await;
        cors(&mut r, family, origin.as_deref(), false);
        return r;
    }
    let started = Instant::now();
    let meta = RequestMeta {
        request_id: random::guid(),
        client_request_id: request
            .headers()
            .get("client-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
            .unwrap_or_else(random::guid),
        base_url: base_url(request.headers()),
    };
    request.extensions_mut().insert(meta.clone());
    let method = request.method().clone();
    let kill = request.extensions().get::<ConnectionKill>().cloned();
    let query = request.uri().query().map(str::to_owned);
    let (arrived, latency, expose_retry_after) = {
        let world = sim.lock();
        (
            world.now_ms(),
            world.knobs.latency_ms,
            world.knobs.expose_retry_after,
        )
    };
    if latency > 0 {
        tokio::time::sleep(Duration::from_millis(latency)).await;
    }
    let mut response = if method == Method::OPTIONS && family != Family::Navigation {
        preflight(family, origin.as_deref())
    } else {
        let fault = if family == Family::Graph {
            None
        } else {
            faults::take(&mut sim.lock().knobs, method.as_str(), &path, false)
        };
        match fault {
            Some(f) => identity_fault(&f, &meta, arrived),
            None => next.run(request).await,
        }
    };
    cors(&mut response, family, origin.as_deref(), expose_retry_after);
    if family != Family::Graph {
        set(&mut response, "x-ms-request-id", &meta.request_id);
        set(&mut response, "client-request-id", &meta.client_request_id);
    }
    let dropped = response.extensions().get::<DropConnection>().is_some();
    if path != "/healthz" && path != "/favicon.ico" {
        let note = response
            .extensions()
            .get::<LogNote>()
            .cloned()
            .unwrap_or_default();
        sim.lock().push_log(LogEntry {
            request_id: meta.request_id.clone(),
            client_request_id: Some(meta.client_request_id.clone()),
            batch_request_id: None,
            batch_item_id: None,
            time: clock::rfc3339(arrived),
            method: method.to_string(),
            path,
            query,
            origin,
            // No response was sent for a dropped connection.
            status: if dropped {
                0
            } else {
                response.status().as_u16()
            },
            error_code: note.error_code,
            fault: note.fault,
            throttled: note.throttled,
            duration_ms: started.elapsed().as_millis() as u64,
        });
    }
    if dropped {
        if let Some(kill) = kill {
            kill.kill();
            std::future::pending::<()>().await;
        }
        return (StatusCode::BAD_GATEWAY, "entra-sim: connection dropped").into_response();
    }
    response
}
