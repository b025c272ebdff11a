//! What stops a run before anything is written, as types with one wording each; and the
//! one check of a catalog permission against the tenant's API, used by the plan and again by
//! the run's fresh lookups.

use crate::catalog::PermissionType;
use crate::graph_model::ServicePrincipal;

/// A problem that stops the run before anything is written.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Blocker {
    InvalidUniqueName {
        unique_name: String,
    },
    EmptyDisplayName,
    /// A retired API (Azure AD Graph) whose permissions cannot be added to a new app.
    RetiredApi {
        api_name: String,
    },
    /// Not in the tenant and not a Microsoft API this tool can add.
    UnknownApi {
        api_name: String,
        api_app_id: String,
    },
    /// The tenant's API has no such permission.
    MissingPermission {
        api_name: String,
        kind: PermissionType,
        value: String,
    },
    /// The tenant names the permission by another ID than the catalog: nothing may be
    /// granted under a wrong ID.
    IdMismatch {
        api_name: String,
        kind: PermissionType,
        value: String,
        catalog_id: String,
        tenant_id: String,
    },
    /// Finish mode: the link names a registration this tenant does not have.
    FinishLinkNoRegistration {
        unique_name: String,
        client_id: String,
    },
    /// Adopt mode: no registration has the chosen client ID.
    AdoptNotFound {
        app_id: String,
    },
    /// Adopt mode: this assistant already manages another registration for the
    /// integration; adopting a second would leave two.
    AdoptConflict {
        app_id: String,
        managed_app_id: String,
    },
    /// Finish mode: this tenant's registration has another client ID than the link.
    FinishLinkOtherClient {
        unique_name: String,
        client_id: String,
        found: String,
    },
}

impl std::fmt::Display for Blocker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Blocker::InvalidUniqueName { unique_name } => write!(
                f,
                "The unique name '{unique_name}' may contain only letters, digits, '-', '.' and '_'."
            ),
            Blocker::EmptyDisplayName => {
                f.write_str("The display name is empty: enter the name the registration should have.")
            }
            Blocker::RetiredApi { api_name } => write!(
                f,
                "{api_name} is retired: its permissions cannot be added to a new app."
            ),
            Blocker::UnknownApi {
                api_name,
                api_app_id,
            } => write!(
                f,
                "The API {api_name} ({api_app_id}) has no service principal in this tenant, and it is not a Microsoft API this tool can add. Add its enterprise application first."
            ),
            Blocker::MissingPermission {
                api_name,
                kind,
                value,
            } => write!(
                f,
                "{api_name} in this tenant has no {} permission '{value}'. Check the permission name; nothing was granted.",
                kind.as_str().to_ascii_lowercase()
            ),
            Blocker::IdMismatch {
                api_name,
                kind,
                value,
                catalog_id,
                tenant_id,
            } => write!(
                f,
                "{api_name} {value} ({}): the catalog says {catalog_id} but this tenant says {tenant_id}. The run stops so that nothing is granted under a wrong ID; please report this.",
                kind.as_str()
            ),
            Blocker::FinishLinkNoRegistration {
                unique_name,
                client_id,
            } => write!(
                f,
                "No registration with unique name {unique_name} exists in this tenant, but the link you followed is for client ID {client_id}. Sign in to the tenant the link was made for."
            ),
            Blocker::AdoptNotFound { app_id } => write!(
                f,
                "No registration in this tenant has client ID {app_id}. Check the Application (client) ID on the registration's Overview page, or pick it on the tenant health page."
            ),
            Blocker::AdoptConflict {
                app_id,
                managed_app_id,
            } => write!(
                f,
                "This assistant already manages this integration's registration (client ID {managed_app_id}), so {app_id} cannot be adopted for it too. Set the existing one up again instead, or give the adopted one another unique name (for example a staging copy)."
            ),
            Blocker::FinishLinkOtherClient {
                unique_name,
                client_id,
                found,
            } => write!(
                f,
                "The link you followed is for client ID {client_id}, but this tenant's registration {unique_name} has client ID {found}. Ask for a new link."
            ),
        }
    }
}

/// The ID of permission `value` of `kind` on a resource API's service principal, as this
/// tenant has it (lower-cased); `None` when the tenant's API has no such permission.
pub(crate) fn tenant_permission_id(
    sp: &ServicePrincipal,
    value: &str,
    kind: PermissionType,
) -> Option<String> {
    match kind {
        PermissionType::Delegated => sp
            .oauth2_permission_scopes
            .iter()
            .find(|s| s.value.as_deref() == Some(value))
            .map(|s| s.id.to_ascii_lowercase()),
        PermissionType::Application => sp
            .app_roles
            .iter()
            .find(|r| {
                r.value.as_deref() == Some(value)
                    && r.allowed_member_types.iter().any(|t| t == "Application")
            })
            .map(|r| r.id.to_ascii_lowercase()),
    }
}

/// A catalog permission held against the tenant's API: the tenant's ID for it, or what
/// stops the run (missing, or named by another ID than the catalog's).
pub(crate) fn check_permission(
    api_name: &str,
    sp: &ServicePrincipal,
    value: &str,
    kind: PermissionType,
    catalog_id: Option<&str>,
) -> Result<String, Blocker> {
    let Some(tenant_id) = tenant_permission_id(sp, value, kind) else {
        return Err(Blocker::MissingPermission {
            api_name: api_name.to_owned(),
            kind,
            value: value.to_owned(),
        });
    };
    match catalog_id {
        Some(c) if !c.eq_ignore_ascii_case(&tenant_id) => Err(Blocker::IdMismatch {
            api_name: api_name.to_owned(),
            kind,
            value: value.to_owned(),
            catalog_id: c.to_ascii_lowercase(),
            tenant_id,
        }),
        _ => Ok(tenant_id),
    }
}
