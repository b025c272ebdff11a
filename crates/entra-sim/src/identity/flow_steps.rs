//! What the two interactive flows (authorize, admin consent) share once a flow is stored:
//! how they fail, what they show a signed-in user before anything is granted, and how they
//! record what was.

use axum::response::{Html, IntoResponse, Response};

use super::errors::{self, AuthError};
use super::pages::{self, ConsentPage, ResourceSection};
use super::session::{Flow, FlowKind};
use super::{find_client, redirect_error, Authority};
use crate::clock;
use crate::directory::application::Application;
use crate::directory::{ConsentRecord, Tenant};
use crate::pipeline::RequestMeta;
use crate::state::World;

/// The page for a form that names no flow, or one that expired or already finished.
pub fn gone(meta: &RequestMeta, now: i64) -> Response {
    AuthError::new(
        "invalid_request",
        50058,
        "The sign-in request is no longer valid. Start the sign-in again.",
    )
    .page(meta, now)
}

/// Sends `error` back to the flow's verified redirect URI. The admin-consent endpoints
/// mark it `admin_consent=True`; v1 admin consent without a redirect URI shows a page.
pub fn fail(flow: &Flow, error: &AuthError, meta: &RequestMeta, now: i64) -> Response {
    let extra: &[(&str, &str)] = match flow.kind {
        FlowKind::Authorize => &[],
        FlowKind::AdminConsent { .. } => &[("admin_consent", "True")],
    };
    match &flow.redirect_uri {
        Some(uri) => redirect_error(
            uri,
            flow.response_mode,
            flow.state.as_deref(),
            error,
            meta,
            now,
            extra,
        ),
        None => error.page(meta, now),
    }
}

/// What a signed-in user is asked to grant.
pub struct Ask<'a> {
    pub app_name: &'a str,
    pub sections: Vec<ResourceSection>,
    /// Otherwise the user sees "Need admin approval" instead of the permissions.
    pub user_may_consent: bool,
    pub offer_organization: bool,
    pub admin_consent: bool,
}

/// The consent page (or "Need admin approval"), posting back to `/authorize/consent`.
pub fn ask_consent(world: &World, flow_id: &str, flow: &Flow, ask: Ask) -> Response {
    let action = format!("/{}/oauth2/v2.0/authorize/consent", flow.authority);
    if !ask.user_may_consent {
        let message = errors::needs_admin_approval(ask.app_name).summary();
        return Html(pages::need_admin_approval(
            &action,
            flow_id,
            ask.app_name,
            &message,
        ))
        .into_response();
    }
    let (tenant_id, user_id, _) = flow.user.clone().expect("signed in");
    let upn = world
        .dir
        .tenant(&tenant_id)
        .map(|t| upn_of(t, &user_id))
        .unwrap_or_default();
    Html(pages::consent(&ConsentPage {
        action: &action,
        flow_id,
        app_name: ask.app_name,
        user: &upn,
        sections: ask.sections,
        offer_organization: ask.offer_organization,
        admin_consent: ask.admin_consent,
    }))
    .into_response()
}

/// What was granted, for `consentRecords` in `/_sim/state`: `(resourceAppId, values)`.
pub struct Granted {
    pub scopes: Vec<(String, Vec<String>)>,
    pub app_roles: Vec<(String, Vec<String>)>,
}

/// Records a consent given by `user_id` to the flow's client (`kind`: see [`ConsentRecord`]).
pub fn record_consent(
    tenant: &mut Tenant,
    kind: &str,
    user_id: &str,
    flow: &Flow,
    granted: Granted,
    now: i64,
) {
    let user_principal_name = upn_of(tenant, user_id);
    tenant.consents.push(ConsentRecord {
        time: clock::rfc3339(now),
        kind: kind.to_owned(),
        user_id: user_id.to_owned(),
        user_principal_name,
        client_app_id: flow.client_id.clone(),
        scopes: granted.scopes,
        app_roles: granted.app_roles,
    });
}

fn upn_of(tenant: &Tenant, user_id: &str) -> String {
    tenant
        .user(user_id)
        .map(|u| u.user_principal_name.clone())
        .unwrap_or_default()
}

/// Who signed in to a flow, and the flow's client as their tenant sees it.
pub struct SignedIn<'w> {
    pub tenant: &'w Tenant,
    pub user_id: String,
    pub app: &'w Application,
}

pub fn signed_in<'w>(world: &'w World, flow: &Flow) -> Result<SignedIn<'w>, AuthError> {
    let (tenant_id, user_id, _) = flow.user.clone().expect("signed in");
    let tenant = world
        .dir
        .tenant(&tenant_id)
        .expect("the user's tenant exists");
    let (_, app) = find_client(world, &Authority::Tenant(tenant_id), &flow.client_id)?;
    Ok(SignedIn {
        tenant,
        user_id,
        app,
    })
}
