//! Reading a tenant for [`crate::health`]: the same four lists the README's `az rest`
//! script writes into a snapshot, each read to its last page. Needs `Application.Read.All`
//! and `Directory.Read.All` (delegated; asked for incrementally, never at first sign-in).

use super::auth;
use super::graph::{Call, Graph, GraphApi, Mode, Policy};
use super::host::{Host, TokenSource, Transport};
use super::provision::observe::{paging_failed, ObserveError};
use crate::catalog::apis;
use crate::cloud::Cloud;
use crate::graph_model::{AppRoleAssignment, ServicePrincipal};
use crate::health::Snapshot;

/// `$top=999`: Graph's largest page for these lists, so a tenant of a few hundred apps
/// is one page (graph-facts §9); later pages follow `@odata.nextLink`.
const APPLICATIONS: &str = "/applications?$select=id,appId,displayName,uniqueName,tags,web,spa,requiredResourceAccess,passwordCredentials&$top=999";
const SERVICE_PRINCIPALS: &str =
    "/servicePrincipals?$select=id,appId,displayName,appRoles,oauth2PermissionScopes&$top=999";
const GRANTS: &str = "/oauth2PermissionGrants?$top=999";

/// What reading the tenant asks for at sign-in (on top of the sign-in's own): read-only,
/// so an admin can look before anything is changed.
pub fn scopes(cloud: Option<Cloud>) -> Vec<String> {
    let mut out = auth::scopes::sign_in(cloud);
    out.extend(
        ["Application.Read.All", "Directory.Read.All"]
            .map(|name| auth::scopes::graph_scope(name, cloud)),
    );
    out
}

/// The tenant's registrations, service principals, delegated grants and the app role
/// assignments on the APIs the catalog uses (read from each API's service principal:
/// `appRoleAssignedTo`, a handful of lists instead of one per app).
pub async fn read_tenant<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
) -> Result<Snapshot, ObserveError> {
    read(graph).await
}

async fn read(graph: &impl GraphApi) -> Result<Snapshot, ObserveError> {
    let applications = graph
        .get_all(Call::get(APPLICATIONS), Policy::IDEMPOTENT, &|_| {})
        .await
        .map_err(|e| paging_failed("the app registrations", e))?;
    let service_principals: Vec<ServicePrincipal> = graph
        .get_all(Call::get(SERVICE_PRINCIPALS), Policy::IDEMPOTENT, &|_| {})
        .await
        .map_err(|e| paging_failed("the enterprise applications", e))?;
    let grants = graph
        .get_all(Call::get(GRANTS), Policy::IDEMPOTENT, &|_| {})
        .await
        .map_err(|e| paging_failed("the delegated permission grants", e))?;
    let resources: Vec<&str> = service_principals
        .iter()
        .filter(|sp| sp.app_id.as_deref().and_then(apis::by_app_id).is_some())
        .filter_map(|sp| sp.id.as_deref())
        .collect();
    let firsts = graph
        .send_all(
            resources
                .iter()
                .map(|id| {
                    (
                        Call::get(format!(
                            "/servicePrincipals/{id}/appRoleAssignedTo?$top=999"
                        )),
                        Policy::IDEMPOTENT,
                    )
                })
                .collect(),
            Mode::Batched,
            &|_, _| {},
        )
        .await;
    let mut assignments: Vec<AppRoleAssignment> = Vec::new();
    for first in firsts {
        let first = first.map_err(|e| {
            paging_failed(
                "the application permission grants",
                super::graph::PageError::Call(e),
            )
        })?;
        assignments.extend(
            graph
                .all_pages::<AppRoleAssignment>(first, Policy::IDEMPOTENT, &|_| {})
                .await
                .map_err(|e| paging_failed("the application permission grants", e))?,
        );
    }
    Ok(Snapshot {
        applications,
        service_principals: Some(service_principals),
        oauth2_permission_grants: Some(grants),
        app_role_assignments: Some(assignments),
    })
}
