//! What a Graph read of the tenant returns, as the health rules take it: the registrations,
//! and, when read too, the service principals, delegated grants and app role assignments
//! that say what was consented. Each list may be a bare array or a Graph collection page
//! (`{"value": [...]}`, what `az rest` prints), so a snapshot is the answers pasted together.

use serde::{Deserialize, Deserializer};

use crate::graph_model::{AppRoleAssignment, Application, OAuth2PermissionGrant, ServicePrincipal};

/// A tenant as read from Graph. Only `applications` is required; without the consent lists
/// the report says what was requested, not what was granted.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Snapshot {
    #[serde(deserialize_with = "list")]
    pub applications: Vec<Application>,
    #[serde(default, deserialize_with = "optional_list")]
    pub service_principals: Option<Vec<ServicePrincipal>>,
    #[serde(default, deserialize_with = "optional_list")]
    pub oauth2_permission_grants: Option<Vec<OAuth2PermissionGrant>>,
    #[serde(default, deserialize_with = "optional_list")]
    pub app_role_assignments: Option<Vec<AppRoleAssignment>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ListOrPage<T> {
    List(Vec<T>),
    Page { value: Vec<T> },
}

fn list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<Vec<T>, D::Error> {
    Ok(match ListOrPage::deserialize(d)? {
        ListOrPage::List(items) | ListOrPage::Page { value: items } => items,
    })
}

fn optional_list<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Vec<T>>, D::Error> {
    list(d).map(Some)
}

/// Why a snapshot could not be read, with what to do.
#[derive(Debug)]
pub struct SnapshotError(String);

impl std::fmt::Display for SnapshotError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the snapshot is not a tenant read: {}. Expected a JSON object with \"applications\" \
             (an array, or Graph's {{\"value\": [...]}}) and optionally \"servicePrincipals\", \
             \"oauth2PermissionGrants\" and \"appRoleAssignments\"; the README's \"Tenant health\" \
             section shows how to write one with az rest",
            self.0
        )
    }
}

impl std::error::Error for SnapshotError {}

impl Snapshot {
    pub fn parse(json: &str) -> Result<Snapshot, SnapshotError> {
        serde_json::from_str(json).map_err(|e| SnapshotError(e.to_string()))
    }
}
