//! Read what exists, in as few round trips as the dependencies allow: one `$batch` for the
//! registration (by `uniqueName`), the admin's roles, the organization and every resource
//! API's service principal; then the client's service principal; then its grants and app
//! role assignments; then, only when the client holds consent on an API outside the plan, those
//! APIs' service principals (to name what it holds there). A fresh tenant answers after the
//! first. Every list is read to its last page (`@odata.nextLink`), so a tenant-wide grant on
//! page 2 is still found.

use super::inputs::Inputs;
use super::roles::AdminRoles;
use crate::automation::graph::client::replication_wait_ms;
use crate::automation::graph::paths::{
    adopt_lookup, app_lookup, odata_quote, query_escape, resource_by_id, resource_lookup,
    sp_by_app_id,
};
use crate::automation::graph::{
    Call, CallError, Graph, GraphApi, Mode, PageError, Policy, Reply, RetryNotice,
};
use crate::automation::host::{Host, TokenError, TokenSource, Transport};
use crate::graph_model::{
    AppRoleAssignment, Application, DirectoryObject, OAuth2PermissionGrant, Organization,
    RoleEligibility, ServicePrincipal,
};
use crate::plan::Plan;

use super::events::Failure;

/// The tenant as it is, as far as this integration is concerned.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Observed {
    pub tenant_id: String,
    pub tenant_name: Option<String>,
    pub roles: AdminRoles,
    /// Role template IDs the admin is eligible for in PIM but has not activated (they
    /// grant nothing until activated); empty when PIM could not be read.
    pub eligible_roles: Vec<String>,
    pub application: Option<Application>,
    pub service_principal: Option<ServicePrincipal>,
    /// One per API in the plan; `None` = no service principal in this tenant.
    pub resources: Vec<(String, Option<ServicePrincipal>)>,
    /// The service principals of APIs outside the plan on which the client holds a
    /// tenant-wide grant or an app role assignment (what it holds there is beyond its entry).
    #[serde(default)]
    pub others: Vec<ServicePrincipal>,
    /// The client's grants (all consent types).
    pub grants: Vec<OAuth2PermissionGrant>,
    /// App roles assigned to the client.
    pub assignments: Vec<AppRoleAssignment>,
    /// Adopt mode's finding ([`Inputs::adopt`]).
    #[serde(default)]
    pub adoption: Adoption,
}

/// What adopt mode found.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Adoption {
    /// Not adopting.
    #[default]
    None,
    /// The chosen registration is `application`; the run gives it this assistant's
    /// `uniqueName` and tags.
    Adopting,
    /// The chosen registration already is this integration's (adopted before): an
    /// ordinary run.
    AlreadyManaged,
    /// No registration with that client ID in this tenant.
    NotFound { app_id: String },
    /// This assistant already manages another registration for the integration.
    Conflict {
        app_id: String,
        managed_app_id: String,
    },
}

impl Observed {
    /// The service principal of API `api_app_id`: the plan's, or one outside the plan that
    /// the client holds consent on ([`Observed::others`]).
    pub fn resource(&self, api_app_id: &str) -> Option<&ServicePrincipal> {
        self.resources
            .iter()
            .find(|(id, _)| id.eq_ignore_ascii_case(api_app_id))
            .and_then(|(_, sp)| sp.as_ref())
            .or_else(|| {
                self.others.iter().find(|sp| {
                    sp.app_id
                        .as_deref()
                        .is_some_and(|id| id.eq_ignore_ascii_case(api_app_id))
                })
            })
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ObserveError {
    SignInRequired(TokenError),
    /// A read failed for good (e.g. 403: the run's scopes are not consented yet).
    Graph {
        what: String,
        failure: Box<Failure>,
    },
}

impl std::fmt::Display for ObserveError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ObserveError::SignInRequired(why) => write!(f, "{why}"),
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

fn settled(what: &str, result: Result<Reply, CallError>) -> Result<Reply, ObserveError> {
    result.map_err(|e| call_failed(what, e))
}

pub(crate) fn call_failed(what: &str, error: CallError) -> ObserveError {
    match error {
        CallError::SignInRequired(m) => ObserveError::SignInRequired(m),
        CallError::GaveUp { reply: Some(r), .. } => ObserveError::Graph {
            what: what.into(),
            failure: Box::new(Failure::from_reply(&r, false)),
        },
        CallError::GaveUp { detail, .. } | CallError::Ambiguous { detail } => ObserveError::Graph {
            what: what.into(),
            failure: Box::new(Failure::plain(
                detail,
                "Check the connection and try again.",
            )),
        },
    }
}

/// A list that could not be read to its last page.
pub(crate) fn paging_failed(what: &str, error: PageError) -> ObserveError {
    match error {
        PageError::Call(e) => call_failed(what, e),
        PageError::Refused(reply) => ObserveError::Graph {
            what: what.into(),
            failure: Box::new(Failure::from_reply(&reply, false)),
        },
        other => ObserveError::Graph {
            what: what.into(),
            failure: Box::new(Failure::plain(other.to_string(), "Try again.")),
        },
    }
}

/// Every item of a list whose first page is `result` (from a `$batch` or alone); `None`
/// for a 404.
async fn found_all<I: serde::de::DeserializeOwned>(
    graph: &impl GraphApi,
    what: &str,
    result: Result<Reply, CallError>,
) -> Result<Option<Vec<I>>, ObserveError> {
    let first = settled(what, result)?;
    if first.status == 404 {
        return Ok(None);
    }
    graph
        .all_pages(first, Policy::IDEMPOTENT, &|_| {})
        .await
        .map(Some)
        .map_err(|e| paging_failed(what, e))
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
    observe_with(graph, plan, inputs, &|_| {}).await
}

/// [`observe`], telling `notify` of each wait before a call is sent again: the first read's
/// throttling, and the wait for a replica to show the secret an earlier run added, which
/// can last minutes (the page says so instead of only "Reading your tenant…").
pub async fn observe_with<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    plan: &Plan,
    inputs: &Inputs,
    notify: &dyn Fn(RetryNotice),
) -> Result<Observed, ObserveError> {
    let unique_name = inputs.unique_name(plan);
    let apis: Vec<String> = plan
        .by_api()
        .iter()
        .map(|g| g.api_app_id.to_ascii_lowercase())
        .collect();
    let mut calls = vec![
        (app_lookup(&unique_name), Policy::IDEMPOTENT),
        (active_roles_call(), Policy::IDEMPOTENT),
        (eligible_roles_call(), Policy::IDEMPOTENT),
        (
            Call::get("/organization?$select=id,displayName"),
            Policy::IDEMPOTENT,
        ),
    ];
    calls.extend(
        apis.iter()
            .map(|a| (resource_lookup(a), Policy::IDEMPOTENT)),
    );
    // Adopt mode: the chosen registration, read beside the rest (the same round trip).
    if let Some(app_id) = &inputs.adopt {
        calls.push((adopt_lookup(app_id), Policy::IDEMPOTENT));
    }
    let mut replies = graph
        .send_all(calls, Mode::Batched, &|_, n| notify(n))
        .await
        .into_iter();

    let mut application: Option<Application> =
        found("the registration", replies.next().expect("app"))?;
    let roles = admin_roles(graph, replies.next().expect("roles")).await?;
    let eligible_roles = eligible_roles(graph, replies.next().expect("eligible")).await?;
    let organization =
        found_all::<Organization>(graph, "the organization", replies.next().expect("org"))
            .await?
            .and_then(|orgs| orgs.into_iter().next());
    let mut resources = Vec::new();
    for api in &apis {
        let what = format!("the service principal of API {api}");
        let sp: Option<ServicePrincipal> = found(&what, replies.next().expect("api"))?;
        resources.push((api.clone(), sp));
    }
    // Waiting pays only while replication may still be behind the secret's write.
    let may_lag = inputs
        .recent_secrets_at_ms
        .is_none_or(|at| inputs.now_ms.saturating_sub(at) < replication_wait_ms() as i64);
    if inputs.adopt.is_none()
        && may_lag
        && !shows_secrets(application.as_ref(), &inputs.recent_secrets)
    {
        application = caught_up(graph, &unique_name, &inputs.recent_secrets, notify)
            .await
            .or(application);
    }
    let chosen: Option<Application> = match replies.next() {
        Some(reply) => found("the registration to adopt", reply)?,
        None => None,
    };
    let adoption = match (&inputs.adopt, chosen) {
        (None, _) => Adoption::None,
        (Some(app_id), None) => Adoption::NotFound {
            app_id: app_id.clone(),
        },
        (Some(app_id), Some(chosen)) => match &application {
            None => {
                application = Some(chosen);
                Adoption::Adopting
            }
            Some(managed) if managed.id == chosen.id => Adoption::AlreadyManaged,
            Some(managed) => Adoption::Conflict {
                app_id: app_id.clone(),
                managed_app_id: managed.app_id.clone().unwrap_or_default(),
            },
        },
    };

    let mut observed = Observed {
        tenant_id: organization
            .as_ref()
            .map(|o| o.id.clone())
            .unwrap_or_else(|| inputs.admin.tenant_id.clone()),
        tenant_name: organization.and_then(|o| o.display_name),
        roles,
        eligible_roles,
        application,
        service_principal: None,
        resources,
        others: vec![],
        grants: vec![],
        assignments: vec![],
        adoption,
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
        .send_all(calls, Mode::Batched, &|_, n| notify(n))
        .await
        .into_iter();
    // Both lists' further pages, if any, are read side by side.
    let (grants, assignments) = futures_util::future::join(
        found_all::<OAuth2PermissionGrant>(
            graph,
            "existing consent",
            replies.next().expect("grants"),
        ),
        found_all::<AppRoleAssignment>(
            graph,
            "existing app role assignments",
            replies.next().expect("assignments"),
        ),
    )
    .await;
    observed.grants = grants?.unwrap_or_default();
    observed.assignments = assignments?.unwrap_or_default();
    observed.others = others(graph, &observed, &sp_id).await?;
    Ok(observed)
}

/// The service principals of the APIs outside the plan that the client `client` holds a
/// tenant-wide grant or an app role assignment on. Consent lives on the service principal
/// (its grants and app role assignments), not in the registration's API permissions, and is
/// reviewed and revoked there (Microsoft Learn, "Review permissions granted to enterprise
/// applications"), so it can outlast what the registration requests. On the plan's APIs it is
/// named from their service principals read already; on the others from theirs, read here in
/// one round trip that a registration without such consent never makes.
async fn others(
    graph: &impl GraphApi,
    observed: &Observed,
    client: &str,
) -> Result<Vec<ServicePrincipal>, ObserveError> {
    let known: Vec<&str> = observed
        .resources
        .iter()
        .filter_map(|(_, sp)| sp.as_ref()?.id.as_deref())
        .collect();
    let mut ids: Vec<String> = Vec::new();
    let held = observed
        .grants
        .iter()
        .filter(|g| g.is_tenant_wide_for(client))
        .map(|g| &g.resource_id)
        .chain(
            observed
                .assignments
                .iter()
                .filter(|a| a.principal_id.eq_ignore_ascii_case(client))
                .map(|a| &a.resource_id),
        );
    for id in held {
        let id = id.to_ascii_lowercase();
        // Object IDs are GUIDs: anything else is not put into a path.
        if crate::validate::is_guid(&id)
            && !known.iter().any(|k| k.eq_ignore_ascii_case(&id))
            && !ids.contains(&id)
        {
            ids.push(id);
        }
    }
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let calls = ids
        .iter()
        .map(|id| (resource_by_id(id), Policy::IDEMPOTENT))
        .collect();
    let replies = graph.send_all(calls, Mode::Batched, &|_, _| {}).await;
    let mut out = Vec::new();
    for (id, reply) in ids.iter().zip(replies) {
        let what = format!("the service principal {id} the registration holds consent on");
        // Gone meanwhile (404): nothing to name.
        if let Some(sp) = found::<ServicePrincipal>(&what, reply)? {
            out.push(sp);
        }
    }
    Ok(out)
}

/// Whether `app` shows every secret in `key_ids`.
fn shows_secrets(app: Option<&Application>, key_ids: &[String]) -> bool {
    key_ids.iter().all(|k| {
        app.is_some_and(|a| {
            a.password_credentials.iter().any(|c| {
                c.key_id
                    .as_deref()
                    .is_some_and(|id| id.eq_ignore_ascii_case(k))
            })
        })
    })
}

/// The registration once the replica shows the secrets this page's earlier runs added
/// (`Inputs::recent_secrets`). A read served by a replica behind that write shows the
/// registration without them (or not at all, when it was created by that run): taken at its
/// word, the review would add a second secret. Read again, waiting as for replication delay
/// (graph-facts §5.3); `None` when it never shows them (removed in the portal meanwhile): the
/// first read stands. Not waited for once `Inputs::recent_secrets_at_ms` is longer ago than
/// that wait.
async fn caught_up(
    graph: &impl GraphApi,
    unique_name: &str,
    key_ids: &[String],
    notify: &dyn Fn(RetryNotice),
) -> Option<Application> {
    let shows = |reply: &Reply| shows_secrets(reply.json::<Application>().as_ref(), key_ids);
    let reply = graph
        .send_until(
            app_lookup(unique_name),
            Policy::AFTER_CREATE,
            notify,
            &shows,
        )
        .await
        .ok()?;
    (reply.status == 200).then(|| reply.json()).flatten()
}

/// The admin's active directory roles, including those held through role-assignable
/// groups: `memberOf` is direct membership only ("This operation isn't transitive",
/// user-list-memberof), `transitiveMemberOf` is not (user-list-transitivememberof, which
/// also requires `ConsistencyLevel: eventual` and `$count` with an OData cast). Roles only
/// eligible in PIM are not members until activated.
fn active_roles_call() -> Call {
    Call::get(
        "/me/transitiveMemberOf/microsoft.graph.directoryRole?$count=true&$select=id,displayName,roleTemplateId",
    )
    .header("ConsistencyLevel", "eventual")
}

/// The roles the admin may activate in PIM (v1.0
/// unifiedroleeligibilityscheduleinstance-filterbycurrentuser; RoleManagement.Read.Directory,
/// which the run already asks for, is among its permissions).
fn eligible_roles_call() -> Call {
    Call::get(
        "/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')?$select=roleDefinitionId,directoryScopeId",
    )
}

/// Tenant-wide eligible roles. A tenant without PIM (no Entra ID P2) or a refused read says
/// nothing about eligibility: an empty list, never an error that stops the run.
async fn eligible_roles(
    graph: &impl GraphApi,
    result: Result<Reply, CallError>,
) -> Result<Vec<String>, ObserveError> {
    let what = "your eligible roles";
    let first = settled(what, result)?;
    if first.status != 200 {
        return Ok(Vec::new());
    }
    match graph
        .all_pages::<RoleEligibility>(first, Policy::IDEMPOTENT, &|_| {})
        .await
    {
        Ok(found) => Ok(found
            .into_iter()
            .filter(|e| e.directory_scope_id.as_deref().is_none_or(|s| s == "/"))
            .map(|e| e.role_definition_id.to_ascii_lowercase())
            .collect()),
        Err(e @ PageError::Call(CallError::SignInRequired(_))) => Err(paging_failed(what, e)),
        Err(_) => Ok(Vec::new()),
    }
}

/// The admin's directory roles from the answer to the roles read, every page of it. A read
/// Graph refused, or roles without `roleTemplateId`, leave them unknown: the run then tries
/// and hands over on 403.
async fn admin_roles(
    graph: &impl GraphApi,
    result: Result<Reply, CallError>,
) -> Result<AdminRoles, ObserveError> {
    let what = "your directory roles";
    let first = settled(what, result)?;
    if first.status != 200 {
        return Ok(AdminRoles::Unknown);
    }
    let roles: Vec<DirectoryObject> =
        match graph.all_pages(first, Policy::IDEMPOTENT, &|_| {}).await {
            Ok(roles) => roles,
            Err(e @ PageError::Call(CallError::SignInRequired(_))) => {
                return Err(paging_failed(what, e))
            }
            Err(_) => return Ok(AdminRoles::Unknown),
        };
    Ok(roles
        .into_iter()
        .map(|o| o.role_template_id)
        .collect::<Option<Vec<String>>>()
        .map_or(AdminRoles::Unknown, AdminRoles::Known))
}
