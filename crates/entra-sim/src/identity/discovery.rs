//! OpenID Connect discovery, the signing keys and userinfo (graph-facts §1.1).
//! Every URL is built from the request's Host, so the documents are right on any port.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::{authority, tokens, Authority};
use crate::graph::auth;
use crate::pipeline::RequestMeta;
use crate::state::Sim;

fn issuer_tenant(authority: &Authority) -> &str {
    // The multi-tenant documents show a `{tenantid}` placeholder, as Entra's do.
    authority.tenant_id().unwrap_or("{tenantid}")
}

fn tenant_error(e: super::errors::AuthError, meta: &RequestMeta, now: i64) -> Response {
    let mut e = e;
    e.error = "invalid_tenant";
    e.json(meta, now)
}

pub async fn openid_configuration(
    State(sim): State<Arc<Sim>>,
    Path(tenant): Path<String>,
    Extension(meta): Extension<RequestMeta>,
) -> Response {
    let world = sim.lock();
    let now = world.now_ms();
    let authority = match authority(&world, &tenant) {
        Ok(a) => a,
        Err(e) => return tenant_error(e, &meta, now),
    };
    let base = &meta.base_url;
    let issuer_tid = issuer_tenant(&authority);
    Json(json!({
        "token_endpoint": format!("{base}/{tenant}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        "jwks_uri": format!("{base}/{tenant}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": tokens::issuer(base, issuer_tid),
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": format!("{base}/oidc/userinfo"),
        "authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/authorize"),
        "end_session_endpoint": format!("{base}/{tenant}/oauth2/v2.0/logout"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "code_challenge_methods_supported": ["S256", "plain"],
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "nbf", "nonce", "name",
            "preferred_username", "email", "oid", "tid", "ver"
        ],
        "tenant_region_scope": "NA",
        "cloud_instance_name": "entra-sim",
        "cloud_graph_host_name": meta.base_url.trim_start_matches("http://"),
        "msgraph_host": meta.base_url.trim_start_matches("http://"),
        "rbac_url": base,
    }))
    .into_response()
}

pub async fn keys(
    State(sim): State<Arc<Sim>>,
    Path(tenant): Path<String>,
    Extension(meta): Extension<RequestMeta>,
) -> Response {
    let world = sim.lock();
    let now = world.now_ms();
    match authority(&world, &tenant) {
        Ok(a) => {
            let issuer = tokens::issuer(&meta.base_url, issuer_tenant(&a));
            Json(sim.signer.jwks(&issuer)).into_response()
        }
        Err(e) => tenant_error(e, &meta, now),
    }
}

/// OIDC userinfo for a delegated Graph token (Entra serves it from Graph).
pub async fn userinfo(State(sim): State<Arc<Sim>>, headers: HeaderMap) -> Response {
    let world = sim.lock();
    let authorization = headers.get("authorization").and_then(|v| v.to_str().ok());
    let caller = match auth::authenticate(&world, sim.signer, authorization) {
        Ok(c) => c,
        Err(e) => {
            return (
                StatusCode::UNAUTHORIZED,
                Json(json!({ "error": { "code": e.code, "message": e.message } })),
            )
                .into_response()
        }
    };
    let Some(user) = caller
        .user_id
        .as_deref()
        .and_then(|u| world.dir.tenant(&caller.tenant_id)?.user(u))
    else {
        return (StatusCode::UNAUTHORIZED, Json(json!({ "error": { "code": "InvalidAuthenticationToken", "message": "A user token is required." } })))
            .into_response();
    };
    let body: Value = json!({
        "sub": user.id,
        "name": user.display_name,
        "family_name": user.surname,
        "given_name": user.given_name,
        "email": user.mail,
    });
    Json(body).into_response()
}
