//! App role assignments (application permissions) under `/servicePrincipals/{id}/`:
//! `appRoleAssignments` (the client's side) and `appRoleAssignedTo` (the resource's side),
//! graph-facts §6.2.

use serde_json::Value;

use super::auth::{Caller, DELEGATED_GRANT_ROLES, GRAPH_APP_ROLE_ROLES};
use super::odata::{matches, Query, Resource};
use super::response::{GraphError, GraphRequest, GraphResponse, GraphResult};
use super::{collection, entity, service_principals, Key};
use crate::directory::{consent, sp_app_role_by_id, Record};
use crate::ids::resources;
use crate::state::World;
use crate::{clock, random};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Side {
    /// `/servicePrincipals/{client}/appRoleAssignments`: the path names the principal.
    Principal,
    /// `/servicePrincipals/{resource}/appRoleAssignedTo`: the path names the resource.
    Resource,
}

impl Side {
    fn field(self) -> &'static str {
        match self {
            Side::Principal => "principalId",
            Side::Resource => "resourceId",
        }
    }

    fn segment(self) -> &'static str {
        match self {
            Side::Principal => "appRoleAssignments",
            Side::Resource => "appRoleAssignedTo",
        }
    }
}

const RESOURCE: Resource = Resource {
    type_name: "appRoleAssignment",
    filterable: &["id", "resourceId", "principalId", "appRoleId"],
};

const READ: [&str; 6] = [
    "Application.Read.All",
    "Application.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "AppRoleAssignment.ReadWrite.All",
    "AppRoleAssignment.Read.All",
];
const WRITE: [&str; 1] = ["AppRoleAssignment.ReadWrite.All"];
/// Assigning also needs to read the service principals involved (graph-facts §2.1).
const WRITE_ALSO_READ: [&str; 4] = [
    "Application.Read.All",
    "Application.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

fn known_properties() -> Vec<String> {
    [
        "id",
        "deletedDateTime",
        "appRoleId",
        "createdDateTime",
        "principalDisplayName",
        "principalId",
        "principalType",
        "resourceDisplayName",
        "resourceId",
    ]
    .map(str::to_owned)
    .to_vec()
}

fn path_sp(world: &World, caller: &Caller, key: &Key) -> Result<Record, GraphError> {
    let index = service_principals::find(world, caller, key, world.visible_before())?;
    Ok(world
        .dir
        .tenant(&caller.tenant_id)
        .expect("caller tenant")
        .service_principals[index]
        .clone())
}

pub fn list(
    world: &mut World,
    caller: &Caller,
    req: &GraphRequest,
    key: &Key,
    side: Side,
) -> GraphResult {
    caller.require_any(&READ)?;
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &known_properties())?;
    let sp = path_sp(world, caller, key)?;
    let visible_before = world.visible_before();
    let tenant = world.dir.tenant(&caller.tenant_id).expect("caller tenant");
    let items = tenant
        .assignments
        .iter()
        .filter(|a| a.visible(visible_before) && a.str(side.field()).eq_ignore_ascii_case(sp.id()))
        .filter(|a| query.filter.as_ref().is_none_or(|f| matches(f, &a.body)))
        .map(|a| a.body.clone())
        .collect();
    let set = format!("servicePrincipals('{}')/{}", sp.id(), side.segment());
    Ok(collection(req, &set, &query, items))
}

pub fn get(
    world: &mut World,
    caller: &Caller,
    req: &GraphRequest,
    key: &Key,
    side: Side,
    id: &str,
) -> GraphResult {
    caller.require_any(&READ)?;
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &known_properties())?;
    let sp = path_sp(world, caller, key)?;
    let visible_before = world.visible_before();
    let tenant = world.dir.tenant(&caller.tenant_id).expect("caller tenant");
    let a = tenant
        .assignments
        .iter()
        .find(|a| {
            a.visible(visible_before)
                && a.id() == id
                && a.str(side.field()).eq_ignore_ascii_case(sp.id())
        })
        .ok_or_else(|| GraphError::not_found(id))?;
    let set = format!("servicePrincipals('{}')/{}", sp.id(), side.segment());
    Ok(GraphResponse::ok(entity(req, &set, &query, &a.body)))
}

/// Directory roles a delegated caller needs to assign app roles of `resource`.
fn roles_for(resource: &Record) -> &'static [&'static str] {
    if resource
        .str("appId")
        .eq_ignore_ascii_case(resources::MICROSOFT_GRAPH)
    {
        &GRAPH_APP_ROLE_ROLES
    } else {
        &DELEGATED_GRANT_ROLES
    }
}

pub fn create(
    world: &mut World,
    caller: &Caller,
    req: &GraphRequest,
    key: &Key,
    side: Side,
) -> GraphResult {
    caller.require_any(&WRITE)?;
    caller.require_any(&WRITE_ALSO_READ)?;
    let body = req.json_object()?;
    if let Some(k) = body.keys().find(|k| {
        !["principalId", "resourceId", "appRoleId"].contains(&k.as_str())
            && !k.starts_with("@odata.")
    }) {
        return Err(GraphError::bad_request(format!(
            "Property '{k}' does not exist as a declared property or extension property."
        )));
    }
    let field = |name: &str| -> Result<String, GraphError> {
        body.get(name)
            .and_then(Value::as_str)
            .filter(|v| uuid::Uuid::parse_str(v).is_ok())
            .map(str::to_owned)
            .ok_or_else(|| {
                GraphError::bad_request(format!("Invalid value specified for property '{name}' of resource 'AppRoleAssignment'."))
            })
    };
    let (principal_id, resource_id, app_role_id) = (
        field("principalId")?,
        field("resourceId")?,
        field("appRoleId")?,
    );
    let path = path_sp(world, caller, key)?;
    let named = match side {
        Side::Principal => &principal_id,
        Side::Resource => &resource_id,
    };
    if !named.eq_ignore_ascii_case(path.id()) {
        return Err(GraphError::bad_request(format!(
            "The {} in the request body does not match the service principal in the request URL.",
            side.field()
        )));
    }
    let visible_before = world.visible_before();
    let tenant = world.dir.tenant(&caller.tenant_id).expect("caller tenant");
    let principal = tenant
        .sp(&principal_id, visible_before)
        .cloned()
        .ok_or_else(|| GraphError::not_found(&principal_id))?;
    let resource = tenant
        .sp(&resource_id, visible_before)
        .cloned()
        .ok_or_else(|| GraphError::not_found(&resource_id))?;
    caller.require_role(world, roles_for(&resource))?;
    let role_ok = sp_app_role_by_id(&resource, &app_role_id).is_some_and(|r| {
        r.get("allowedMemberTypes")
            .and_then(Value::as_array)
            .is_some_and(|t| t.iter().any(|m| m == "Application"))
    });
    if !role_ok {
        return Err(GraphError::bad_request(format!(
            "Permission being assigned was not found on application '{}'.",
            resource.str("appId")
        )));
    }
    let duplicate = tenant.assignments.iter().any(|a| {
        a.str("principalId").eq_ignore_ascii_case(&principal_id)
            && a.str("resourceId").eq_ignore_ascii_case(&resource_id)
            && a.str("appRoleId").eq_ignore_ascii_case(&app_role_id)
    });
    if duplicate {
        return Err(GraphError::bad_request(
            "Permission being assigned already exists on the object",
        ));
    }
    let now = world.now_ms();
    let assignment = consent::assignment_body(
        &random::graph_key(),
        &app_role_id,
        &clock::rfc3339(now),
        &principal,
        &resource,
    );
    let tenant = world
        .dir
        .tenant_mut(&caller.tenant_id)
        .expect("caller tenant");
    tenant
        .assignments
        .push(Record::new(assignment.clone(), now));
    let set = format!("servicePrincipals('{}')/{}", path.id(), side.segment());
    Ok(GraphResponse::created(entity(
        req,
        &set,
        &Query::default(),
        &assignment,
    )))
}

pub fn delete(world: &mut World, caller: &Caller, key: &Key, side: Side, id: &str) -> GraphResult {
    caller.require_any(&WRITE)?;
    let sp = path_sp(world, caller, key)?;
    let visible_before = world.visible_before();
    let tenant = world.dir.tenant(&caller.tenant_id).expect("caller tenant");
    let assignment = tenant
        .assignments
        .iter()
        .find(|a| {
            a.visible(visible_before)
                && a.id() == id
                && a.str(side.field()).eq_ignore_ascii_case(sp.id())
        })
        .cloned()
        .ok_or_else(|| GraphError::not_found(id))?;
    let resource = tenant.sp(assignment.str("resourceId"), i64::MAX).cloned();
    if let Some(resource) = &resource {
        caller.require_role(world, roles_for(resource))?;
    }
    let tenant = world
        .dir
        .tenant_mut(&caller.tenant_id)
        .expect("caller tenant");
    tenant.assignments.retain(|a| a.id() != id);
    Ok(GraphResponse::no_content())
}
