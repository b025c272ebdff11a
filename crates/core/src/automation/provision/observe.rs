//! Read what exists, in as few round trips as the dependencies allow: one `$batch` for the
//! registration (by `uniqueName`), the admin's roles, the organization and every resource
//! API's service principal; then the client's service principal; then its grants and app
//! role assignments. A fresh tenant answers after the first.

use super::inputs::Inputs;
use super::roles::AdminRoles;
use crate::automation::graph::types::{
    AppRoleAssignment, Application, Collection, DirectoryObject, OAuth2PermissionGrant,
    Organization, ServicePrincipal,
};
use crate::automation::graph::{Call, CallError, Graph, Mode, Policy, Reply};
use crate::automation::host::{Host, TokenSource, Transport};
use crate::plan::Plan;

use super::events::Failure;

const APP_SELECT: &str = "id,appId,displayName,uniqueName,signInAudience,web,spa,requiredResourceAccess,tags,notes,passwordCredentials";
const RESOURCE_SELECT: &str = "id,appId,displayName,appRoles,oauth2PermissionScopes";

/// The tenant as it is, as far as this integration is concerned.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Observed {
    pub tenant_id: String,
    pub tenant_name: Option<String>,
    pub roles: AdminRoles,
    pub application: Option<Application>,
    pub service_principal: Option<ServicePrincipal>,
    /// One per API in the plan; `None` = no service principal in this tenant.
    pub resources: Vec<(String, Option<ServicePrincipal>)>,
    /// The client's grants (all consent types).
    pub grants: Vec<OAuth2PermissionGrant>,
    /// App roles assigned to the client.
    pub assignments: Vec<AppRoleAssignment>,
}

impl Observed {
    pub fn resource(&self, api_app_id: &str) -> Option<&ServicePrincipal> {
        self.resources
            .iter()
            .find(|(id, _)| id.eq_ignore_ascii_case(api_app_id))
            .and_then(|(_, sp)| sp.as_ref())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ObserveError {
    SignInRequired(String),
    /// A read failed for good (e.g. 403: the run's scopes are not consented yet).
    Graph {
        what: String,
        failure: Box<Failure>,
    },
}

impl std::fmt::Display for ObserveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ObserveError::SignInRequired(m) => f.write_str(m),
            ObserveError::Graph { what, failure } => {
                write!(
                    f,
                    "reading {what} failed: {} ({})",
                    failure.message, failure.what_to_do
                )
            }
        }
    }
}

/// `'` doubled, as OData string literals need.
pub(crate) fn odata_quote(s: &str) -> String {
    s.replace('\'', "''")
}

pub(crate) fn query_escape(s: &str) -> String {
    oauth2::url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub(crate) fn app_by_unique_name(unique_name: &str) -> String {
    format!(
        "/applications(uniqueName='{}')",
        query_escape(&odata_quote(unique_name))
    )
}

/// A service principal addressed by its `appId` (an alternate key, like `uniqueName`).
pub(crate) fn sp_by_app_id(app_id: &str) -> String {
    format!("/servicePrincipals(appId='{}')", odata_quote(app_id))
}

pub(crate) fn resource_lookup(api_app_id: &str) -> Call {
    Call::get(format!(
        "{}?$select={RESOURCE_SELECT}",
        sp_by_app_id(api_app_id)
    ))
}

pub(crate) fn app_lookup(unique_name: &str) -> Call {
    Call::get(format!(
        "{}?$select={APP_SELECT}",
        app_by_unique_name(unique_name)
    ))
}

fn settled(what: &str, result: Result<Reply, CallError>) -> Result<Reply, ObserveError> {
    match result {
        Ok(r) => Ok(r),
        Err(CallError::SignInRequired(m)) => Err(ObserveError::SignInRequired(m)),
        Err(CallError::GaveUp { reply: Some(r), .. }) => Err(ObserveError::Graph {
            what: what.into(),
            failure: Box::new(Failure::from_reply(&r, false)),
        }),
        Err(CallError::GaveUp { detail, .. }) | Err(CallError::Ambiguous { detail }) => {
            Err(ObserveError::Graph {
                what: what.into(),
                failure: Box::new(Failure::plain(
                    detail,
                    "Check the connection and try again.",
                )),
            })
        }
    }
}

/// The body of a 200, `None` for a 404, an error otherwise.
fn found<T: serde::de::DeserializeOwned>(
    what: &str,
    result: Result<Reply, CallError>,
) -> Result<Option<T>, ObserveError> {
    let reply = settled(what, result)?;
    match reply.status {
        200 => reply.json().map(Some).ok_or_else(|| ObserveError::Graph {
            what: what.into(),
            failure: Box::new(Failure::plain(
                "Graph's answer could not be read",
                "Try again.",
            )),
        }),
        404 => Ok(None),
        _ => Err(ObserveError::Graph {
            what: what.into(),
            failure: Box::new(Failure::from_reply(&reply, false)),
        }),
    }
}

pub async fn observe<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    plan: &Plan,
    inputs: &Inputs,
) -> Result<Observed, ObserveError> {
    let unique_name = inputs.unique_name(plan);
    let apis: Vec<String> = plan
        .by_api()
        .iter()
        .map(|g| g.api_app_id.to_ascii_lowercase())
        .collect();
    let mut calls = vec![
        (app_lookup(&unique_name), Policy::IDEMPOTENT),
        (
            Call::get(
                "/me/memberOf/microsoft.graph.directoryRole?$select=id,displayName,roleTemplateId",
            ),
            Policy::IDEMPOTENT,
        ),
        (
            Call::get("/organization?$select=id,displayName"),
            Policy::IDEMPOTENT,
        ),
    ];
    calls.extend(
        apis.iter()
            .map(|a| (resource_lookup(a), Policy::IDEMPOTENT)),
    );
    let mut replies = graph
        .send_all(calls, Mode::Batched, &|_, _| {})
        .await
        .into_iter();

    let application: Option<Application> = found("the registration", replies.next().expect("app"))?;
    let roles = match settled("your directory roles", replies.next().expect("roles"))? {
        r if r.status == 200 => match r.json::<Collection<DirectoryObject>>() {
            Some(c) if c.value.iter().all(|o| o.role_template_id.is_some()) => AdminRoles::Known(
                c.value
                    .into_iter()
                    .filter_map(|o| o.role_template_id)
                    .collect(),
            ),
            _ => AdminRoles::Unknown,
        },
        _ => AdminRoles::Unknown,
    };
    let organization = settled("the organization", replies.next().expect("org"))?
        .json::<Collection<Organization>>()
        .and_then(|c| c.value.into_iter().next());
    let mut resources = Vec::new();
    for api in &apis {
        let what = format!("the service principal of API {api}");
        let sp: Option<ServicePrincipal> = found(&what, replies.next().expect("api"))?;
        resources.push((api.clone(), sp));
    }

    let mut observed = Observed {
        tenant_id: organization
            .as_ref()
            .map(|o| o.id.clone())
            .unwrap_or_else(|| inputs.admin.tenant_id.clone()),
        tenant_name: organization.and_then(|o| o.display_name),
        roles,
        application,
        service_principal: None,
        resources,
        grants: vec![],
        assignments: vec![],
    };
    let Some(app_id) = observed.application.as_ref().and_then(|a| a.app_id.clone()) else {
        return Ok(observed);
    };
    let sp_call = Call::get(format!(
        "{}?$select=id,appId,displayName",
        sp_by_app_id(&app_id)
    ));
    observed.service_principal = found(
        "the registration's service principal",
        graph.send(sp_call, Policy::IDEMPOTENT, &|_| {}).await,
    )?;
    let Some(sp_id) = observed
        .service_principal
        .as_ref()
        .and_then(|s| s.id.clone())
    else {
        return Ok(observed);
    };
    let filter = query_escape(&format!("clientId eq '{}'", odata_quote(&sp_id)));
    let calls = vec![
        (
            Call::get(format!("/oauth2PermissionGrants?$filter={filter}")),
            Policy::IDEMPOTENT,
        ),
        (
            Call::get(format!("/servicePrincipals/{sp_id}/appRoleAssignments")),
            Policy::IDEMPOTENT,
        ),
    ];
    let mut replies = graph
        .send_all(calls, Mode::Batched, &|_, _| {})
        .await
        .into_iter();
    observed.grants = found::<Collection<OAuth2PermissionGrant>>(
        "existing consent",
        replies.next().expect("grants"),
    )?
    .map(|c| c.value)
    .unwrap_or_default();
    observed.assignments = found::<Collection<AppRoleAssignment>>(
        "existing app role assignments",
        replies.next().expect("assignments"),
    )?
    .map(|c| c.value)
    .unwrap_or_default();
    Ok(observed)
}
