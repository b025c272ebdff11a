//! `GET /roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')`:
//! the Privileged Identity Management roles the signed-in user is eligible for and has not
//! activated (microsoft-graph-docs-contrib
//! api-reference/v1.0/api/unifiedroleeligibilityscheduleinstance-filterbycurrentuser.md:
//! "Get the instances of eligible roles for the calling principal."). Eligible roles grant
//! nothing until activated; the simulator has no activation.

use axum::http::StatusCode;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::auth::Caller;
use super::collection;
use super::me::delegated_only;
use super::odata::{Query, Resource};
use super::response::{GraphError, GraphRequest, GraphResult};
use crate::state::World;

/// Delegated permissions, least privileged first (the doc's permission table:
/// "RoleEligibilitySchedule.Read.Directory | RoleManagement.Read.Directory,
/// RoleManagement.Read.All, RoleEligibilitySchedule.ReadWrite.Directory,
/// RoleManagement.ReadWrite.Directory"). The docs' rbac include also names directory roles
/// for PIM reads; whether a user needs one to list their own eligibility is UNCONFIRMED,
/// and the simulator lets any signed-in user list their own.
pub const READ: [&str; 5] = [
    "RoleEligibilitySchedule.Read.Directory",
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "RoleEligibilitySchedule.ReadWrite.Directory",
    "RoleManagement.ReadWrite.Directory",
];

const PROPERTIES: [&str; 9] = [
    "id",
    "principalId",
    "roleDefinitionId",
    "directoryScopeId",
    "appScopeId",
    "startDateTime",
    "endDateTime",
    "memberType",
    "roleEligibilityScheduleId",
];

const RESOURCE: Resource = Resource {
    type_name: "unifiedRoleEligibilityScheduleInstance",
    filterable: &["id", "principalId", "roleDefinitionId", "directoryScopeId"],
};

/// Routes `rest` = the segments after `roleManagement`.
pub fn route(world: &mut World, caller: &Caller, req: &GraphRequest, rest: &[&str]) -> GraphResult {
    match rest {
        [directory, instances, function]
            if directory.eq_ignore_ascii_case("directory")
                && instances.eq_ignore_ascii_case("roleEligibilityScheduleInstances") =>
        {
            let on = function
                .strip_prefix("microsoft.graph.")
                .unwrap_or(function)
                .to_ascii_lowercase();
            let Some(argument) = on
                .strip_prefix("filterbycurrentuser(")
                .and_then(|a| a.strip_suffix(')'))
            else {
                return Err(GraphError::unknown_segment(function));
            };
            if argument.replace(' ', "") != "on='principal'" {
                return Err(GraphError::with_code(
                    StatusCode::BAD_REQUEST,
                    "BadRequest",
                    format!("The parameter value '{argument}' of function 'filterByCurrentUser' is not supported."),
                ));
            }
            if req.method != axum::http::Method::GET {
                return Err(GraphError::method_not_allowed());
            }
            eligible_for_current_user(world, caller, req)
        }
        _ => Err(GraphError::unknown_segment(
            rest.last().copied().unwrap_or("roleManagement"),
        )),
    }
}

/// A stable id for the (user, role) eligibility, shaped like Graph's base64url ids.
fn instance_id(user_id: &str, template: &str) -> String {
    let digest = Sha256::digest(format!("{user_id}/{template}").as_bytes());
    URL_SAFE_NO_PAD.encode(&digest[..16])
}

fn eligible_for_current_user(world: &World, caller: &Caller, req: &GraphRequest) -> GraphResult {
    let user_id = delegated_only(caller)?;
    caller.require_any(&READ)?;
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &PROPERTIES)?;
    let tenant = caller.tenant(world);
    let items: Vec<Map<String, Value>> = tenant
        .eligible_user_roles(user_id)
        .iter()
        .map(|template| {
            let id = instance_id(user_id, template);
            // Shape: the doc's example response and the
            // unifiedRoleEligibilityScheduleInstance resource ("Use `/` for tenant-wide
            // scope"; memberType `Direct` for a user's own eligibility; roleDefinitionId of
            // a built-in role is its template id).
            match json!({
                "@odata.type": "#microsoft.graph.unifiedRoleEligibilityScheduleInstance",
                "id": id,
                "principalId": user_id,
                "roleDefinitionId": template,
                "directoryScopeId": "/",
                "appScopeId": null,
                "startDateTime": tenant.created_date_time,
                "endDateTime": null,
                "memberType": "Direct",
                "roleEligibilityScheduleId": id,
            }) {
                Value::Object(m) => m,
                _ => unreachable!("literal object"),
            }
        })
        .filter(|item| {
            query
                .filter
                .as_ref()
                .is_none_or(|f| super::odata::matches(f, item))
        })
        .collect();
    Ok(collection(
        req,
        "Collection(unifiedRoleEligibilityScheduleInstance)",
        &query,
        items.iter().collect(),
    ))
}
