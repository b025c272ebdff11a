//! The Microsoft identity platform under `/{tenant}/...`: discovery, keys, authorize
//! (sign-in and consent pages), token, admin consent, logout (graph-facts §1).
//!
//! `{tenant}` is a tenant GUID, a verified domain, `organizations` or `common`.

pub mod admin_consent;
pub mod authorize;
pub mod discovery;
pub mod errors;
mod flow_steps;
pub mod pages;
pub mod scopes;
pub mod session;
pub mod token;
pub mod tokens;

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;

use crate::directory::application::Application;
use crate::directory::Tenant;
use crate::identity::errors::AuthError;
use crate::identity::session::{ResponseMode, SESSION_COOKIE};
use crate::pipeline::RequestMeta;
use crate::state::{Sim, World};

pub fn routes() -> Router<Arc<Sim>> {
    Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(discovery::openid_configuration),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(discovery::keys))
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(authorize::start_get).post(authorize::start_post),
        )
        .route(
            "/{tenant}/oauth2/v2.0/authorize/select",
            post(authorize::select_user),
        )
        .route(
            "/{tenant}/oauth2/v2.0/authorize/consent",
            post(authorize::consent),
        )
        .route("/{tenant}/oauth2/v2.0/token", post(token::token))
        .route("/{tenant}/oauth2/v2.0/logout", get(authorize::logout))
        .route("/{tenant}/v2.0/adminconsent", get(admin_consent::v2))
        .route("/{tenant}/adminconsent", get(admin_consent::v1))
        .route("/oidc/userinfo", get(discovery::userinfo))
}

/// Query or form parameters of a request.
pub type Params = HashMap<String, String>;

/// A parameter's value; an empty one counts as missing.
pub fn param<'a>(params: &'a Params, name: &str) -> Option<&'a str> {
    params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}

/// The authority and the client application an interactive request names.
pub fn requested_client<'w, 'p>(
    world: &'w World,
    tenant: &str,
    params: &'p Params,
) -> Result<(Authority, &'p str, &'w Application), AuthError> {
    let authority = authority(world, tenant)?;
    let client_id =
        param(params, "client_id").ok_or_else(|| errors::missing_parameter("client_id"))?;
    let (_, app) = find_client(world, &authority, client_id)?;
    Ok((authority, client_id, app))
}

/// Which accounts an endpoint serves.
#[derive(Debug, Clone, PartialEq)]
pub enum Authority {
    Tenant(String),
    Organizations,
    Common,
}

impl Authority {
    pub fn allows(&self, tenant_id: &str) -> bool {
        match self {
            Authority::Tenant(t) => t.eq_ignore_ascii_case(tenant_id),
            _ => true,
        }
    }

    pub fn tenant_id(&self) -> Option<&str> {
        match self {
            Authority::Tenant(t) => Some(t),
            _ => None,
        }
    }
}

/// Resolves `{tenant}`. The simulator has no personal accounts, so `consumers` is unknown.
pub fn authority(world: &World, segment: &str) -> Result<Authority, AuthError> {
    match segment.to_ascii_lowercase().as_str() {
        "organizations" => Ok(Authority::Organizations),
        "common" => Ok(Authority::Common),
        _ => world
            .dir
            .tenant(segment)
            .map(|t| Authority::Tenant(t.id.clone()))
            .ok_or_else(|| errors::tenant_not_found(segment)),
    }
}

/// Finds the client application a sign-in names, honouring single- vs multi-tenant.
pub fn find_client<'a>(
    world: &'a World,
    authority: &Authority,
    client_id: &str,
) -> Result<(&'a Tenant, &'a Application), AuthError> {
    let directory_name = authority.tenant_id().unwrap_or("organizations").to_owned();
    let found = world
        .dir
        .replicated_application(client_id, world.visible_before());
    let Some((home, app)) = found else {
        return Err(errors::application_not_found(client_id, &directory_name));
    };
    match authority {
        Authority::Tenant(t) if home.id.eq_ignore_ascii_case(t) || app.is_multi_tenant() => {
            Ok((home, app))
        }
        Authority::Tenant(_) => Err(errors::application_not_found(client_id, &directory_name)),
        _ if app.is_multi_tenant() => Ok((home, app)),
        _ => Err(errors::not_multi_tenant(client_id, app.display_name())),
    }
}

pub fn session_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

pub fn session_cookie(id: &str) -> String {
    format!("{SESSION_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax")
}

/// Sends the browser back to the client with `params`, as `response_mode` asks.
pub fn redirect(uri: &str, mode: ResponseMode, params: &[(String, String)]) -> Response {
    match mode {
        ResponseMode::FormPost => Html(pages::form_post(uri, params)).into_response(),
        ResponseMode::Query | ResponseMode::Fragment => {
            let Ok(mut url) = url::Url::parse(uri) else {
                return (StatusCode::BAD_REQUEST, "invalid redirect URI").into_response();
            };
            if mode == ResponseMode::Query {
                url.query_pairs_mut().extend_pairs(params);
            } else {
                let fragment = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(params)
                    .finish();
                url.set_fragment(Some(&fragment));
            }
            (StatusCode::FOUND, [(header::LOCATION, url.to_string())]).into_response()
        }
    }
}

/// An error sent back to a verified redirect URI.
pub fn redirect_error(
    uri: &str,
    mode: ResponseMode,
    state: Option<&str>,
    error: &AuthError,
    meta: &RequestMeta,
    now_ms: i64,
    extra: &[(&str, &str)],
) -> Response {
    let mut params = vec![
        ("error".to_owned(), error.error.to_owned()),
        (
            "error_description".to_owned(),
            error.description(meta, now_ms),
        ),
    ];
    if let Some(sub) = error.subcode {
        params.push(("error_subcode".into(), sub.into()));
    }
    for (k, v) in extra {
        params.push(((*k).to_owned(), (*v).to_owned()));
    }
    if let Some(s) = state {
        params.push(("state".into(), s.to_owned()));
    }
    let mut r = redirect(uri, mode, &params);
    error.attach_note(&mut r);
    r
}
