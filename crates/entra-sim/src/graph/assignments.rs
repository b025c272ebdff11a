//! App role assignments (application permissions) under `/servicePrincipals/{id}/`:
//! `appRoleAssignments` (the client's side) and `appRoleAssignedTo` (the resource's side),
//! graph-facts §6.2.

use serde_json::Value;

use super::auth::{Caller, DELEGATED_GRANT_ROLES, GRAPH_APP_ROLE_ROLES};
use super::odata::{Query, Resource};
use super::replication;
use super::response::{GraphError, GraphRequest, GraphResponse, GraphResult};
use super::{created, entity, list_visible, service_principals, Key};
use crate::directory::{consent, sp_app_role_by_id, Record, Stored};
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

    /// The entity set of this side of the service principal with `sp_id`.
    fn set(self, sp_id: &str) -> String {
        format!("servicePrincipals('{sp_id}')/{}", self.segment())
    }

    /// Whether the assignment hangs off the service principal the path names.
    fn holds(self, assignment: &Record, sp_id: &str) -> bool {
        assignment.str(self.field()).eq_ignore_ascii_case(sp_id)
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

/// What `$select` may name.
const PROPERTIES: [&str; 9] = [
    "id",
    "deletedDateTime",
    "appRoleId",
    "createdDateTime",
    "principalDisplayName",
    "principalId",
    "principalType",
    "resourceDisplayName",
    "resourceId",
];

/// The service principal the path names.
fn path_sp<'w>(world: &'w World, caller: &Caller, key: &Key) -> Result<&'w Record, GraphError> {
    let index = service_principals::find(world, caller, key, world.visible_before())?;
    Ok(&caller.tenant(world).service_principals[index])
}

/// The assignment `id` on the path's side of `sp_id`, as the serving replica sees it.
/// Assignment ids are case-sensitive (base64url).
fn find<'w>(
    world: &'w World,
    caller: &Caller,
    sp_id: &str,
    side: Side,
    id: &str,
) -> Result<&'w Record, GraphError> {
    let visible_before = world.visible_before();
    caller
        .tenant(world)
        .assignments
        .iter()
        .find(|a| a.visible(visible_before) && a.id() == id && side.holds(a, sp_id))
        .ok_or_else(|| GraphError::not_found(id))
}

pub fn list(
    world: &mut World,
    caller: &Caller,
    req: &GraphRequest,
    key: &Key,
    side: Side,
) -> GraphResult {
    caller.require_any(&READ)?;
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &PROPERTIES)?;
    let sp_id = path_sp(world, caller, key)?.id();
    let assignments = caller
        .tenant(world)
        .assignments
        .iter()
        .filter(|a| side.holds(a, sp_id));
    Ok(list_visible(
        req,
        &side.set(sp_id),
        &query,
        assignments,
        world.visible_before(),
    ))
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
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &PROPERTIES)?;
    let sp_id = path_sp(world, caller, key)?.id();
    let assignment = find(world, caller, sp_id, side, id)?;
    Ok(GraphResponse::ok(entity(
        req,
        &side.set(sp_id),
        &query,
        &assignment.body,
    )))
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
        return Err(GraphError::unknown_property(k));
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
    let path_sp_id = path_sp(world, caller, key)?.id();
    let named = match side {
        Side::Principal => &principal_id,
        Side::Resource => &resource_id,
    };
    if !named.eq_ignore_ascii_case(path_sp_id) {
        return Err(GraphError::bad_request(format!(
            "The {} in the request body does not match the service principal in the request URL.",
            side.field()
        )));
    }
    let visible_before = world.visible_before();
    let tenant = caller.tenant(world);
    // The path's side was found above; the other side is a reference in the body.
    let principal = tenant
        .sp(&principal_id, visible_before)
        .ok_or_else(|| replication::unseen_assignment_reference(world, &principal_id))?;
    let resource = tenant
        .sp(&resource_id, visible_before)
        .ok_or_else(|| replication::unseen_assignment_reference(world, &resource_id))?;
    caller.require_role(world, roles_for(resource))?;
    let role_ok = sp_app_role_by_id(resource, &app_role_id).is_some_and(|r| {
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
    if tenant.has_assignment(&principal_id, &resource_id, &app_role_id) {
        return Err(GraphError::bad_request(
            "Permission being assigned already exists on the object",
        ));
    }
    let now = world.now_ms();
    let assignment = consent::assignment_body(
        &random::graph_key(),
        &app_role_id,
        &clock::rfc3339(now),
        principal,
        resource,
    );
    let response = created(req, &side.set(path_sp_id), &assignment);
    let record = Record::delayed(assignment, now, world.draw_replication_delay());
    caller.tenant_mut(world).assignments.push(record);
    Ok(response)
}

pub fn delete(world: &mut World, caller: &Caller, key: &Key, side: Side, id: &str) -> GraphResult {
    caller.require_any(&WRITE)?;
    let sp_id = path_sp(world, caller, key)?.id();
    let assignment = find(world, caller, sp_id, side, id)?;
    if let Some(resource) = caller
        .tenant(world)
        .sp(assignment.str("resourceId"), i64::MAX)
    {
        caller.require_role(world, roles_for(resource))?;
    }
    caller
        .tenant_mut(world)
        .assignments
        .retain(|a| a.id() != id);
    Ok(GraphResponse::no_content())
}
