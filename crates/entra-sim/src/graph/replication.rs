//! How Graph answers a write whose body names an object the serving replica cannot see
//! (not replicated yet, or never created: a replica cannot tell the two apart).
//!
//! Real Graph answers these with 400, not only 404, and the battle-tested Graph client
//! behind Terraform's azuread provider retries exactly these forms (manicminer/hamilton
//! `msgraph/delegated_permission_grants_client.go` and `msgraph/app_role_assignments.go`,
//! matching the message constants of hashicorp/go-azure-sdk `sdk/odata/errors.go`
//! `ErrorResourceDoesNotExist` and `ErrorNotValidReferenceUpdate`). The realistic profile
//! (knob `replication_bad_requests`) answers them; the gentle profile keeps 404
//! `Request_ResourceNotFound` for every unseen reference.
//!
//! Other forms live where they happen: an unseen object in the path is 404
//! (`GraphError::not_found`), and `POST /servicePrincipals` for an unseen application is
//! 400 `NoBackingApplicationObject` (`service_principals.rs`).

use super::response::GraphError;
use crate::state::World;

/// `POST /oauth2PermissionGrants` naming a `clientId` or `resourceId` the replica cannot
/// see: 400 `Request_BadRequest` "Resource '<id>' does not exist or one of its queried
/// reference-property objects are not present." (go-azure-sdk `ErrorResourceDoesNotExist`,
/// retried on 400 by hamilton's `DelegatedPermissionGrantsClient.Create`).
pub fn unseen_grant_reference(world: &World, id: &str) -> GraphError {
    let not_found = GraphError::not_found(id);
    if world.knobs.replication_bad_requests {
        GraphError::bad_request(not_found.message)
    } else {
        not_found
    }
}

/// `POST /servicePrincipals/{id}/appRoleAssignedTo` (or `/appRoleAssignments`) whose body
/// names a `principalId`/`resourceId` the replica cannot see: 400 `Request_BadRequest`
/// "Not a valid reference update." (go-azure-sdk `ErrorNotValidReferenceUpdate`, retried
/// on 400 by hamilton's `AppRoleAssignedToClient.Assign`; the trailing period is how Graph
/// ends its messages, the constant is matched unanchored).
pub fn unseen_assignment_reference(world: &World, id: &str) -> GraphError {
    if world.knobs.replication_bad_requests {
        GraphError::bad_request("Not a valid reference update.")
    } else {
        GraphError::not_found(id)
    }
}
