//! Permissions a registration requests or holds beyond its catalog entry (least-privilege
//! drift: added by hand, or left by an older guide), found when a run reads an existing
//! registration. They are listed on the review, kept unless the admin ticks them, and a
//! ticked one is removed everywhere it is: from `requiredResourceAccess`, from the
//! tenant-wide delegated grant, and its app role assignment.

use super::diff::Desired;
use super::events::StepId;
use super::observe::Observed;
use crate::automation::auth::scopes;
use crate::catalog::{apis, PermissionType};
use crate::graph_model::RequiredResourceAccess;
use crate::health::{catalog_value, id_in, label, value_in};

/// One permission beyond the catalog entry.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Extra {
    pub api_app_id: String,
    pub api_name: String,
    pub kind: PermissionType,
    /// Its GUID, when the registration or the tenant names it.
    pub id: Option<String>,
    /// Its value (e.g. `Mail.Send`), when the tenant or the catalog names it.
    pub value: Option<String>,
    /// Listed in the registration's `requiredResourceAccess`.
    pub requested: bool,
    /// Delegated: the tenant-wide grant that holds it.
    pub grant_id: Option<String>,
    /// Application: its app role assignment, `(resource service principal, assignment)`.
    pub assignment: Option<(String, String)>,
}

impl Extra {
    pub fn step(&self) -> StepId {
        StepId::Extra {
            api_app_id: self.api_app_id.clone(),
            kind: self.kind,
            permission: self
                .value
                .clone()
                .or_else(|| self.id.clone())
                .unwrap_or_default(),
        }
    }

    /// "Microsoft Graph Mail.Send (Application)"; the GUID when nothing names it.
    pub fn name(&self) -> String {
        let value = self.value.as_deref().or(self.id.as_deref()).unwrap_or("?");
        label(&self.api_name, value, self.kind)
    }

    /// Where it is, for the review: "requested", "granted tenant-wide", "assigned".
    pub fn places(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.requested {
            out.push("requested in API permissions");
        }
        if self.grant_id.is_some() {
            out.push("consented for all users");
        }
        if self.assignment.is_some() {
            out.push("granted (app role assignment)");
        }
        out
    }

    /// The Graph permission removing it needs beyond a run's `Application.ReadWrite.All`
    /// (which covers `requiredResourceAccess`): [`scopes::for_repair`] asks for both.
    pub fn needs_scope(&self) -> Option<&'static str> {
        if self.grant_id.is_some() {
            Some(scopes::GRANT_WRITE)
        } else if self.assignment.is_some() {
            Some(scopes::ASSIGNMENT_WRITE)
        } else {
            None
        }
    }

    fn is(&self, api: &str, kind: PermissionType, id: Option<&str>, value: Option<&str>) -> bool {
        self.api_app_id.eq_ignore_ascii_case(api)
            && self.kind == kind
            && match (self.id.as_deref(), id, self.value.as_deref(), value) {
                (Some(a), Some(b), _, _) => a.eq_ignore_ascii_case(b),
                (_, _, Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => false,
            }
    }
}

/// Whether `desired` has this permission (by GUID, or by value where the GUID is unknown).
fn wanted(
    desired: &Desired,
    api: &str,
    kind: PermissionType,
    id: Option<&str>,
    value: Option<&str>,
) -> bool {
    desired
        .resources
        .iter()
        .filter(|r| r.api_app_id.eq_ignore_ascii_case(api))
        .flat_map(|r| r.permissions.iter())
        .any(|p| {
            p.kind == kind
                && (matches!((p.id.as_deref(), id), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
                    || matches!(value, Some(v) if p.value.eq_ignore_ascii_case(v)))
        })
}

/// The extras of the observed registration (none when there is none yet).
pub(crate) fn find(desired: &Desired, observed: &Observed) -> Vec<Extra> {
    let Some(app) = &observed.application else {
        return Vec::new();
    };
    let api_name = |api: &str| {
        apis::by_app_id(api)
            .map(|a| a.name.to_owned())
            .or_else(|| {
                observed
                    .resource(api)
                    .and_then(|sp| sp.display_name.clone())
            })
            .unwrap_or_else(|| api.to_owned())
    };
    let mut out: Vec<Extra> = Vec::new();
    for r in app.required_resource_access.iter().flatten() {
        let api = r.resource_app_id.to_ascii_lowercase();
        for a in &r.resource_access {
            let kind = PermissionType::from_resource_access_type(&a.kind);
            let value = observed
                .resource(&api)
                .and_then(|sp| value_in(sp, kind, &a.id))
                .or_else(|| catalog_value(&api, kind, &a.id));
            if wanted(desired, &api, kind, Some(&a.id), value.as_deref())
                || out.iter().any(|e| e.is(&api, kind, Some(&a.id), None))
            {
                continue;
            }
            out.push(Extra {
                api_app_id: api.clone(),
                api_name: api_name(&api),
                kind,
                id: Some(a.id.to_ascii_lowercase()),
                value,
                requested: true,
                grant_id: None,
                assignment: None,
            });
        }
    }
    let Some(client) = observed
        .service_principal
        .as_ref()
        .and_then(|s| s.id.as_deref())
    else {
        return out;
    };
    // The APIs the client holds consent on: the plan's, then those outside it
    // (`Observed::others`), each with the service principal that names its permissions.
    let plan_apis = desired.resources.iter().filter_map(|r| {
        let sp = observed.resource(&r.api_app_id)?;
        Some((
            r.api_app_id.clone(),
            r.api_name.clone(),
            r.sp_id.as_deref()?,
            sp,
        ))
    });
    let other_apis = observed.others.iter().filter_map(|sp| {
        let api = sp.app_id.as_deref()?.to_ascii_lowercase();
        Some((api.clone(), api_name(&api), sp.id.as_deref()?, sp))
    });
    for (api, name, resource_sp, sp) in plan_apis.chain(other_apis) {
        let mut add = |extra: Extra| match out.iter_mut().find(|e| {
            e.is(
                &extra.api_app_id,
                extra.kind,
                extra.id.as_deref(),
                extra.value.as_deref(),
            )
        }) {
            Some(e) => {
                e.grant_id = e.grant_id.take().or(extra.grant_id);
                e.assignment = e.assignment.take().or(extra.assignment);
                e.value = e.value.take().or(extra.value);
            }
            None => out.push(extra),
        };
        if let Some(g) = super::diff::tenant_wide_grant(&observed.grants, client, resource_sp) {
            for value in g.scope.split_whitespace() {
                let kind = PermissionType::Delegated;
                let id = id_in(sp, kind, value);
                if wanted(desired, &api, kind, id.as_deref(), Some(value)) {
                    continue;
                }
                add(Extra {
                    api_app_id: api.clone(),
                    api_name: name.clone(),
                    kind,
                    id,
                    value: Some(value.to_owned()),
                    requested: false,
                    grant_id: g.id.clone(),
                    assignment: None,
                });
            }
        }
        for a in observed.assignments.iter().filter(|a| {
            a.principal_id.eq_ignore_ascii_case(client)
                && a.resource_id.eq_ignore_ascii_case(resource_sp)
        }) {
            let kind = PermissionType::Application;
            if wanted(desired, &api, kind, Some(&a.app_role_id), None) {
                continue;
            }
            add(Extra {
                api_app_id: api.clone(),
                api_name: name.clone(),
                kind,
                id: Some(a.app_role_id.to_ascii_lowercase()),
                value: value_in(sp, kind, &a.app_role_id),
                requested: false,
                grant_id: None,
                assignment: a.id.clone().map(|id| (resource_sp.to_owned(), id)),
            });
        }
    }
    out
}

/// `access` without the removed extras' entries.
pub(crate) fn without(
    access: Vec<RequiredResourceAccess>,
    removed: &[&Extra],
) -> Vec<RequiredResourceAccess> {
    access
        .into_iter()
        .map(|mut r| {
            let kind_of = |t: &str| PermissionType::from_resource_access_type(t);
            r.resource_access.retain(|a| {
                !removed.iter().any(|e| {
                    e.requested && e.is(&r.resource_app_id, kind_of(&a.kind), Some(&a.id), None)
                })
            });
            r
        })
        .filter(|r| !r.resource_access.is_empty())
        .collect()
}

/// A grant's scopes without the removed delegated values.
pub(crate) fn narrowed(scope: &str, removed: &[&Extra]) -> String {
    scope
        .split_whitespace()
        .filter(|s| {
            !removed.iter().any(|e| {
                e.value
                    .as_deref()
                    .is_some_and(|v| v.eq_ignore_ascii_case(s))
            })
        })
        .collect::<Vec<_>>()
        .join(" ")
}
