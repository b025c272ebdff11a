//! What a registration requests and was granted, against its catalog entry.

use serde::Serialize;

use super::{Problem, Snapshot};
use crate::catalog::{apis, Integration, PermissionType};
use crate::graph_model::{Application, ServicePrincipal};
use crate::plan::{Options, Plan};

/// One permission as a tenant names it: on an API (its app ID), of a type, known by its
/// GUID, its value, or both (grants carry values, `requiredResourceAccess` GUIDs).
#[derive(Clone, Debug)]
pub(super) struct Perm {
    pub api: String,
    pub kind: PermissionType,
    pub id: Option<String>,
    pub value: Option<String>,
}

impl Perm {
    fn same(&self, other: &Perm) -> bool {
        if !self.api.eq_ignore_ascii_case(&other.api) || self.kind != other.kind {
            return false;
        }
        match (&self.id, &other.id, &self.value, &other.value) {
            (Some(a), Some(b), _, _) => a.eq_ignore_ascii_case(b),
            (_, _, Some(a), Some(b)) => a == b,
            _ => false,
        }
    }

    pub fn is_in(&self, list: &[Perm]) -> bool {
        list.iter().any(|p| self.same(p))
    }

    fn retired(&self) -> bool {
        apis::by_app_id(&self.api).is_some_and(|api| api.retired)
    }

    /// "Microsoft Graph Mail.Send (Application)", with what the snapshot or the catalog
    /// knows; a GUID when neither names it.
    fn name(&self, snapshot: &Snapshot) -> String {
        let api_sp = resource_sp(snapshot, &self.api);
        let api = apis::by_app_id(&self.api)
            .map(|a| a.name.to_owned())
            .or_else(|| api_sp.and_then(|sp| sp.display_name.clone()))
            .unwrap_or_else(|| self.api.clone());
        let value = self
            .value
            .clone()
            .or_else(|| api_sp.and_then(|sp| value_in(sp, self.kind, self.id.as_deref()?)))
            .or_else(|| catalog_value(&self.api, self.kind, self.id.as_deref()?))
            .or_else(|| self.id.clone())
            .unwrap_or_default();
        label(&api, &value, self.kind)
    }
}

/// "Microsoft Graph Mail.Send (Application)": a permission as the health page and the
/// review name it.
pub(crate) fn label(api: &str, value: &str, kind: PermissionType) -> String {
    format!("{api} {value} ({})", kind.as_str())
}

fn resource_sp<'a>(snapshot: &'a Snapshot, app_id: &str) -> Option<&'a ServicePrincipal> {
    snapshot.service_principals.as_ref()?.iter().find(|sp| {
        sp.app_id
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case(app_id))
    })
}

pub(crate) fn value_in(sp: &ServicePrincipal, kind: PermissionType, id: &str) -> Option<String> {
    match kind {
        PermissionType::Application => sp
            .app_roles
            .iter()
            .find(|r| r.id.eq_ignore_ascii_case(id))?
            .value
            .clone(),
        PermissionType::Delegated => sp
            .oauth2_permission_scopes
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(id))?
            .value
            .clone(),
    }
}

pub(crate) fn id_in(sp: &ServicePrincipal, kind: PermissionType, value: &str) -> Option<String> {
    match kind {
        PermissionType::Application => sp
            .app_roles
            .iter()
            .find(|r| r.value.as_deref() == Some(value))
            .map(|r| r.id.clone()),
        PermissionType::Delegated => sp
            .oauth2_permission_scopes
            .iter()
            .find(|s| s.value.as_deref() == Some(value))
            .map(|s| s.id.clone()),
    }
}

/// A value the catalog knows for this GUID, in any entry.
pub(crate) fn catalog_value(api: &str, kind: PermissionType, id: &str) -> Option<String> {
    crate::catalog::ALL
        .iter()
        .flat_map(|i| i.permissions.iter())
        .find(|p| {
            p.api.app_id.eq_ignore_ascii_case(api)
                && p.kind == kind
                && p.id.known().is_some_and(|k| k.eq_ignore_ascii_case(id))
        })
        .map(|p| p.value.to_owned())
}

/// The permissions the entry registers (the guide's list with its errata fixed), with
/// GUIDs the catalog leaves to the tenant filled in from the snapshot when it can.
pub(super) fn planned(integration: &'static Integration, snapshot: &Snapshot) -> Vec<Perm> {
    Plan::new(integration, &Options::default())
        .permissions
        .iter()
        .map(|p| {
            let id =
                p.id.as_deref()
                    .map(str::to_owned)
                    .or_else(|| id_in(resource_sp(snapshot, &p.api_app_id)?, p.kind, &p.value));
            Perm {
                api: p.api_app_id.to_string(),
                kind: p.kind,
                id,
                value: Some(p.value.to_string()),
            }
        })
        .collect()
}

/// The guide's own list, as written (retired APIs and wrong types included): an app made by
/// following the guide literally requests these.
pub(super) fn as_guide_lists(integration: &'static Integration) -> Vec<Perm> {
    integration
        .permissions
        .iter()
        .map(|p| Perm {
            api: p.api.app_id.to_owned(),
            kind: p.kind,
            id: p.id.known().map(str::to_owned),
            value: Some(p.value.to_owned()),
        })
        .collect()
}

impl Perm {
    /// With its value filled in from the snapshot's service principal of the API or the
    /// catalog, so it compares with an entry whose GUID is left to the tenant.
    fn named(mut self, snapshot: &Snapshot) -> Perm {
        if let (None, Some(id)) = (&self.value, &self.id) {
            self.value = resource_sp(snapshot, &self.api)
                .and_then(|sp| value_in(sp, self.kind, id))
                .or_else(|| catalog_value(&self.api, self.kind, id));
        }
        self
    }
}

/// What the application's `requiredResourceAccess` lists.
pub(super) fn requested(app: &Application, snapshot: &Snapshot) -> Vec<Perm> {
    app.required_resource_access
        .iter()
        .flatten()
        .flat_map(|r| {
            r.resource_access.iter().map(|a| {
                Perm {
                    api: r.resource_app_id.clone(),
                    kind: PermissionType::from_resource_access_type(&a.kind),
                    id: Some(a.id.clone()),
                    value: None,
                }
                .named(snapshot)
            })
        })
        .collect()
}

/// What an administrator consented to for the app's service principal: delegated grants
/// for all users and app role assignments. `None` unless the snapshot holds all three
/// consent lists (service principals, grants, assignments): a partial read proves nothing.
fn granted(app: &Application, snapshot: &Snapshot) -> Option<Vec<Perm>> {
    let sps = snapshot.service_principals.as_ref()?;
    let grants = snapshot.oauth2_permission_grants.as_deref()?;
    let assignments = snapshot.app_role_assignments.as_deref()?;
    let Some(client) = app.app_id.as_deref().and_then(|a| resource_sp(snapshot, a)) else {
        return Some(Vec::new());
    };
    let client_id = client.id.as_deref().unwrap_or_default();
    let api_of = |sp_id: &str| {
        sps.iter()
            .find(|sp| sp.id.as_deref() == Some(sp_id))
            .and_then(|sp| sp.app_id.clone())
    };
    let mut out = Vec::new();
    for g in grants.iter().filter(|g| g.is_tenant_wide_for(client_id)) {
        let Some(api) = api_of(&g.resource_id) else {
            continue;
        };
        out.extend(g.scope.split_whitespace().map(|value| Perm {
            api: api.clone(),
            kind: PermissionType::Delegated,
            id: None,
            value: Some(value.to_owned()),
        }));
    }
    for a in assignments.iter().filter(|a| a.principal_id == client_id) {
        let Some(api) = api_of(&a.resource_id) else {
            continue;
        };
        out.push(
            Perm {
                api,
                kind: PermissionType::Application,
                id: Some(a.app_role_id.clone()),
                value: None,
            }
            .named(snapshot),
        );
    }
    Some(out)
}

/// Requested against the entry, and, when the snapshot holds consent, granted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PermissionHealth {
    /// The entry's permissions the app does not request.
    pub not_requested: Vec<String>,
    /// Requested permissions of the entry without admin consent (only when read).
    pub not_granted: Vec<String>,
    /// Requested or granted beyond the entry: least-privilege drift.
    pub beyond: Vec<String>,
    /// Azure AD Graph permissions still requested.
    pub retired: Vec<String>,
    /// Whether the snapshot held the consent lists (service principals, grants, assignments).
    pub consent_read: bool,
}

/// The lists of [`PermissionHealth`], as a row names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PermissionList {
    NotRequested,
    NotGranted,
    Beyond,
    Retired,
}

impl PermissionList {
    /// A stable code (the JSON field's name).
    pub fn code(self) -> &'static str {
        match self {
            PermissionList::NotRequested => "not_requested",
            PermissionList::NotGranted => "not_granted",
            PermissionList::Beyond => "beyond",
            PermissionList::Retired => "retired",
        }
    }
}

impl std::fmt::Display for PermissionList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            PermissionList::NotRequested => "Needed by the integration, not requested",
            PermissionList::NotGranted => "Requested, without admin consent",
            PermissionList::Beyond => "Requested or granted beyond the integration",
            PermissionList::Retired => "Retired Azure AD Graph permissions still requested",
        })
    }
}

impl PermissionHealth {
    /// The lists that are not empty, worst last as the problems say them.
    pub fn lists(&self) -> Vec<(PermissionList, &[String])> {
        [
            (PermissionList::NotRequested, &self.not_requested),
            (PermissionList::NotGranted, &self.not_granted),
            (PermissionList::Beyond, &self.beyond),
            (PermissionList::Retired, &self.retired),
        ]
        .into_iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(kind, list)| (kind, list.as_slice()))
        .collect()
    }

    pub(super) fn problems(&self) -> Vec<Problem> {
        let mut out = Vec::new();
        let count = |list: &Vec<String>| (!list.is_empty()).then_some(list.len());
        if let Some(count) = count(&self.not_requested) {
            out.push(Problem::NotRequested { count });
        }
        if let Some(count) = count(&self.not_granted) {
            out.push(Problem::NotGranted { count });
        }
        if let Some(count) = count(&self.beyond) {
            out.push(Problem::BeyondCatalog { count });
        }
        if let Some(count) = count(&self.retired) {
            out.push(Problem::RetiredApi { count });
        }
        out
    }
}

/// `entry`: the integration's permissions as registered ([`planned`]).
pub(super) fn assess(app: &Application, entry: &[Perm], snapshot: &Snapshot) -> PermissionHealth {
    let requested = requested(app, snapshot);
    let granted = granted(app, snapshot);
    let names = |list: Vec<&Perm>| -> Vec<String> {
        let mut names: Vec<String> = list.into_iter().map(|p| p.name(snapshot)).collect();
        names.sort();
        names.dedup();
        names
    };
    let not_requested = names(entry.iter().filter(|p| !p.is_in(&requested)).collect());
    let not_granted = match &granted {
        Some(granted) => names(
            entry
                .iter()
                .filter(|p| p.is_in(&requested) && !p.is_in(granted))
                .collect(),
        ),
        None => Vec::new(),
    };
    let beyond = names(
        requested
            .iter()
            .chain(granted.iter().flatten())
            .filter(|p| !p.retired() && !p.is_in(entry))
            .collect(),
    );
    let retired = names(requested.iter().filter(|p| p.retired()).collect());
    PermissionHealth {
        not_requested,
        not_granted,
        beyond,
        retired,
        consent_read: granted.is_some(),
    }
}
