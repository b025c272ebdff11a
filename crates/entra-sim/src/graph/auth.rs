//! Who is calling Graph and what they may do (graph-facts §2): the access token's scopes
//! (delegated `scp`) or app roles (`roles`), intersected for delegated calls with the
//! signed-in user's directory roles.

use std::collections::BTreeSet;

use serde_json::Value;

use super::response::GraphError;
use crate::directory::Tenant;
use crate::ids::roles;
use crate::jwt::Signer;
use crate::state::World;

/// Token audiences Graph accepts.
pub const GRAPH_AUDIENCES: [&str; 3] = [
    "https://graph.microsoft.com",
    "https://graph.microsoft.com/",
    "00000003-0000-0000-c000-000000000000",
];

#[derive(Debug, Clone)]
pub struct Caller {
    pub tenant_id: String,
    /// Signed-in user for delegated tokens; None for app-only tokens.
    pub user_id: Option<String>,
    /// `scp` values (delegated) or `roles` values (app-only).
    pub permissions: BTreeSet<String>,
}

impl Caller {
    pub fn is_delegated(&self) -> bool {
        self.user_id.is_some()
    }

    pub fn has_any(&self, permissions: &[&str]) -> bool {
        permissions.iter().any(|p| {
            self.permissions
                .iter()
                .any(|have| have.eq_ignore_ascii_case(p))
        })
    }

    /// 403 unless the token carries one of `permissions`.
    pub fn require_any(&self, permissions: &[&str]) -> Result<(), GraphError> {
        if self.has_any(permissions) {
            Ok(())
        } else {
            Err(GraphError::denied())
        }
    }

    /// For delegated calls: 403 unless the user holds one of the role templates.
    /// App-only calls are limited by their app roles alone.
    pub fn require_role(&self, world: &World, templates: &[&str]) -> Result<(), GraphError> {
        match &self.user_id {
            Some(user) if !self.tenant(world).user_has_any_role(user, templates) => {
                Err(GraphError::denied())
            }
            _ => Ok(()),
        }
    }

    /// The caller's tenant (authentication found it, and tenants are never removed).
    pub fn tenant<'w>(&self, world: &'w World) -> &'w Tenant {
        world
            .dir
            .tenant(&self.tenant_id)
            .expect("authenticated callers have a tenant")
    }

    pub fn tenant_mut<'w>(&self, world: &'w mut World) -> &'w mut Tenant {
        world
            .dir
            .tenant_mut(&self.tenant_id)
            .expect("authenticated callers have a tenant")
    }
}

/// Roles that may grant tenant-wide delegated permissions through Graph (graph-facts §2.2).
pub const DELEGATED_GRANT_ROLES: [&str; 4] = [
    roles::GLOBAL_ADMINISTRATOR,
    roles::PRIVILEGED_ROLE_ADMINISTRATOR,
    roles::APPLICATION_ADMINISTRATOR,
    roles::CLOUD_APPLICATION_ADMINISTRATOR,
];

/// Roles that may assign Microsoft Graph app roles (graph-facts §2.2).
pub const GRAPH_APP_ROLE_ROLES: [&str; 2] = [
    roles::GLOBAL_ADMINISTRATOR,
    roles::PRIVILEGED_ROLE_ADMINISTRATOR,
];

/// Roles that manage any application or service principal (not only owned ones).
pub const APP_MANAGER_ROLES: [&str; 3] = [
    roles::GLOBAL_ADMINISTRATOR,
    roles::APPLICATION_ADMINISTRATOR,
    roles::CLOUD_APPLICATION_ADMINISTRATOR,
];

/// Validates the bearer token of a Graph request against the sim clock and directory.
pub fn authenticate(
    world: &World,
    signer: &Signer,
    authorization: Option<&str>,
) -> Result<Caller, GraphError> {
    let token = authorization
        .and_then(|h| {
            h.strip_prefix("Bearer ")
                .or_else(|| h.strip_prefix("bearer "))
        })
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .ok_or_else(|| GraphError::unauthenticated("Access token is empty."))?;
    let claims = signer.verify(token).ok_or_else(|| {
        GraphError::unauthenticated(
            "IDX14100: JWT is not well formed, or its signature does not validate.",
        )
    })?;
    let aud = claims.get("aud").and_then(Value::as_str).unwrap_or("");
    if !GRAPH_AUDIENCES.contains(&aud) {
        return Err(GraphError::unauthenticated(
            "Access token validation failure. Invalid audience.",
        ));
    }
    let now_s = world.now_ms() / 1000;
    let exp = claims.get("exp").and_then(Value::as_i64).unwrap_or(0);
    let nbf = claims.get("nbf").and_then(Value::as_i64).unwrap_or(0);
    if now_s >= exp || now_s < nbf - 300 {
        return Err(GraphError::unauthenticated(
            "Lifetime validation failed, the token is expired.",
        ));
    }
    let tenant_id = claims
        .get("tid")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    let tenant = world.dir.tenant(&tenant_id).ok_or_else(|| {
        GraphError::unauthenticated("Access token validation failure. Invalid tenant.")
    })?;
    let (user_id, permissions) = match claims.get("idtyp").and_then(Value::as_str) {
        Some("app") => {
            let roles = claims
                .get("roles")
                .and_then(Value::as_array)
                .map(|r| {
                    r.iter()
                        .filter_map(Value::as_str)
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default();
            (None, roles)
        }
        _ => {
            let oid = claims.get("oid").and_then(Value::as_str).unwrap_or("");
            let user = tenant.user(oid).ok_or_else(|| {
                GraphError::unauthenticated("Access token validation failure. User not found.")
            })?;
            let scp = claims
                .get("scp")
                .and_then(Value::as_str)
                .unwrap_or("")
                .split_whitespace()
                .map(str::to_owned)
                .collect();
            (Some(user.id.clone()), scp)
        }
    };
    Ok(Caller {
        tenant_id: tenant.id.clone(),
        user_id,
        permissions,
    })
}
