//! `/oauth2PermissionGrants`: tenant-wide and per-user delegated consent (graph-facts §6.1).

use serde_json::{json, Map, Value};

use super::auth::{Caller, DELEGATED_GRANT_ROLES};
use super::odata::{Query, Resource};
use super::replication;
use super::response::{GraphError, GraphRequest, GraphResponse, GraphResult};
use super::{created, entity, list_visible};
use crate::directory::application::Invalid;
use crate::directory::{consent, sp_scope, Record, Stored};
use crate::random;
use crate::state::World;

const RESOURCE: Resource = Resource {
    type_name: "oAuth2PermissionGrant",
    filterable: &["id", "clientId", "resourceId", "consentType", "principalId"],
};

const READ: [&str; 4] = [
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "DelegatedPermissionGrant.ReadWrite.All",
    "DelegatedPermissionGrant.Read.All",
];
const WRITE: [&str; 2] = [
    "DelegatedPermissionGrant.ReadWrite.All",
    "Directory.ReadWrite.All",
];

/// `startTime`/`expiryTime` are legacy properties Graph still accepts and ignores.
const LEGACY: [&str; 2] = ["startTime", "expiryTime"];

/// What `$select` may name.
const PROPERTIES: [&str; 6] = [
    "id",
    "clientId",
    "consentType",
    "principalId",
    "resourceId",
    "scope",
];

const SET: &str = "oauth2PermissionGrants";

fn invalid(property: &str, reason: String) -> GraphError {
    Invalid {
        message: format!("Invalid value specified for property '{property}' of resource 'OAuth2PermissionGrant'."),
        target: Some(property.to_owned()),
        reason: Some(reason),
    }
    .into()
}

fn unknown_property(body: &Map<String, Value>, allowed: &[&str]) -> Result<(), GraphError> {
    match body.keys().find(|k| {
        !allowed.contains(&k.as_str()) && !LEGACY.contains(&k.as_str()) && !k.starts_with("@odata.")
    }) {
        Some(k) => Err(GraphError::unknown_property(k)),
        None => Ok(()),
    }
}

/// Every value in `scope` must be a delegated permission the resource exposes.
fn check_scope(resource: &Record, scope: &str) -> Result<(), GraphError> {
    for value in scope.split_whitespace() {
        if sp_scope(resource, value).is_none() {
            return Err(invalid(
                "scope",
                format!(
                    "The resource '{}' does not expose a delegated permission '{value}'.",
                    resource.str("appId")
                ),
            ));
        }
    }
    Ok(())
}

pub fn list(world: &mut World, caller: &Caller, req: &GraphRequest) -> GraphResult {
    caller.require_any(&READ)?;
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &PROPERTIES)?;
    let grants = &caller.tenant(world).grants;
    Ok(list_visible(
        req,
        SET,
        &query,
        grants,
        world.visible_before(),
    ))
}

/// Grant ids are case-sensitive (base64url), unlike object ids.
fn find(world: &World, caller: &Caller, id: &str) -> Result<usize, GraphError> {
    let visible_before = world.visible_before();
    caller
        .tenant(world)
        .grants
        .iter()
        .position(|g| g.visible(visible_before) && g.id() == id)
        .ok_or_else(|| GraphError::not_found(id))
}

pub fn get(world: &mut World, caller: &Caller, req: &GraphRequest, id: &str) -> GraphResult {
    caller.require_any(&READ)?;
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &PROPERTIES)?;
    let grant = &caller.tenant(world).grants[find(world, caller, id)?];
    Ok(GraphResponse::ok(entity(req, SET, &query, &grant.body)))
}

pub fn create(world: &mut World, caller: &Caller, req: &GraphRequest) -> GraphResult {
    caller.require_any(&WRITE)?;
    let body = req.json_object()?;
    unknown_property(
        &body,
        &[
            "clientId",
            "consentType",
            "principalId",
            "resourceId",
            "scope",
        ],
    )?;
    let guid = |name: &str| -> Result<String, GraphError> {
        body.get(name)
            .and_then(Value::as_str)
            .filter(|v| uuid::Uuid::parse_str(v).is_ok())
            .map(str::to_owned)
            .ok_or_else(|| invalid(name, format!("'{name}' must be an object id")))
    };
    let client_id = guid("clientId")?;
    let resource_id = guid("resourceId")?;
    let consent_type = match body.get("consentType").and_then(Value::as_str) {
        Some(t @ ("AllPrincipals" | "Principal")) => t.to_owned(),
        _ => {
            return Err(invalid(
                "consentType",
                "must be 'AllPrincipals' or 'Principal'".into(),
            ))
        }
    };
    let principal_id = match (consent_type.as_str(), body.get("principalId")) {
        ("AllPrincipals", None | Some(Value::Null)) => None,
        ("AllPrincipals", Some(_)) => {
            return Err(invalid(
                "principalId",
                "principalId must be null when consentType is 'AllPrincipals'".into(),
            ))
        }
        (_, Some(Value::String(p))) => Some(p.clone()),
        _ => {
            return Err(invalid(
                "principalId",
                "principalId is required when consentType is 'Principal'".into(),
            ))
        }
    };
    let scope = match body.get("scope") {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(_) => {
            return Err(invalid(
                "scope",
                "scope must be a space-separated string".into(),
            ))
        }
    };
    let visible_before = world.visible_before();
    let tenant = caller.tenant(world);
    tenant
        .sp(&client_id, visible_before)
        .ok_or_else(|| replication::unseen_grant_reference(world, &client_id))?;
    let resource = tenant
        .sp(&resource_id, visible_before)
        .ok_or_else(|| replication::unseen_grant_reference(world, &resource_id))?;
    if let Some(p) = &principal_id {
        tenant.user(p).ok_or_else(|| GraphError::not_found(p))?;
    }
    caller.require_role(world, &DELEGATED_GRANT_ROLES)?;
    check_scope(resource, &scope)?;
    let duplicate = tenant
        .grant_index(
            &client_id,
            &resource_id,
            &consent_type,
            principal_id.as_deref(),
        )
        .is_some();
    if duplicate {
        return Err(GraphError::conflict("Permission entry already exists."));
    }
    let now = world.now_ms();
    let grant = consent::grant_body(
        &random::graph_key(),
        &client_id,
        &consent_type,
        principal_id.as_deref(),
        &resource_id,
        &scope,
    );
    let response = created(req, SET, &grant);
    let record = Record::delayed(grant, now, world.draw_replication_delay());
    caller.tenant_mut(world).grants.push(record);
    Ok(response)
}

pub fn update(world: &mut World, caller: &Caller, req: &GraphRequest, id: &str) -> GraphResult {
    caller.require_any(&WRITE)?;
    let body = req.json_object()?;
    let index = find(world, caller, id)?;
    let tenant = caller.tenant(world);
    let grant = &tenant.grants[index];
    for fixed in ["clientId", "consentType", "principalId", "resourceId"] {
        if let Some(v) = body.get(fixed) {
            if v != grant.body.get(fixed).unwrap_or(&Value::Null) {
                return Err(GraphError::bad_request(format!(
                    "Property cannot be updated: {fixed}"
                )));
            }
        }
    }
    unknown_property(
        &body,
        &[
            "scope",
            "clientId",
            "consentType",
            "principalId",
            "resourceId",
        ],
    )?;
    caller.require_role(world, &DELEGATED_GRANT_ROLES)?;
    if let Some(scope) = body.get("scope") {
        let scope = scope
            .as_str()
            .ok_or_else(|| invalid("scope", "scope must be a space-separated string".into()))?
            .to_owned();
        let resource = tenant
            .sp(grant.str("resourceId"), i64::MAX)
            .ok_or_else(|| GraphError::not_found(grant.str("resourceId")))?;
        check_scope(resource, &scope)?;
        let grant = &mut caller.tenant_mut(world).grants[index];
        grant.body.insert("scope".into(), json!(scope));
    }
    Ok(GraphResponse::no_content())
}

pub fn delete(world: &mut World, caller: &Caller, id: &str) -> GraphResult {
    caller.require_any(&WRITE)?;
    let index = find(world, caller, id)?;
    caller.require_role(world, &DELEGATED_GRANT_ROLES)?;
    caller.tenant_mut(world).grants.remove(index);
    Ok(GraphResponse::no_content())
}
