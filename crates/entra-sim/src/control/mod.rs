//! The control API under `/_sim/`: inspect and reset the directory, read the request log,
//! turn the behaviour knobs, move the clock, add redirect URIs. JSON shapes are
//! documented in the crate README.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{json, Value};

use crate::clock;
use crate::config::{FaultSpec, Knobs};
use crate::directory::{Stored, Tenant};
use crate::pipeline;
use crate::state::{Sim, World};
use crate::{ids, random};

pub fn routes() -> Router<Arc<Sim>> {
    Router::new()
        .route("/_sim/info", get(info))
        .route("/_sim/state", get(state))
        .route("/_sim/reset", post(reset))
        .route("/_sim/requests", get(requests).delete(clear_requests))
        .route(
            "/_sim/knobs",
            get(get_knobs).patch(patch_knobs).put(put_knobs),
        )
        .route(
            "/_sim/faults",
            get(get_faults).post(add_faults).delete(clear_faults),
        )
        .route("/_sim/faults/{id}", delete(remove_fault))
        .route("/_sim/clock", get(get_clock).post(move_clock))
        .route(
            "/_sim/clients/{app_id}/spa-redirect-uris",
            get(get_redirect_uris).post(add_redirect_uris),
        )
}

fn bad(message: impl Into<String>) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": message.into() })),
    )
        .into_response()
}

async fn info(State(sim): State<Arc<Sim>>, headers: HeaderMap) -> Json<Value> {
    let world = sim.lock();
    let base = pipeline::base_url(&headers);
    let tenants: Vec<Value> = world
        .dir
        .tenants
        .iter()
        .map(|t| {
            json!({
                "id": t.id,
                "displayName": t.display_name,
                "domain": t.default_domain(),
                "authority": format!("{base}/{}/v2.0", t.id),
                "users": t.users.iter().map(|u| json!({
                    "id": u.id,
                    "userPrincipalName": u.user_principal_name,
                    "signInName": u.sign_in_name(),
                    "userType": u.user_type,
                    "displayName": u.display_name,
                    "roles": role_names(&world, &t.user_roles(&u.id)),
                    "eligibleRoles": role_names(&world, &u.eligible_directory_roles),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    Json(json!({
        "base_url": base,
        "graph_base": format!("{base}/v1.0"),
        "assistant_client_id": ids::ASSISTANT_CLIENT_ID,
        "demo_tenant_id": ids::DEMO_TENANT_ID,
        "profile": sim.profile(),
        "random_seed": sim.random_seed,
        "tenants": tenants,
    }))
}

fn role_names(world: &World, templates: &[String]) -> Vec<Value> {
    templates
        .iter()
        .map(|t| {
            json!({
                "roleTemplateId": t,
                "displayName": world.dir.role_template(t).map(|r| r.display_name.clone()),
            })
        })
        .collect()
}

/// `createdAt`/`visibleAt` of a created object (`null` for seeded ones); `visibleAt`
/// counts its own delay and the fixed one.
fn timing(created_ms: i64, own_delay_ms: i64, fixed_delay_ms: u64) -> Value {
    if created_ms <= 0 {
        return json!({ "createdAt": null, "visibleAt": null, "replicationDelayMs": null });
    }
    json!({
        "createdAt": clock::rfc3339(created_ms),
        "visibleAt": clock::rfc3339(created_ms + own_delay_ms + fixed_delay_ms as i64),
        "replicationDelayMs": own_delay_ms + fixed_delay_ms as i64,
    })
}

fn with_meta(object: &impl Stored, fixed_delay_ms: u64, extra: Value) -> Value {
    let mut out = object.body().clone();
    let mut meta = timing(object.created_ms(), object.delay_ms(), fixed_delay_ms);
    if let (Some(m), Some(e)) = (meta.as_object_mut(), extra.as_object()) {
        m.extend(e.clone());
    }
    out.insert("_sim".into(), meta);
    Value::Object(out)
}

fn tenant_state(world: &World, t: &Tenant) -> Value {
    let delay = world.knobs.replication_delay_ms;
    json!({
        "id": t.id,
        "displayName": t.display_name,
        "verifiedDomains": t.verified_domains,
        "appManagementPolicy": t.policy,
        "usersCanRegisterApps": t.users_can_register_apps,
        "users": t.users.iter().map(|u| json!({
            "id": u.id,
            "displayName": u.display_name,
            "userPrincipalName": u.user_principal_name,
            "userType": u.user_type,
            "directoryRoles": role_names(world, &t.user_roles(&u.id)),
            "eligibleDirectoryRoles": role_names(world, &u.eligible_directory_roles),
        })).collect::<Vec<_>>(),
        "groups": t.groups.iter().map(|g| json!({
            "id": g.id,
            "displayName": g.display_name,
            "isAssignableToRole": g.is_assignable_to_role,
            "members": g.members,
            "directoryRoles": role_names(world, &g.directory_roles),
        })).collect::<Vec<_>>(),
        "applications": t.applications.iter().map(|a| with_meta(a, delay, json!({
            "owners": a.owners,
            "secrets": a.password_credentials().iter().map(|s| {
                let mut v = timing(s.created_ms, s.delay_ms, delay);
                v["keyId"] = json!(s.key_id);
                v
            }).collect::<Vec<_>>(),
        }))).collect::<Vec<_>>(),
        "servicePrincipals": t.service_principals.iter().map(|s| with_meta(s, delay, json!({}))).collect::<Vec<_>>(),
        "oauth2PermissionGrants": t.grants.iter().map(|g| with_meta(g, delay, json!({}))).collect::<Vec<_>>(),
        "appRoleAssignments": t.assignments.iter().map(|a| with_meta(a, delay, json!({}))).collect::<Vec<_>>(),
        "consentRecords": t.consents,
    })
}

#[derive(Deserialize)]
struct StateQuery {
    tenant: Option<String>,
}

async fn state(State(sim): State<Arc<Sim>>, Query(q): Query<StateQuery>) -> Response {
    let world = sim.lock();
    let tenants: Vec<Value> = world
        .dir
        .tenants
        .iter()
        .filter(|t| {
            q.tenant.as_deref().is_none_or(|k| {
                t.id.eq_ignore_ascii_case(k) || t.default_domain().eq_ignore_ascii_case(k)
            })
        })
        .map(|t| tenant_state(&world, t))
        .collect();
    Json(json!({
        "clock": world.clock.view(),
        "knobs": world.knobs,
        "tenants": tenants,
        "sessions": world.sessions.len(),
        "authorizationCodes": world.codes.len(),
        "refreshTokens": world.refresh_tokens.len(),
        "requests": world.log,
    }))
    .into_response()
}

async fn reset(State(sim): State<Arc<Sim>>) -> Json<Value> {
    sim.reset();
    Json(json!({ "reset": true }))
}

async fn requests(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(json!({ "requests": sim.lock().log }))
}

async fn clear_requests(State(sim): State<Arc<Sim>>) -> StatusCode {
    sim.lock().log.clear();
    StatusCode::NO_CONTENT
}

async fn get_knobs(State(sim): State<Arc<Sim>>) -> Json<Knobs> {
    Json(sim.lock().knobs.clone())
}

fn assign_fault_ids(knobs: &mut Knobs) {
    for f in &mut knobs.faults {
        if f.id.is_none() {
            f.id = Some(random::guid());
        }
    }
}

/// Merges the given fields into the current knobs (`null` clears `throttle`).
async fn patch_knobs(State(sim): State<Arc<Sim>>, Json(patch): Json<Value>) -> Response {
    let mut world = sim.lock();
    let Some(patch) = patch.as_object() else {
        return bad("expected a JSON object");
    };
    let mut current = match serde_json::to_value(&world.knobs) {
        Ok(Value::Object(m)) => m,
        _ => return bad("knobs are not serializable"),
    };
    for (k, v) in patch {
        current.insert(k.clone(), v.clone());
    }
    replace_knobs(&mut world, Value::Object(current))
}

async fn put_knobs(State(sim): State<Arc<Sim>>, Json(knobs): Json<Value>) -> Response {
    replace_knobs(&mut sim.lock(), knobs)
}

/// Installs `knobs` (assigning fault ids) and answers with them, or 400 if they are not
/// valid knobs.
fn replace_knobs(world: &mut World, knobs: Value) -> Response {
    match serde_json::from_value::<Knobs>(knobs) {
        Ok(mut knobs) => {
            assign_fault_ids(&mut knobs);
            world.knobs = knobs;
            Json(world.knobs.clone()).into_response()
        }
        Err(e) => bad(format!("invalid knobs: {e}")),
    }
}

async fn get_faults(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(json!({ "faults": sim.lock().knobs.faults }))
}

/// Adds one fault (an object) or several (an array); returns the active list.
async fn add_faults(State(sim): State<Arc<Sim>>, Json(body): Json<Value>) -> Response {
    let specs: Result<Vec<FaultSpec>, _> = match body {
        Value::Array(_) => serde_json::from_value(body),
        other => serde_json::from_value(other).map(|f| vec![f]),
    };
    match specs {
        Ok(specs) => {
            let mut world = sim.lock();
            world.knobs.faults.extend(specs);
            assign_fault_ids(&mut world.knobs);
            Json(json!({ "faults": world.knobs.faults })).into_response()
        }
        Err(e) => bad(format!("invalid fault: {e}")),
    }
}

async fn clear_faults(State(sim): State<Arc<Sim>>) -> StatusCode {
    sim.lock().knobs.faults.clear();
    StatusCode::NO_CONTENT
}

async fn remove_fault(State(sim): State<Arc<Sim>>, Path(id): Path<String>) -> StatusCode {
    let mut world = sim.lock();
    let before = world.knobs.faults.len();
    world
        .knobs
        .faults
        .retain(|f| f.id.as_deref() != Some(id.as_str()));
    if world.knobs.faults.len() < before {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::NOT_FOUND
    }
}

async fn get_clock(State(sim): State<Arc<Sim>>) -> Json<Value> {
    Json(json!(sim.lock().clock.view()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClockChange {
    #[serde(default)]
    advance_ms: Option<i64>,
    #[serde(default)]
    advance_secs: Option<i64>,
    #[serde(default)]
    freeze: Option<bool>,
}

async fn move_clock(State(sim): State<Arc<Sim>>, Json(change): Json<ClockChange>) -> Json<Value> {
    let mut world = sim.lock();
    match change.freeze {
        Some(true) => world.clock.freeze(),
        Some(false) => world.clock.unfreeze(),
        None => {}
    }
    let ms = change.advance_ms.unwrap_or(0) + change.advance_secs.unwrap_or(0) * 1000;
    world.clock.advance(ms);
    Json(json!(world.clock.view()))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RedirectUris {
    #[serde(default)]
    redirect_uris: Vec<String>,
    #[serde(default)]
    uri: Option<String>,
}

async fn get_redirect_uris(State(sim): State<Arc<Sim>>, Path(app_id): Path<String>) -> Response {
    let world = sim.lock();
    match world.dir.application_anywhere(&app_id) {
        Some((_, app)) => {
            Json(json!({ "app_id": app.app_id(), "redirect_uris": app.redirect_uris("spa") }))
                .into_response()
        }
        None => no_application(&app_id),
    }
}

fn no_application(app_id: &str) -> Response {
    (
        StatusCode::NOT_FOUND,
        Json(json!({ "error": format!("no application with appId {app_id}") })),
    )
        .into_response()
}

async fn add_redirect_uris(
    State(sim): State<Arc<Sim>>,
    Path(app_id): Path<String>,
    Json(body): Json<RedirectUris>,
) -> Response {
    let mut uris = body.redirect_uris;
    uris.extend(body.uri);
    if uris.is_empty() {
        return bad("give redirect_uris (array) or uri");
    }
    let mut world = sim.lock();
    if world.dir.application_anywhere(&app_id).is_none() {
        return no_application(&app_id);
    }
    match world.dir.add_spa_redirect_uris(&app_id, &uris) {
        Ok(list) => Json(json!({ "app_id": app_id, "redirect_uris": list })).into_response(),
        Err(e) => bad(e),
    }
}
