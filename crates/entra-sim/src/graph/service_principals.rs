//! `/servicePrincipals`: create (including first-party resources missing from a tenant),
//! read by id or `appId`, upsert, update, delete (graph-facts §5).

use axum::http::StatusCode;
use serde_json::{Map, Value};

use super::applications::{READ, WRITE};
use super::auth::{Caller, APP_MANAGER_ROLES};
use super::odata::{matches, Query, Resource};
use super::response::{GraphError, GraphRequest, GraphResponse, GraphResult};
use super::{collection, entity, Key};
use crate::directory::{service_principal, Record};
use crate::state::World;
use crate::{clock, random};

pub const RESOURCE: Resource = Resource {
    type_name: "servicePrincipal",
    filterable: &[
        "id",
        "appId",
        "displayName",
        "servicePrincipalType",
        "accountEnabled",
        "tags/any",
        "servicePrincipalNames/any",
    ],
};

fn known_properties() -> Vec<String> {
    let fp = crate::seed::FirstPartyApp {
        app_id: String::new(),
        display_name: String::new(),
        app_owner_organization_id: String::new(),
        service_principal_names: Vec::new(),
        oauth2_permission_scopes: Vec::new(),
        app_roles: Vec::new(),
    };
    service_principal::first_party_body("", &fp, "")
        .keys()
        .cloned()
        .collect()
}

fn tenant_index(world: &World, caller: &Caller) -> usize {
    world
        .dir
        .tenant_index(&caller.tenant_id)
        .expect("authenticated callers have a tenant")
}

/// Index of the service principal a key addresses, as the serving replica sees it.
pub fn find(
    world: &World,
    caller: &Caller,
    key: &Key,
    visible_before: i64,
) -> Result<usize, GraphError> {
    let tenant = &world.dir.tenants[tenant_index(world, caller)];
    tenant
        .service_principals
        .iter()
        .position(|s| {
            s.visible(visible_before)
                && match key {
                    Key::Id(id) => s.id().eq_ignore_ascii_case(id),
                    Key::AppId(app_id) => s.str("appId").eq_ignore_ascii_case(app_id),
                    Key::UniqueName(_) => false,
                }
        })
        .ok_or_else(|| GraphError::not_found(key.describe()))
}

pub fn list(world: &mut World, caller: &Caller, req: &GraphRequest) -> GraphResult {
    caller.require_any(&READ)?;
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &known_properties())?;
    let visible_before = world.visible_before();
    let tenant = &world.dir.tenants[tenant_index(world, caller)];
    let items = tenant
        .service_principals
        .iter()
        .filter(|s| s.visible(visible_before))
        .filter(|s| query.filter.as_ref().is_none_or(|f| matches(f, &s.body)))
        .map(|s| s.body.clone())
        .collect();
    Ok(collection(req, "servicePrincipals", &query, items))
}

pub fn get(world: &mut World, caller: &Caller, req: &GraphRequest, key: &Key) -> GraphResult {
    caller.require_any(&READ)?;
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &known_properties())?;
    let index = find(world, caller, key, world.visible_before())?;
    let sp = &world.dir.tenants[tenant_index(world, caller)].service_principals[index];
    Ok(GraphResponse::ok(entity(
        req,
        "servicePrincipals",
        &query,
        &sp.body,
    )))
}

pub fn create(world: &mut World, caller: &Caller, req: &GraphRequest) -> GraphResult {
    caller.require_any(&WRITE)?;
    let props = req.json_object()?;
    let app_id = props
        .get("appId")
        .and_then(Value::as_str)
        .ok_or_else(|| {
            GraphError::bad_request(
                "Invalid value specified for property 'appId' of resource 'ServicePrincipal'.",
            )
        })?
        .to_owned();
    let sp = create_service_principal(world, caller, &app_id, props)?;
    let location = format!("{}/v1.0/servicePrincipals/{}", req.base_url, sp.id());
    Ok(GraphResponse::created(entity(
        req,
        "servicePrincipals",
        &Query::default(),
        &sp.body,
    ))
    .with_header("Location", location))
}

fn no_backing_application(app_id: &str) -> GraphError {
    let message = format!("The appId '{app_id}' of the service principal does not reference a valid application object.");
    GraphError::bad_request(message.clone()).detail(
        "NoBackingApplicationObject",
        &message,
        Some("appId"),
    )
}

fn create_service_principal(
    world: &mut World,
    caller: &Caller,
    app_id: &str,
    mut props: Map<String, Value>,
) -> Result<Record, GraphError> {
    service_principal::validate_properties(&props, true)?;
    props.remove("appId");
    let ti = tenant_index(world, caller);
    let now = world.now_ms();
    let visible_before = world.visible_before();
    if world.dir.tenants[ti]
        .sp_by_app_id(app_id, i64::MAX)
        .is_some()
    {
        return Err(GraphError::conflict(format!(
            "The service principal cannot be created, updated, or restored because the service principal name {app_id} is already in use."
        )));
    }
    let id = random::guid();
    let created = clock::rfc3339(now);
    let tenant_id = world.dir.tenants[ti].id.clone();
    let body =
        if let Some(app) = world.dir.tenants[ti].application_by_app_id(app_id, visible_before) {
            // Owners of a single-tenant app may instantiate it; anything else needs an app admin
            // role (graph-facts §2.1).
            let owned = caller
                .user_id
                .as_ref()
                .is_some_and(|u| app.owners.iter().any(|o| o.eq_ignore_ascii_case(u)));
            if !owned || app.is_multi_tenant() {
                caller.require_role(world, &APP_MANAGER_ROLES)?;
            }
            service_principal::body_for_application(&id, app, &tenant_id, &created)
        } else if let Some(fp) = world.dir.first_party_app(app_id) {
            caller.require_role(world, &APP_MANAGER_ROLES)?;
            service_principal::first_party_body(&id, fp, &created)
        } else {
            let foreign = world
                .dir
                .tenants
                .iter()
                .filter(|t| t.id != tenant_id)
                .find_map(|t| {
                    t.application_by_app_id(app_id, visible_before)
                        .map(|a| (t.id.clone(), a))
                })
                .filter(|(_, a)| a.is_multi_tenant());
            let Some((home, app)) = foreign else {
                return Err(no_backing_application(app_id));
            };
            caller.require_role(world, &APP_MANAGER_ROLES)?;
            service_principal::body_for_application(&id, app, &home, &created)
        };
    let mut record = Record::new(body, now);
    crate::directory::application::merge_patch(&mut record.body, &props);
    world.dir.tenants[ti]
        .service_principals
        .push(record.clone());
    Ok(record)
}

/// Delegated callers manage service principals of applications they own, or any with an
/// app-management role.
fn require_manage(world: &World, caller: &Caller, sp: &Record) -> Result<(), GraphError> {
    let tenant = &world.dir.tenants[tenant_index(world, caller)];
    let owned = caller.user_id.as_ref().is_some_and(|u| {
        tenant
            .application_by_app_id(sp.str("appId"), i64::MAX)
            .is_some_and(|a| a.owners.iter().any(|o| o.eq_ignore_ascii_case(u)))
    });
    if owned {
        Ok(())
    } else {
        caller.require_role(world, &APP_MANAGER_ROLES)
    }
}

pub fn update(world: &mut World, caller: &Caller, req: &GraphRequest, key: &Key) -> GraphResult {
    caller.require_any(&WRITE)?;
    let props = req.json_object()?;
    let upsert = matches!(key, Key::AppId(_)) && req.prefers_create_if_missing();
    // Like application upserts, the upsert is served by the primary.
    let visible_before = if upsert {
        i64::MAX
    } else {
        world.visible_before()
    };
    let index = match find(world, caller, key, visible_before) {
        Ok(i) => i,
        Err(_) if upsert => {
            let sp = create_service_principal(world, caller, key.describe(), props)?;
            let mut r = GraphResponse::created(entity(
                req,
                "servicePrincipals",
                &Query::default(),
                &sp.body,
            ));
            r.status = StatusCode::CREATED;
            return Ok(r);
        }
        Err(e) => return Err(e),
    };
    service_principal::validate_properties(&props, false)?;
    let ti = tenant_index(world, caller);
    require_manage(
        world,
        caller,
        &world.dir.tenants[ti].service_principals[index],
    )?;
    let sp = &mut world.dir.tenants[ti].service_principals[index];
    crate::directory::application::merge_patch(&mut sp.body, &props);
    Ok(GraphResponse::no_content())
}

pub fn delete(world: &mut World, caller: &Caller, key: &Key) -> GraphResult {
    caller.require_any(&WRITE)?;
    let index = find(world, caller, key, world.visible_before())?;
    let ti = tenant_index(world, caller);
    require_manage(
        world,
        caller,
        &world.dir.tenants[ti].service_principals[index],
    )?;
    let id = world.dir.tenants[ti].service_principals[index]
        .id()
        .to_owned();
    world.dir.tenants[ti].delete_sp(&id);
    Ok(GraphResponse::no_content())
}
