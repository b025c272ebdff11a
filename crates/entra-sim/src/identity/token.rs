//! `/{tenant}/oauth2/v2.0/token`: `authorization_code` (PKCE, single use, short-lived),
//! `refresh_token` (24 h for SPAs), `client_credentials` (secrets added through Graph),
//! and the cross-origin rules of graph-facts §1.4.

use std::sync::Arc;

use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::errors::{self, AuthError};
use super::scopes::{self, Resolved};
use super::session::RefreshGrant;
use super::tokens::{self, AccessTokenInput, IdTokenInput};
use super::{authority, param, Authority, Params};
use crate::directory::application::hash_secret;
use crate::directory::{Record, Stored, Tenant};
use crate::pipeline::RequestMeta;
use crate::state::{Sim, World};
use crate::{clock, random};

pub async fn token(
    State(sim): State<Arc<Sim>>,
    Path(tenant): Path<String>,
    Extension(meta): Extension<RequestMeta>,
    headers: HeaderMap,
    Form(params): Form<Params>,
) -> Response {
    let mut world = sim.lock();
    let now = world.now_ms();
    let origin = headers
        .get("origin")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let ctx = Ctx {
        sim: &sim,
        meta: &meta,
        origin: origin.as_deref(),
        now,
        basic: basic_credentials(&headers),
    };
    let result = authority(&world, &tenant).and_then(|auth| match param(&params, "grant_type") {
        None => Err(errors::missing_parameter("grant_type")),
        Some("authorization_code") => authorization_code(&mut world, &ctx, &auth, &params),
        Some("refresh_token") => refresh_token(&mut world, &ctx, &auth, &params),
        Some("client_credentials") => client_credentials(&mut world, &ctx, &auth, &params),
        Some(other) => Err(AuthError::new(
            "unsupported_grant_type",
            70003,
            format!("The app requested an unsupported grant type '{other}'."),
        )),
    });
    match result {
        Ok(body) => (StatusCode::OK, [("cache-control", "no-store")], Json(body)).into_response(),
        Err(e) => e.json(&meta, now),
    }
}

struct Ctx<'a> {
    sim: &'a Sim,
    meta: &'a RequestMeta,
    origin: Option<&'a str>,
    now: i64,
    /// client_id and secret from an `Authorization: Basic` header.
    basic: Option<(String, String)>,
}

impl Ctx<'_> {
    /// The client, from the form or else the `Authorization: Basic` header.
    fn client_id(&self, params: &Params) -> Result<String, AuthError> {
        param(params, "client_id")
            .map(str::to_owned)
            .or_else(|| self.basic.as_ref().map(|(id, _)| id.clone()))
            .ok_or_else(|| errors::missing_parameter("client_id"))
    }
}

fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers
        .get("authorization")?
        .to_str()
        .ok()?
        .strip_prefix("Basic ")?;
    let decoded = String::from_utf8(STANDARD.decode(value.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let unescape = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes())
            .next()
            .map(|(_, v)| v.into_owned())
    };
    Some((unescape(id)?, unescape(secret)?))
}

fn spa_only() -> AuthError {
    AuthError::new(
        "invalid_request",
        9002327,
        "Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.",
    )
}

fn cross_origin_refused(origin: &str) -> AuthError {
    AuthError::new(
        "invalid_request",
        9002326,
        format!("Cross-origin token redemption is permitted only for the 'Single-Page Application' client-type. Request origin: '{origin}'."),
    )
}

fn invalid_secret(app_id: &str) -> AuthError {
    AuthError::new(
        "invalid_client",
        7000215,
        format!(
            "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the \
             client secret ID, for a secret added to app '{app_id}'."
        ),
    )
    .with_status(StatusCode::UNAUTHORIZED)
}

/// Verifies a confidential client's secret against the application's (replicated) secrets.
fn check_secret(
    world: &World,
    ctx: &Ctx,
    app_id: &str,
    given: Option<&str>,
) -> Result<(), AuthError> {
    let secret = given
        .map(str::to_owned)
        .or_else(|| ctx.basic.as_ref().map(|(_, s)| s.clone()));
    let Some(secret) = secret else {
        return Err(AuthError::new(
            "invalid_client",
            7000218,
            "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.",
        )
        .with_status(StatusCode::UNAUTHORIZED));
    };
    let visible_before = world.visible_before();
    let Some((_, app)) = world.dir.replicated_application(app_id, visible_before) else {
        return Err(invalid_secret(app_id));
    };
    let hash = hash_secret(&secret);
    let matching = app
        .password_credentials()
        .iter()
        .find(|s| s.hash == hash && s.created_ms + s.delay_ms <= visible_before);
    match matching {
        Some(s) if ctx.now >= s.end_ms => Err(AuthError::new(
            "invalid_client",
            7000222,
            format!(
                "The provided client secret keys for app '{app_id}' are expired. Visit the Azure portal to create new keys for \
                 your app: https://aka.ms/NewClientSecret, or consider using certificate credentials for added security: \
                 https://aka.ms/certCreds."
            ),
        )
        .with_status(StatusCode::UNAUTHORIZED)),
        Some(s) if ctx.now < s.start_ms => Err(invalid_secret(app_id)),
        Some(_) => Ok(()),
        None => Err(invalid_secret(app_id)),
    }
}

/// The single resource a token request's `scope` names (plus OIDC scopes), resolved.
fn token_resource(
    tenant: &Tenant,
    client_id: &str,
    world: &World,
    scope: &str,
) -> Result<(scopes::Requested, Resolved), AuthError> {
    let requested = scopes::parse(scope);
    if requested.resources.len() > 1 {
        return Err(AuthError::new(
            "invalid_scope",
            28000,
            format!("Provided value for the input parameter scope is not valid because it contains more than one resource. Scope {scope} is not valid."),
        ));
    }
    let (_, app) = super::find_client(world, &Authority::Tenant(tenant.id.clone()), client_id)?;
    let resolved = scopes::resolve(tenant, app, &requested, world.visible_before())?;
    let resource = match requested.resources.first() {
        Some((identifier, _)) => {
            let wanted = tenant
                .resource_sp(identifier, world.visible_before())
                .map(|s| s.id().to_owned());
            resolved
                .into_iter()
                .find(|r| Some(r.sp.id().to_owned()) == wanted)
        }
        None => resolved.into_iter().find(Resolved::is_graph),
    }
    .ok_or_else(|| errors::invalid_scope(scope))?;
    Ok((requested, resource))
}

struct Delegated<'a> {
    tenant_id: &'a str,
    user_id: &'a str,
    client_id: &'a str,
    scope: &'a str,
    nonce: Option<&'a str>,
    auth_time_ms: i64,
    spa: bool,
    /// A refresh keeps the original 24 h SPA deadline.
    refresh_expiry: Option<i64>,
    client_info: bool,
}

/// Issues the access token (all scopes consented for the resource), and the ID and
/// refresh tokens the OIDC scopes ask for.
fn delegated_response(world: &mut World, ctx: &Ctx, d: &Delegated) -> Result<Value, AuthError> {
    let tenant = world
        .dir
        .tenant(d.tenant_id)
        .ok_or_else(|| errors::tenant_not_found(d.tenant_id))?;
    let user = tenant.user(d.user_id).cloned().ok_or_else(|| {
        AuthError::new(
            "invalid_grant",
            50034,
            "The user account does not exist in the directory.",
        )
    })?;
    let (requested, resource) = token_resource(tenant, d.client_id, world, d.scope)?;
    let app_name = world
        .dir
        .application_anywhere(d.client_id)
        .map(|(_, a)| a.display_name().to_owned())
        .unwrap_or_default();
    let client_sp = tenant
        .sp_by_app_id(d.client_id, i64::MAX)
        .ok_or_else(|| errors::consent_required(d.client_id, &app_name))?;
    let held = tenant.consented_scopes(client_sp.id(), resource.sp.id(), Some(d.user_id));
    // At the token endpoint `/.default` means "whatever is consented"; named scopes must be.
    let static_request = requested
        .resources
        .iter()
        .any(|(_, values)| values.iter().any(|v| v == ".default"));
    let missing: Option<String> = if held.is_empty() {
        Some(resource.values.first().cloned().unwrap_or_default())
    } else if static_request {
        None
    } else {
        resource
            .values
            .iter()
            .find(|v| !held.iter().any(|h| h.eq_ignore_ascii_case(v)))
            .cloned()
    };
    if let Some(missing) = missing {
        let mut e = errors::consent_required(d.client_id, &app_name);
        e.error = "invalid_grant";
        e.message = format!("{} Missing scope: {missing}.", e.message);
        return Err(e);
    }
    let oidc = ["openid", "profile", "email", "offline_access"];
    let permissions: Vec<String> = held
        .iter()
        .filter(|s| !oidc.contains(&s.to_ascii_lowercase().as_str()))
        .cloned()
        .collect();
    let lifetime_secs = world.knobs.access_token_lifetime_secs;
    let spa_refresh_lifetime_ms = world.knobs.spa_refresh_token_lifetime_secs as i64 * 1000;
    let access_token = tokens::access_token(
        ctx.sim.signer,
        &AccessTokenInput {
            base_url: &ctx.meta.base_url,
            tenant_id: &tenant.id,
            client_id: d.client_id,
            resource: &resource.sp,
            user: Some(&user),
            permissions: &permissions,
            now_ms: ctx.now,
            lifetime_secs,
        },
    );
    let prefix = if resource.is_graph() {
        String::new()
    } else {
        format!("{}/", tokens::audience(&resource.sp))
    };
    let mut scope_out: Vec<String> = permissions.iter().map(|p| format!("{prefix}{p}")).collect();
    scope_out.extend(requested.oidc.iter().cloned());
    let mut body = json!({
        "token_type": "Bearer",
        "scope": scope_out.join(" "),
        "expires_in": lifetime_secs,
        "ext_expires_in": lifetime_secs,
        "access_token": access_token,
    });
    if requested.has("openid") {
        body["id_token"] = json!(tokens::id_token(
            ctx.sim.signer,
            &IdTokenInput {
                base_url: &ctx.meta.base_url,
                tenant_id: &tenant.id,
                user: &user,
                client_id: d.client_id,
                nonce: d.nonce,
                profile: requested.has("profile"),
                email: requested.has("email"),
                now_ms: ctx.now,
                auth_time_ms: d.auth_time_ms,
            },
        ));
    }
    if d.client_info {
        body["client_info"] =
            json!(URL_SAFE_NO_PAD.encode(json!({ "uid": user.id, "utid": tenant.id }).to_string()));
    }
    if requested.has("offline_access") {
        let expires_ms = d.spa.then(|| {
            d.refresh_expiry
                .unwrap_or(d.auth_time_ms + spa_refresh_lifetime_ms)
        });
        let rt = random::opaque_token(64);
        world.refresh_tokens.insert(
            rt.clone(),
            RefreshGrant {
                client_id: d.client_id.to_owned(),
                tenant_id: d.tenant_id.to_owned(),
                user_id: d.user_id.to_owned(),
                spa: d.spa,
                auth_time_ms: d.auth_time_ms,
                expires_ms,
                scope: d.scope.to_owned(),
                client_info: d.client_info,
            },
        );
        body["refresh_token"] = json!(rt);
        if let Some(exp) = expires_ms {
            body["refresh_token_expires_in"] = json!(((exp - ctx.now) / 1000).max(0));
        }
    }
    Ok(body)
}

fn authorization_code(
    world: &mut World,
    ctx: &Ctx,
    auth: &Authority,
    params: &Params,
) -> Result<Value, AuthError> {
    let code_value = param(params, "code").ok_or_else(|| errors::missing_parameter("code"))?;
    let client_id = ctx.client_id(params)?;
    let invalid_code = || {
        AuthError::new(
            "invalid_grant",
            70000,
            "The provided value for the 'code' parameter is not valid.",
        )
    };
    let code = world
        .codes
        .get(code_value)
        .cloned()
        .ok_or_else(invalid_code)?;
    if code.used {
        return Err(AuthError::new(
            "invalid_grant",
            54005,
            "OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.",
        ));
    }
    if ctx.now - code.issued_ms > world.knobs.code_lifetime_secs as i64 * 1000 {
        return Err(AuthError::new(
            "invalid_grant",
            70008,
            "The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.",
        ));
    }
    if !code.client_id.eq_ignore_ascii_case(&client_id) {
        return Err(invalid_code());
    }
    if !auth.allows(&code.tenant_id) {
        return Err(AuthError::new(
            "invalid_grant",
            700005,
            "Provided Authorization Code is intended to use against other tenant, thus rejected.",
        ));
    }
    let redirect_uri =
        param(params, "redirect_uri").ok_or_else(|| errors::missing_parameter("redirect_uri"))?;
    if redirect_uri != code.redirect_uri {
        return Err(AuthError::new(
            "invalid_grant",
            500112,
            format!(
                "The reply address '{redirect_uri}' does not match the reply address '{}' provided when requesting Authorization code.",
                code.redirect_uri
            ),
        ));
    }
    match (code.platform, ctx.origin) {
        ("spa", None) => return Err(spa_only()),
        ("spa", Some(_)) => {}
        (_, Some(origin)) => return Err(cross_origin_refused(origin)),
        _ => {}
    }
    if let Some(challenge) = &code.code_challenge {
        let verifier = param(params, "code_verifier")
            .ok_or_else(|| errors::missing_parameter("code_verifier"))?;
        let computed = match code.code_challenge_method.as_deref() {
            Some("S256") => URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes())),
            _ => verifier.to_owned(),
        };
        if &computed != challenge {
            return Err(AuthError::new(
                "invalid_grant",
                501481,
                "The Code_Verifier does not match the code_challenge supplied in the authorization request.",
            ));
        }
    }
    if code.platform == "web" {
        check_secret(world, ctx, &client_id, param(params, "client_secret"))?;
    }
    // A failed redemption leaves the code usable; a successful one consumes it.
    let scope = param(params, "scope")
        .map(str::to_owned)
        .unwrap_or_else(|| first_resource_scope(&code.scope));
    let body = delegated_response(
        world,
        ctx,
        &Delegated {
            tenant_id: &code.tenant_id,
            user_id: &code.user_id,
            client_id: &code.client_id,
            scope: &merge_oidc(&scope, &code.scope),
            nonce: code.nonce.as_deref(),
            auth_time_ms: code.auth_time_ms,
            spa: code.platform == "spa",
            refresh_expiry: None,
            client_info: code.client_info,
        },
    )?;
    if let Some(c) = world.codes.get_mut(code_value) {
        c.used = true;
    }
    Ok(body)
}

/// Without `scope` at the token endpoint, the token is for the first resource of the
/// original request (OIDC scopes kept).
fn first_resource_scope(original: &str) -> String {
    let requested = scopes::parse(original);
    let mut parts: Vec<String> = requested.oidc.clone();
    if let Some((resource, values)) = requested.resources.first() {
        parts.extend(
            values
                .iter()
                .map(|v| format!("{}/{v}", resource.trim_end_matches('/'))),
        );
    }
    parts.join(" ")
}

/// ID and refresh tokens follow the OIDC scopes of the sign-in, even when the token
/// request's `scope` lists only resource scopes.
fn merge_oidc(scope: &str, original: &str) -> String {
    let mut out: Vec<String> = scope.split_whitespace().map(str::to_owned).collect();
    for s in scopes::parse(original).oidc {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&s)) {
            out.push(s);
        }
    }
    out.join(" ")
}

fn refresh_token(
    world: &mut World,
    ctx: &Ctx,
    auth: &Authority,
    params: &Params,
) -> Result<Value, AuthError> {
    let rt_value =
        param(params, "refresh_token").ok_or_else(|| errors::missing_parameter("refresh_token"))?;
    let client_id = ctx.client_id(params)?;
    let grant = world.refresh_tokens.get(rt_value).cloned().ok_or_else(|| {
        AuthError::new(
            "invalid_grant",
            9002313,
            "Invalid request. Request is malformed or invalid.",
        )
    })?;
    if !grant.client_id.eq_ignore_ascii_case(&client_id) {
        return Err(AuthError::new(
            "invalid_grant",
            70000,
            "The provided grant is invalid or malformed.",
        ));
    }
    if !auth.allows(&grant.tenant_id) {
        return Err(AuthError::new(
            "invalid_grant",
            700005,
            "Provided refresh token is intended to use against other tenant, thus rejected.",
        ));
    }
    match (grant.spa, ctx.origin) {
        (true, None) => return Err(spa_only()),
        (false, Some(origin)) => return Err(cross_origin_refused(origin)),
        _ => {}
    }
    if grant.expires_ms.is_some_and(|e| ctx.now >= e) {
        return Err(AuthError::new(
            "invalid_grant",
            700084,
            format!(
                "The refresh token was issued to a single page app (SPA), and therefore has a fixed, limited lifetime of 1.00:00:00, \
                 which cannot be extended. It is now expired and a new sign in request must be sent by the SPA to the sign in page. \
                 The token was issued on {}.",
                clock::rfc3339(grant.auth_time_ms)
            ),
        ));
    }
    let scope = param(params, "scope")
        .map(str::to_owned)
        .unwrap_or_else(|| first_resource_scope(&grant.scope));
    delegated_response(
        world,
        ctx,
        &Delegated {
            tenant_id: &grant.tenant_id,
            user_id: &grant.user_id,
            client_id: &grant.client_id,
            scope: &scope,
            nonce: None,
            auth_time_ms: grant.auth_time_ms,
            spa: grant.spa,
            refresh_expiry: grant.expires_ms,
            client_info: grant.client_info,
        },
    )
}

fn client_credentials(
    world: &mut World,
    ctx: &Ctx,
    auth: &Authority,
    params: &Params,
) -> Result<Value, AuthError> {
    let Authority::Tenant(tenant_id) = auth else {
        return Err(AuthError::new(
            "invalid_request",
            50059,
            "No tenant-identifying information found in either the request or implied by any provided credentials.",
        ));
    };
    if let Some(origin) = ctx.origin {
        return Err(cross_origin_refused(origin));
    }
    let client_id = ctx.client_id(params)?;
    let tenant = world.dir.tenant(tenant_id).expect("resolved tenant");
    super::find_client(world, auth, &client_id)?;
    check_secret(world, ctx, &client_id, param(params, "client_secret"))?;
    let scope = param(params, "scope").ok_or_else(|| errors::missing_parameter("scope"))?;
    let resource_id = match scope.split_whitespace().collect::<Vec<_>>().as_slice() {
        [single] => single.strip_suffix("/.default"),
        _ => None,
    }
    .ok_or_else(|| {
        AuthError::new(
            "invalid_scope",
            1002012,
            format!(
                "The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default \
                 suffixed to the resource identifier (application ID URI)."
            ),
        )
    })?;
    let visible_before = world.visible_before();
    let client_sp: Record = tenant.sp_by_app_id(&client_id, visible_before).cloned().ok_or_else(|| {
        AuthError::new(
            "invalid_client",
            7000229,
            format!(
                "The client application {client_id} is missing service principal in the tenant {tenant_id}. See instructions here: \
                 https://go.microsoft.com/fwlink/?linkid=2225119"
            ),
        )
    })?;
    let resource = tenant.resource_sp(resource_id, visible_before).cloned().ok_or_else(|| {
        AuthError::new(
            "invalid_resource",
            500011,
            format!(
                "The resource principal named {resource_id} was not found in the tenant named {}. This can happen if the \
                 application has not been installed by the administrator of the tenant or consented to by any user in the tenant. \
                 You might have sent your authentication request to the wrong tenant.",
                tenant.display_name
            ),
        )
    })?;
    let roles: Vec<String> = tenant
        .assigned_app_roles(client_sp.id(), &resource)
        .into_iter()
        .collect();
    let lifetime = world.knobs.access_token_lifetime_secs;
    let access_token = tokens::access_token(
        ctx.sim.signer,
        &AccessTokenInput {
            base_url: &ctx.meta.base_url,
            tenant_id: &tenant.id,
            client_id: &client_id,
            resource: &resource,
            user: None,
            permissions: &roles,
            now_ms: ctx.now,
            lifetime_secs: lifetime,
        },
    );
    Ok(json!({
        "token_type": "Bearer",
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": access_token,
    }))
}
