//! `/servicePrincipals`: create (including first-party resources missing from a tenant),
//! read by id or `appId`, upsert, update, delete (graph-facts §5).

use std::sync::LazyLock;

use serde_json::{Map, Value};

use super::applications::{READ, WRITE};
use super::auth::{Caller, APP_MANAGER_ROLES};
use super::odata::{Query, Resource};
use super::response::{GraphError, GraphRequest, GraphResponse, GraphResult};
use super::{created, entity, list_visible, position_by_key, Key};
use crate::directory::{application, service_principal, Record, Stored};
use crate::state::World;
use crate::{clock, random};

const SET: &str = "servicePrincipals";

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

/// What `$select` may name: the properties every service principal body has.
static PROPERTIES: LazyLock<Vec<String>> = LazyLock::new(|| {
    service_principal::base_body("", "")
        .keys()
        .cloned()
        .collect()
});

/// Index of the service principal a key addresses, as the replica serving a read at
/// `visible_before` sees it.
pub fn find(
    world: &World,
    caller: &Caller,
    key: &Key,
    visible_before: i64,
) -> Result<usize, GraphError> {
    position_by_key(
        &caller.tenant(world).service_principals,
        key,
        visible_before,
    )
    .ok_or_else(|| GraphError::not_found(key.describe()))
}

pub fn list(world: &mut World, caller: &Caller, req: &GraphRequest) -> GraphResult {
    caller.require_any(&READ)?;
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &PROPERTIES[..])?;
    let service_principals = &caller.tenant(world).service_principals;
    Ok(list_visible(
        req,
        SET,
        &query,
        service_principals,
        world.visible_before(),
    ))
}

pub fn get(world: &mut World, caller: &Caller, req: &GraphRequest, key: &Key) -> GraphResult {
    caller.require_any(&READ)?;
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &PROPERTIES[..])?;
    let index = find(world, caller, key, world.visible_before())?;
    let sp = &caller.tenant(world).service_principals[index];
    Ok(GraphResponse::ok(entity(req, SET, &query, &sp.body)))
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
    let location = format!("{}/v1.0/{SET}/{}", req.base_url, sp.id());
    Ok(created(req, SET, &sp.body).with_header("Location", location))
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
    let now = world.now_ms();
    let visible_before = world.visible_before();
    let tenant = caller.tenant(world);
    if tenant.sp_by_app_id(app_id, i64::MAX).is_some() {
        return Err(GraphError::conflict(format!(
            "The service principal cannot be created, updated, or restored because the service principal name {app_id} is already in use."
        )));
    }
    let id = random::guid();
    let created = clock::rfc3339(now);
    let tenant_id = &tenant.id;
    let body = if let Some(app) = tenant.application_by_app_id(app_id, visible_before) {
        // Owners of a single-tenant app may instantiate it; anything else needs an app admin
        // role (graph-facts §2.1).
        let owned = caller
            .user_id
            .as_ref()
            .is_some_and(|u| app.owners.iter().any(|o| o.eq_ignore_ascii_case(u)));
        if !owned || app.is_multi_tenant() {
            caller.require_role(world, &APP_MANAGER_ROLES)?;
        }
        service_principal::body_for_application(&id, app, tenant_id, &created)
    } else if let Some(fp) = world.dir.first_party_app(app_id) {
        caller.require_role(world, &APP_MANAGER_ROLES)?;
        service_principal::first_party_body(&id, fp, &created)
    } else {
        let foreign = world
            .dir
            .replicated_application(app_id, visible_before)
            .filter(|(home, app)| home.id != *tenant_id && app.is_multi_tenant());
        let Some((home, app)) = foreign else {
            return Err(no_backing_application(app_id));
        };
        caller.require_role(world, &APP_MANAGER_ROLES)?;
        service_principal::body_for_application(&id, app, &home.id, &created)
    };
    let mut record = Record::delayed(body, now, world.draw_replication_delay());
    application::merge_patch(&mut record.body, &props);
    caller
        .tenant_mut(world)
        .service_principals
        .push(record.clone());
    Ok(record)
}

/// Delegated callers manage service principals of applications they own, or any with an
/// app-management role.
fn require_manage(world: &World, caller: &Caller, sp: &Record) -> Result<(), GraphError> {
    let tenant = caller.tenant(world);
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
            return Ok(created(req, SET, &sp.body));
        }
        Err(e) => return Err(e),
    };
    service_principal::validate_properties(&props, false)?;
    require_manage(
        world,
        caller,
        &caller.tenant(world).service_principals[index],
    )?;
    let sp = &mut caller.tenant_mut(world).service_principals[index];
    application::merge_patch(&mut sp.body, &props);
    Ok(GraphResponse::no_content())
}

pub fn delete(world: &mut World, caller: &Caller, key: &Key) -> GraphResult {
    caller.require_any(&WRITE)?;
    let index = find(world, caller, key, world.visible_before())?;
    let sp = &caller.tenant(world).service_principals[index];
    require_manage(world, caller, sp)?;
    let id = sp.id().to_owned();
    caller.tenant_mut(world).delete_sp(&id);
    Ok(GraphResponse::no_content())
}
