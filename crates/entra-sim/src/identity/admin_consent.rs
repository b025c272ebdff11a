//! The admin-consent hand-off: `/{tenant}/v2.0/adminconsent` and the portal's
//! `/{tenant}/adminconsent` (graph-facts §1.7). A Global or Privileged Role Administrator
//! (or, without Graph app roles, a Cloud/Application Administrator) grants the client's
//! permissions tenant-wide.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;

use super::authorize::{picker, store_flow};
use super::errors::{self, AuthError};
use super::flow_steps::{self, Ask, Granted, SignedIn};
use super::pages::{self, PermissionLine, ResourceSection};
use super::scopes;
use super::session::{Flow, FlowKind, ResponseMode};
use super::{param, redirect, redirect_error, requested_client, Params};
use crate::directory::{consent, sp_app_role_by_id, sp_scope, Record, Stored};
use crate::graph::auth::{DELEGATED_GRANT_ROLES, GRAPH_APP_ROLE_ROLES};
use crate::ids::resources;
use crate::pipeline::RequestMeta;
use crate::state::{Sim, World};

pub async fn v2(
    State(sim): State<Arc<Sim>>,
    Path(tenant): Path<String>,
    Extension(meta): Extension<RequestMeta>,
    Query(params): Query<Params>,
) -> Response {
    start(&sim, &tenant, &meta, &params, false)
}

pub async fn v1(
    State(sim): State<Arc<Sim>>,
    Path(tenant): Path<String>,
    Extension(meta): Extension<RequestMeta>,
    Query(params): Query<Params>,
) -> Response {
    start(&sim, &tenant, &meta, &params, true)
}

fn start(sim: &Sim, tenant: &str, meta: &RequestMeta, params: &Params, v1: bool) -> Response {
    let mut world = sim.lock();
    let now = world.now_ms();
    // Until the client and its redirect URI are known good, errors are shown, not redirected.
    let (authority, client_id, app) = match requested_client(&world, tenant, params) {
        Ok(found) => found,
        Err(e) => return e.page(meta, now),
    };
    // v1 falls back to the app's first reply URL; v2 requires one (graph-facts §1.7).
    let redirect_uri = match (param(params, "redirect_uri"), v1) {
        (Some(uri), _) => Some(uri.to_owned()),
        (None, true) => ["web", "spa", "publicClient"]
            .iter()
            .find_map(|p| app.redirect_uris(p).into_iter().next()),
        (None, false) => return errors::missing_parameter("redirect_uri").page(meta, now),
    };
    if let Some(uri) = &redirect_uri {
        if app.redirect_platform(uri).is_none() {
            return errors::redirect_mismatch(uri, client_id).page(meta, now);
        }
    }
    let state = param(params, "state").map(str::to_owned);
    let scope = match (param(params, "scope"), v1) {
        (Some(s), false) => s.to_owned(),
        (None, false) => {
            let e = errors::missing_parameter("scope");
            return redirect_error(
                redirect_uri.as_deref().unwrap_or_default(),
                ResponseMode::Query,
                state.as_deref(),
                &e,
                meta,
                now,
                &[("admin_consent", "True")],
            );
        }
        (_, true) => ".default".to_owned(),
    };
    let app_name = app.display_name().to_owned();
    let flow = Flow {
        kind: FlowKind::AdminConsent { v1 },
        authority: tenant.to_owned(),
        client_id: client_id.to_owned(),
        redirect_uri,
        platform: None,
        response_mode: ResponseMode::Query,
        state,
        nonce: None,
        scope,
        prompt: None,
        login_hint: param(params, "login_hint").map(str::to_owned),
        code_challenge: None,
        code_challenge_method: None,
        client_info: false,
        created_ms: now,
        user: None,
    };
    let hint = flow.login_hint.clone();
    let flow_id = store_flow(&mut world, flow);
    picker(
        &world,
        tenant,
        &authority,
        &flow_id,
        &app_name,
        hint.as_deref(),
    )
}

/// What an admin consent would grant on one resource.
struct Entry {
    sp: Record,
    scopes: Vec<String>,
    /// (app role id, value)
    roles: Vec<(String, String)>,
}

struct Plan {
    entries: Vec<Entry>,
    app_name: String,
    user_may_consent: bool,
}

fn plan(world: &World, flow: &Flow) -> Result<Plan, AuthError> {
    let SignedIn {
        tenant,
        user_id,
        app,
    } = flow_steps::signed_in(world, flow)?;
    let visible_before = world.visible_before();
    let requested = scopes::parse(&flow.scope);
    let mut entries: Vec<Entry> = Vec::new();
    // Any `.default` stands for everything in requiredResourceAccess, app roles included.
    let static_consent = requested
        .resources
        .iter()
        .any(|(_, values)| values.iter().any(|v| v == ".default"));
    if static_consent {
        for (resource_app_id, _) in app.required_resource_access() {
            let sp = tenant
                .sp_by_app_id(&resource_app_id, visible_before)
                .cloned()
                .ok_or_else(|| errors::resource_not_subscribed(&resource_app_id, &tenant.id))?;
            let roles = scopes::configured_roles(app, &sp)
                .into_iter()
                .filter_map(|id| {
                    sp_app_role_by_id(&sp, &id)
                        .and_then(|r| r.get("value").and_then(|v| v.as_str()))
                        .map(|v| (id.clone(), v.to_owned()))
                })
                .collect();
            let scopes = scopes::configured_scopes(app, &sp);
            entries.push(Entry { sp, scopes, roles });
        }
    }
    let dynamic = scopes::Requested {
        oidc: requested.oidc.clone(),
        resources: requested
            .resources
            .iter()
            .map(|(r, values)| {
                (
                    r.clone(),
                    values
                        .iter()
                        .filter(|v| *v != ".default")
                        .cloned()
                        .collect::<Vec<_>>(),
                )
            })
            .filter(|(_, values)| !values.is_empty())
            .collect(),
    };
    for resolved in scopes::resolve(tenant, app, &dynamic, visible_before)? {
        match entries.iter_mut().find(|e| e.sp.id() == resolved.sp.id()) {
            Some(e) => {
                for v in resolved.values {
                    if !e.scopes.iter().any(|s| s.eq_ignore_ascii_case(&v)) {
                        e.scopes.push(v);
                    }
                }
            }
            None => entries.push(Entry {
                sp: resolved.sp,
                scopes: resolved.values,
                roles: Vec::new(),
            }),
        }
    }
    let graph_roles = entries.iter().any(|e| {
        !e.roles.is_empty()
            && e.sp
                .str("appId")
                .eq_ignore_ascii_case(resources::MICROSOFT_GRAPH)
    });
    let needed: &[&str] = if graph_roles {
        &GRAPH_APP_ROLE_ROLES
    } else {
        &DELEGATED_GRANT_ROLES
    };
    Ok(Plan {
        entries,
        app_name: app.display_name().to_owned(),
        user_may_consent: tenant.user_has_any_role(&user_id, needed),
    })
}

/// After sign-in on the admin-consent endpoint: show what would be granted.
pub fn proceed(world: &mut World, flow_id: &str, meta: &RequestMeta) -> Response {
    let now = world.now_ms();
    let Some(flow) = world.flows.get(flow_id).cloned() else {
        return flow_steps::gone(meta, now);
    };
    let plan = match plan(world, &flow) {
        Ok(p) => p,
        Err(e) => return flow_steps::fail(&flow, &e, meta, now),
    };
    let sections = plan
        .entries
        .iter()
        .map(|e| {
            let mut lines: Vec<PermissionLine> = e
                .scopes
                .iter()
                .map(|v| PermissionLine {
                    text: sp_scope(&e.sp, v)
                        .and_then(|s| s.get("adminConsentDisplayName"))
                        .and_then(|x| x.as_str())
                        .unwrap_or(v)
                        .to_owned(),
                    detail: format!("({v}, delegated)"),
                })
                .collect();
            lines.extend(e.roles.iter().map(|(id, v)| {
                PermissionLine {
                    text: sp_app_role_by_id(&e.sp, id)
                        .and_then(|r| r.get("displayName"))
                        .and_then(|x| x.as_str())
                        .unwrap_or(v)
                        .to_owned(),
                    detail: format!("({v}, application)"),
                }
            }));
            ResourceSection {
                resource_name: e.sp.str("displayName").to_owned(),
                lines,
            }
        })
        .collect();
    flow_steps::ask_consent(
        world,
        flow_id,
        &flow,
        Ask {
            app_name: &plan.app_name,
            sections,
            user_may_consent: plan.user_may_consent,
            offer_organization: false,
            admin_consent: true,
        },
    )
}

/// The admin pressed Accept or Cancel (or "return without consent").
pub fn decide(
    world: &mut World,
    flow_id: &str,
    flow: &Flow,
    accept: bool,
    meta: &RequestMeta,
) -> Response {
    let now = world.now_ms();
    world.flows.remove(flow_id);
    let plan = match plan(world, flow) {
        Ok(p) => p,
        Err(e) => return flow_steps::fail(flow, &e, meta, now),
    };
    if !plan.user_may_consent {
        return flow_steps::fail(
            flow,
            &errors::needs_admin_approval(&plan.app_name).with_subcode("cancel"),
            meta,
            now,
        );
    }
    // Realistic: the v1 endpoint has nowhere to send the admin once they accept, and Entra
    // stops on AADSTS500113 (field reports place it at the consent step). Whether Entra
    // records the consent first is UNCONFIRMED; the simulator grants nothing, so a client
    // cannot rely on this hand-off.
    if accept && flow.redirect_uri.is_none() && world.knobs.admin_consent_requires_reply_url {
        return errors::no_reply_address().page(meta, now);
    }
    if !accept {
        let declined = AuthError::new(
            "consent_required",
            65004,
            "User declined to consent to access the app.",
        );
        return flow_steps::fail(flow, &declined, meta, now);
    }
    let (tenant_id, user_id, _) = flow.user.clone().expect("signed in");
    let ti = world.dir.tenant_index(&tenant_id).expect("user tenant");
    let Some(client_sp) = consent::ensure_client_sp(&mut world.dir, ti, &flow.client_id, now)
    else {
        return flow_steps::fail(
            flow,
            &errors::application_not_found(&flow.client_id, &tenant_id),
            meta,
            now,
        );
    };
    let tenant = &mut world.dir.tenants[ti];
    let mut scopes_granted = Vec::new();
    let mut roles_granted = Vec::new();
    for e in &plan.entries {
        if !e.scopes.is_empty() {
            consent::add_delegated_scopes(tenant, &client_sp, e.sp.id(), None, &e.scopes, now);
            scopes_granted.push((e.sp.str("appId").to_owned(), e.scopes.clone()));
        }
        for (role_id, _) in &e.roles {
            consent::assign_app_role(tenant, &client_sp, e.sp.id(), role_id, now);
        }
        if !e.roles.is_empty() {
            roles_granted.push((
                e.sp.str("appId").to_owned(),
                e.roles.iter().map(|(_, v)| v.clone()).collect(),
            ));
        }
    }
    flow_steps::record_consent(
        tenant,
        "admin_consent_endpoint",
        &user_id,
        flow,
        Granted {
            scopes: scopes_granted,
            app_roles: roles_granted,
        },
        now,
    );
    let Some(uri) = &flow.redirect_uri else {
        return Html(pages::message(
            "Admin consent granted",
            &format!(
                "Permissions for {} were granted for your organization.",
                plan.app_name
            ),
        ))
        .into_response();
    };
    let mut params = vec![
        ("admin_consent".to_owned(), "True".to_owned()),
        ("tenant".to_owned(), tenant_id),
    ];
    if !matches!(flow.kind, FlowKind::AdminConsent { v1: true }) {
        params.push(("scope".into(), flow.scope.clone()));
    }
    if let Some(s) = &flow.state {
        params.push(("state".into(), s.clone()));
    }
    redirect(uri, ResponseMode::Query, &params)
}
