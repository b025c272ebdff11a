//! `/{tenant}/oauth2/v2.0/authorize`: request validation, the account picker, the consent
//! page and the authorization code (graph-facts §1.2, §1.4). Also logout.

use std::sync::Arc;

use axum::extract::{Form, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Extension;

use super::errors::{self, AuthError};
use super::flow_steps::{self, Ask, Granted, SignedIn};
use super::pages::{self, PermissionLine, ResourceSection, TenantUsers, UserChoice};
use super::scopes::{self, Resolved};
use super::session::{AuthCode, Flow, FlowKind, ResponseMode, Session};
use super::{
    admin_consent, authority, param, redirect, redirect_error, requested_client, session_cookie,
    session_id, Authority, Params,
};
use crate::directory::{consent, sp_scope, Stored};
use crate::graph::auth::DELEGATED_GRANT_ROLES;
use crate::pipeline::RequestMeta;
use crate::random;
use crate::state::{Sim, World};

const FLOW_LIFETIME_MS: i64 = 3_600_000;

pub async fn start_get(
    State(sim): State<Arc<Sim>>,
    Path(tenant): Path<String>,
    Extension(meta): Extension<RequestMeta>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    start(&sim, &tenant, &meta, &headers, &params)
}

/// Entra also accepts the authorize request as a form POST.
pub async fn start_post(
    State(sim): State<Arc<Sim>>,
    Path(tenant): Path<String>,
    Extension(meta): Extension<RequestMeta>,
    headers: HeaderMap,
    Form(params): Form<Params>,
) -> Response {
    start(&sim, &tenant, &meta, &headers, &params)
}

fn start(
    sim: &Sim,
    tenant: &str,
    meta: &RequestMeta,
    headers: &HeaderMap,
    params: &Params,
) -> Response {
    let mut world = sim.lock();
    let now = world.now_ms();
    // Until the client and its redirect URI are known good, errors are shown, not redirected.
    let (authority, client_id, app) = match requested_client(&world, tenant, params) {
        Ok(found) => found,
        Err(e) => return e.page(meta, now),
    };
    let Some(redirect_uri) = param(params, "redirect_uri") else {
        return errors::missing_parameter("redirect_uri").page(meta, now);
    };
    let Some(platform) = app.redirect_platform(redirect_uri) else {
        return errors::redirect_mismatch(redirect_uri, client_id).page(meta, now);
    };
    let mode = match param(params, "response_mode") {
        Some("fragment") => ResponseMode::Fragment,
        Some("form_post") => ResponseMode::FormPost,
        _ => ResponseMode::Query,
    };
    let state = param(params, "state");
    let fail = |e: AuthError| redirect_error(redirect_uri, mode, state, &e, meta, now, &[]);
    match param(params, "response_type") {
        None => return fail(errors::missing_parameter("response_type")),
        Some("code") => {}
        Some(other) => {
            return fail(AuthError::new(
                "unsupported_response_type",
                700054,
                format!("response_type '{other}' is not enabled for the application."),
            ))
        }
    }
    let Some(scope) = param(params, "scope") else {
        return fail(errors::missing_parameter("scope"));
    };
    let requested = scopes::parse(scope);
    if requested.oidc.is_empty() && requested.resources.is_empty() {
        return fail(errors::invalid_scope(scope));
    }
    let challenge = param(params, "code_challenge");
    let method = param(params, "code_challenge_method");
    if let Err(e) = check_pkce(platform, challenge, method) {
        return fail(e);
    }
    let prompt = param(params, "prompt").map(str::to_owned);
    let login_hint = param(params, "login_hint").map(str::to_owned);
    let flow = Flow {
        kind: FlowKind::Authorize,
        authority: tenant.to_owned(),
        client_id: client_id.to_owned(),
        redirect_uri: Some(redirect_uri.to_owned()),
        platform: Some(platform),
        response_mode: mode,
        state: state.map(str::to_owned),
        nonce: param(params, "nonce").map(str::to_owned),
        scope: scope.to_owned(),
        prompt: prompt.clone(),
        login_hint: login_hint.clone(),
        code_challenge: challenge.map(str::to_owned),
        code_challenge_method: challenge.map(|_| method.unwrap_or("plain").to_owned()),
        client_info: param(params, "client_info") == Some("1"),
        created_ms: now,
        user: None,
    };
    let app_name = app.display_name().to_owned();
    let flow_id = store_flow(&mut world, flow);
    let session = session_id(headers).and_then(|id| world.sessions.get(&id).cloned());
    let interactive = matches!(prompt.as_deref(), Some("login" | "select_account"));
    if let Some(s) = session.filter(|_| !interactive) {
        let hint_ok = login_hint.as_deref().is_none_or(|hint| {
            world
                .dir
                .tenant(&s.tenant_id)
                .and_then(|t| t.user(hint).or_else(|| t.user_signing_in(hint, true)))
                .is_some_and(|u| u.id == s.user_id)
        });
        if authority.allows(&s.tenant_id) && hint_ok {
            if let Some(flow) = world.flows.get_mut(&flow_id) {
                flow.user = Some((s.tenant_id.clone(), s.user_id.clone(), s.auth_time_ms));
            }
            return proceed(&mut world, &flow_id, meta);
        }
        if prompt.as_deref() == Some("none") {
            return fail(AuthError::new(
                "interaction_required",
                16000,
                "SelectUserAccount - This is an interrupt thrown by Entra ID, which results in UI that allows the user to select from among multiple valid SSO sessions.",
            ));
        }
    } else if prompt.as_deref() == Some("none") {
        return fail(AuthError::new(
            "login_required",
            50058,
            "A silent sign-in request was sent but no user is signed in. The cookies used to represent the user's session were not sent in the request to Entra ID.",
        ));
    }
    picker(
        &world,
        tenant,
        &authority,
        &flow_id,
        &app_name,
        login_hint.as_deref(),
    )
}

/// PKCE: S256 is required for `spa` redirect URIs; elsewhere optional (graph-facts §1.2).
fn check_pkce(
    platform: &str,
    challenge: Option<&str>,
    method: Option<&str>,
) -> Result<(), AuthError> {
    match (platform, challenge, method) {
        ("spa", None, _) => Err(AuthError::new(
            "invalid_request",
            9002325,
            "Proof Key for Code Exchange is required for cross-origin authorization code redemption.",
        )),
        ("spa", Some(_), m) if m != Some("S256") => Err(AuthError::new(
            "invalid_request",
            9002325,
            "Proof Key for Code Exchange with code_challenge_method 'S256' is required for Single-Page Application redirect URIs.",
        )),
        (_, Some(_), Some(m)) if m != "S256" && m != "plain" => Err(AuthError::new(
            "invalid_request",
            70011,
            format!("The provided value for the input parameter 'code_challenge_method' is not valid: '{m}'."),
        )),
        (_, Some(c), m) if m == Some("S256") && (c.len() != 43) => {
            Err(AuthError::new("invalid_request", 501491, "Invalid size of Code_Challenge parameter."))
        }
        _ => Ok(()),
    }
}

pub fn store_flow(world: &mut World, flow: Flow) -> String {
    let now = world.now_ms();
    world
        .flows
        .retain(|_, f| now - f.created_ms < FLOW_LIFETIME_MS);
    let id = random::opaque_token(24);
    world.flows.insert(id.clone(), flow);
    id
}

/// The account picker for the tenants an authority serves.
pub fn picker(
    world: &World,
    tenant_segment: &str,
    authority: &Authority,
    flow_id: &str,
    app_name: &str,
    hint: Option<&str>,
) -> Response {
    // Guests appear (under their home account) only where they can sign in: at their
    // resource tenant's own authority.
    let guests = authority.tenant_id().is_some();
    let role_names = |templates: &[String], suffix: &str| -> Vec<String> {
        templates
            .iter()
            .map(|r| {
                let name = world
                    .dir
                    .role_template(r)
                    .map(|t| t.display_name.clone())
                    .unwrap_or_else(|| r.clone());
                format!("{name}{suffix}")
            })
            .collect()
    };
    let tenants: Vec<TenantUsers> = world
        .dir
        .tenants
        .iter()
        .filter(|t| authority.allows(&t.id))
        .map(|t| {
            let mut users: Vec<UserChoice> = t
                .users
                .iter()
                .filter(|u| guests || !u.is_guest())
                .map(|u| {
                    let mut roles = role_names(&t.user_roles(&u.id), "");
                    roles.extend(role_names(&u.eligible_directory_roles, " (eligible)"));
                    if u.is_guest() {
                        roles.insert(0, "Guest".into());
                    }
                    UserChoice {
                        display_name: u.display_name.clone(),
                        upn: u.sign_in_name().to_owned(),
                        roles,
                        hinted: hint.is_some_and(|h| h.eq_ignore_ascii_case(u.sign_in_name())),
                    }
                })
                .collect();
            users.sort_by_key(|u| !u.hinted);
            TenantUsers {
                tenant_name: t.display_name.clone(),
                users,
            }
        })
        .collect();
    let action = format!("/{tenant_segment}/oauth2/v2.0/authorize/select");
    Html(pages::user_picker(&action, flow_id, app_name, &tenants)).into_response()
}

pub async fn select_user(
    State(sim): State<Arc<Sim>>,
    Path(_tenant): Path<String>,
    Extension(meta): Extension<RequestMeta>,
    Form(form): Form<Params>,
) -> Response {
    let mut world = sim.lock();
    let now = world.now_ms();
    let (Some(flow_id), Some(upn)) = (param(&form, "flow"), param(&form, "user")) else {
        return flow_steps::gone(&meta, now);
    };
    let Some(flow) = world.flows.get(flow_id).cloned() else {
        return flow_steps::gone(&meta, now);
    };
    let Ok(authority) = authority(&world, &flow.authority) else {
        return flow_steps::gone(&meta, now);
    };
    let Some((tenant_id, user_id)) = world
        .dir
        .tenants
        .iter()
        .filter(|t| authority.allows(&t.id))
        .find_map(|t| {
            t.user_signing_in(upn, authority.tenant_id().is_some())
                .map(|u| (t.id.clone(), u.id.clone()))
        })
    else {
        return AuthError::new(
            "invalid_request",
            50034,
            format!("The user account {upn} does not exist in the directory. To sign into this application, the account must be added to the directory."),
        )
        .page(&meta, now);
    };
    let session = random::opaque_token(24);
    world.sessions.insert(
        session.clone(),
        Session {
            tenant_id: tenant_id.clone(),
            user_id: user_id.clone(),
            auth_time_ms: now,
        },
    );
    if let Some(f) = world.flows.get_mut(flow_id) {
        f.user = Some((tenant_id, user_id, now));
    }
    let mut response = match flow.kind {
        FlowKind::Authorize => proceed(&mut world, flow_id, &meta),
        FlowKind::AdminConsent { .. } => admin_consent::proceed(&mut world, flow_id, &meta),
    };
    if let Ok(v) = HeaderValue::from_str(&session_cookie(&session)) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}

/// Where a signed-in authorize flow stands: what the client asks for, what is missing.
struct Standing {
    resolved: Vec<Resolved>,
    /// (index into resolved, scope values still to consent)
    missing: Vec<(usize, Vec<String>)>,
    needs_admin: bool,
    user_is_admin: bool,
    app_name: String,
}

/// With `prompt=consent` every requested scope is asked for again.
fn standing(world: &World, flow: &Flow) -> Result<Standing, AuthError> {
    let force_all = flow.prompt.as_deref() == Some("consent");
    let SignedIn {
        tenant,
        user_id,
        app,
    } = flow_steps::signed_in(world, flow)?;
    let visible_before = world.visible_before();
    let resolved = scopes::resolve(tenant, app, &scopes::parse(&flow.scope), visible_before)?;
    let client_sp = tenant.sp_by_app_id(&flow.client_id, i64::MAX);
    let mut missing = Vec::new();
    let mut needs_admin = false;
    for (i, r) in resolved.iter().enumerate() {
        let held = client_sp
            .map(|sp| tenant.consented_scopes(sp.id(), r.sp.id(), Some(&user_id)))
            .unwrap_or_default();
        let lacking: Vec<String> = r
            .values
            .iter()
            .filter(|v| force_all || !held.iter().any(|h| h.eq_ignore_ascii_case(v)))
            .cloned()
            .collect();
        if lacking.is_empty() {
            continue;
        }
        needs_admin |= lacking.iter().any(|v| {
            !held.iter().any(|h| h.eq_ignore_ascii_case(v))
                && sp_scope(&r.sp, v)
                    .and_then(|s| s.get("type"))
                    .and_then(|t| t.as_str())
                    == Some("Admin")
        });
        missing.push((i, lacking));
    }
    Ok(Standing {
        resolved,
        missing,
        needs_admin,
        user_is_admin: tenant.user_has_any_role(&user_id, &DELEGATED_GRANT_ROLES),
        app_name: app.display_name().to_owned(),
    })
}

/// After sign-in: issue the code, or ask for consent first.
pub fn proceed(world: &mut World, flow_id: &str, meta: &RequestMeta) -> Response {
    let now = world.now_ms();
    let Some(flow) = world.flows.get(flow_id).cloned() else {
        return flow_steps::gone(meta, now);
    };
    let st = match standing(world, &flow) {
        Ok(s) => s,
        Err(e) => return flow_steps::fail(&flow, &e, meta, now),
    };
    if st.missing.is_empty() {
        return issue_code(world, flow_id, &flow);
    }
    if flow.prompt.as_deref() == Some("none") {
        return flow_steps::fail(
            &flow,
            &errors::consent_required(&flow.client_id, &st.app_name),
            meta,
            now,
        );
    }
    let sections = st
        .missing
        .iter()
        .map(|(i, values)| {
            let r = &st.resolved[*i];
            ResourceSection {
                resource_name: r.sp.str("displayName").to_owned(),
                lines: values
                    .iter()
                    .map(|v| {
                        let scope = sp_scope(&r.sp, v);
                        let text = |k: &str| {
                            scope
                                .and_then(|s| s.get(k))
                                .and_then(|x| x.as_str())
                                .unwrap_or(v)
                                .to_owned()
                        };
                        PermissionLine {
                            text: if st.user_is_admin {
                                text("adminConsentDisplayName")
                            } else {
                                text("userConsentDisplayName")
                            },
                            detail: format!("({v})"),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    flow_steps::ask_consent(
        world,
        flow_id,
        &flow,
        Ask {
            app_name: &st.app_name,
            sections,
            user_may_consent: !st.needs_admin || st.user_is_admin,
            offer_organization: st.user_is_admin,
            admin_consent: false,
        },
    )
}

pub async fn consent(
    State(sim): State<Arc<Sim>>,
    Path(_tenant): Path<String>,
    Extension(meta): Extension<RequestMeta>,
    Form(form): Form<Params>,
) -> Response {
    let mut world = sim.lock();
    let now = world.now_ms();
    let Some(flow_id) = param(&form, "flow") else {
        return flow_steps::gone(&meta, now);
    };
    let Some(flow) = world
        .flows
        .get(flow_id)
        .cloned()
        .filter(|f| f.user.is_some())
    else {
        return flow_steps::gone(&meta, now);
    };
    let accept = param(&form, "action") == Some("accept");
    let for_organization = param(&form, "consent_org") == Some("true");
    match flow.kind {
        FlowKind::AdminConsent { .. } => {
            admin_consent::decide(&mut world, flow_id, &flow, accept, &meta)
        }
        FlowKind::Authorize => {
            let fail = |e: AuthError| flow_steps::fail(&flow, &e, &meta, now);
            let st = match standing(&world, &flow) {
                Ok(s) => s,
                Err(e) => return fail(e),
            };
            if !accept || (st.needs_admin && !st.user_is_admin) {
                world.flows.remove(flow_id);
                return fail(errors::user_declined());
            }
            let (tenant_id, user_id, _) = flow.user.clone().expect("signed in");
            let ti = world.dir.tenant_index(&tenant_id).expect("user tenant");
            let Some(client_sp) =
                consent::ensure_client_sp(&mut world.dir, ti, &flow.client_id, now)
            else {
                return fail(errors::application_not_found(&flow.client_id, &tenant_id));
            };
            let organization = for_organization && st.user_is_admin;
            let principal = if organization {
                None
            } else {
                Some(user_id.as_str())
            };
            let mut granted = Vec::new();
            for (i, values) in &st.missing {
                let r = &st.resolved[*i];
                consent::add_delegated_scopes(
                    &mut world.dir.tenants[ti],
                    &client_sp,
                    r.sp.id(),
                    principal,
                    values,
                    now,
                );
                granted.push((r.sp.str("appId").to_owned(), values.clone()));
            }
            flow_steps::record_consent(
                &mut world.dir.tenants[ti],
                if organization { "organization" } else { "user" },
                &user_id,
                &flow,
                Granted {
                    scopes: granted,
                    app_roles: Vec::new(),
                },
                now,
            );
            issue_code(&mut world, flow_id, &flow)
        }
    }
}

fn issue_code(world: &mut World, flow_id: &str, flow: &Flow) -> Response {
    let now = world.now_ms();
    let (tenant_id, user_id, auth_time) = flow.user.clone().expect("signed in");
    let code = random::opaque_token(48);
    world.codes.retain(|_, c| now - c.issued_ms < 3_600_000);
    world.codes.insert(
        code.clone(),
        AuthCode {
            client_id: flow.client_id.clone(),
            redirect_uri: flow.redirect_uri.clone().unwrap_or_default(),
            platform: flow.platform.unwrap_or("web"),
            code_challenge: flow.code_challenge.clone(),
            code_challenge_method: flow.code_challenge_method.clone(),
            scope: flow.scope.clone(),
            nonce: flow.nonce.clone(),
            tenant_id,
            user_id,
            auth_time_ms: auth_time,
            issued_ms: now,
            used: false,
            client_info: flow.client_info,
        },
    );
    world.flows.remove(flow_id);
    let mut params = vec![("code".to_owned(), code)];
    if let Some(s) = &flow.state {
        params.push(("state".into(), s.clone()));
    }
    params.push(("session_state".into(), random::guid()));
    redirect(
        flow.redirect_uri.as_deref().unwrap_or_default(),
        flow.response_mode,
        &params,
    )
}

pub async fn logout(
    State(sim): State<Arc<Sim>>,
    Path(_tenant): Path<String>,
    headers: HeaderMap,
    Query(params): Query<Params>,
) -> Response {
    let mut world = sim.lock();
    if let Some(id) = session_id(&headers) {
        world.sessions.remove(&id);
    }
    let expire = format!(
        "{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax",
        super::session::SESSION_COOKIE
    );
    let target = param(&params, "post_logout_redirect_uri").filter(|uri| {
        world
            .dir
            .tenants
            .iter()
            .flat_map(|t| t.applications.iter())
            .any(|a| a.redirect_platform(uri).is_some())
    });
    let mut response = match target {
        Some(uri) => {
            let mut params_out = Vec::new();
            if let Some(s) = param(&params, "state") {
                params_out.push(("state".to_owned(), s.to_owned()));
            }
            redirect(uri, ResponseMode::Query, &params_out)
        }
        None => (
            StatusCode::OK,
            Html(pages::message(
                "You signed out of your account",
                "It's a good idea to close all browser windows.",
            )),
        )
            .into_response(),
    };
    if let Ok(v) = HeaderValue::from_str(&expire) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
    response
}
