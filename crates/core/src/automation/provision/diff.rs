//! From the plan, the admin's inputs and the observed tenant: what to create, change or
//! leave alone, and what stops the run before it starts.

use super::blocker::{check_permission, Blocker};
use super::events::StepId;
use super::extras::{self, Extra};
use super::inputs::Inputs;
use super::observe::{Adoption, Observed};
use super::roles::{
    eligible_note, who_can_consent, Capabilities, Capability, WHO_SERVICE_PRINCIPALS,
};
use crate::catalog::{self, apis, PermissionType, Platform, SignInAudience};
use crate::graph_model::{
    Application, OAuth2PermissionGrant, RequiredResourceAccess, ResourceAccess,
};
use crate::plan::Plan;
use crate::time::{rfc3339, MS_PER_DAY};

pub use crate::plan::SECRET_NAME_PREFIX;
/// A secret that expires sooner than this is "expiring soon".
pub const EXPIRING_SOON_DAYS: i64 = 30;
const NOTES_MARKER: &str = "Entra Setup Assistant";

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Action {
    Create,
    Change,
    Keep,
    /// The admin lacks the role: a consent link is handed over instead.
    NeedsAdmin,
    /// Not needed for this integration.
    Skip,
    /// Beyond the catalog entry, and the admin ticked it for removal.
    Remove,
}

impl Action {
    /// Stable key for the UI (`data-action`, CSS class).
    pub fn key(self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::Change => "change",
            Action::Keep => "keep",
            Action::NeedsAdmin => "needs-admin",
            Action::Skip => "skip",
            Action::Remove => "remove",
        }
    }
}

impl std::fmt::Display for Action {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Action::Create => "Create",
            Action::Change => "Change",
            Action::Keep => "Keep",
            Action::NeedsAdmin => "Needs an administrator",
            Action::Skip => "Skip",
            Action::Remove => "Remove",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DiffItem {
    pub step: StepId,
    pub action: Action,
    pub title: String,
    pub details: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DesiredPermission {
    pub value: String,
    pub kind: PermissionType,
    /// The tenant's GUID (or the catalog's while the resource has no service principal);
    /// `None`: known only once the missing service principal is created.
    pub id: Option<String>,
    /// The catalog's GUID, to cross-check against the tenant after creation.
    pub catalog_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct DesiredResource {
    pub api_app_id: String,
    pub api_name: String,
    /// Its service principal in this tenant, when it exists already.
    pub sp_id: Option<String>,
    pub permissions: Vec<DesiredPermission>,
}

impl DesiredResource {
    pub fn delegated(&self) -> impl Iterator<Item = &DesiredPermission> {
        self.permissions
            .iter()
            .filter(|p| p.kind == PermissionType::Delegated)
    }

    pub fn application(&self) -> impl Iterator<Item = &DesiredPermission> {
        self.permissions
            .iter()
            .filter(|p| p.kind == PermissionType::Application)
    }

    pub fn is_graph(&self) -> bool {
        self.api_app_id
            .eq_ignore_ascii_case(apis::MICROSOFT_GRAPH.app_id)
    }
}

/// The registration as it should be.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Desired {
    pub integration_id: String,
    pub integration_name: String,
    pub unique_name: String,
    pub display_name: String,
    pub sign_in_audience: SignInAudience,
    pub platform: Platform,
    pub redirect_uri: Option<String>,
    pub resources: Vec<DesiredResource>,
    pub tags: Vec<String>,
    pub notes: String,
    /// `None`: the app gets no secret.
    pub secret_days: Option<u16>,
    pub now_ms: i64,
    pub run_id: String,
    /// The configured cloud's `{graph}/.default`, the scope of an app-only integration.
    pub graph_default_scope: String,
}

impl Desired {
    /// `requiredResourceAccess` with every permission whose ID is known.
    pub fn required_resource_access(&self) -> Vec<RequiredResourceAccess> {
        self.resources
            .iter()
            .map(|r| RequiredResourceAccess {
                resource_app_id: r.api_app_id.clone(),
                resource_access: r
                    .permissions
                    .iter()
                    .filter_map(|p| {
                        Some(ResourceAccess {
                            id: p.id.clone()?,
                            kind: p.kind.resource_access_type().to_owned(),
                        })
                    })
                    .collect(),
            })
            .filter(|r| !r.resource_access.is_empty())
            .collect()
    }

    /// The scopes string a vendor console asks for: the delegated values (plus
    /// `offline_access` when listed), or `/.default` for an app-only integration.
    pub fn scopes_string(&self) -> String {
        let delegated: Vec<&str> = self
            .resources
            .iter()
            .flat_map(|r| r.delegated().map(|p| p.value.as_str()))
            .collect();
        if delegated.is_empty() {
            self.graph_default_scope.clone()
        } else {
            delegated.join(" ")
        }
    }
}

/// What a run will do.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diff {
    pub desired: Desired,
    pub observed: Observed,
    pub items: Vec<DiffItem>,
    /// Problems that stop the run before anything is written.
    pub blocking: Vec<Blocker>,
    /// Things worth saying that change nothing.
    pub notes: Vec<String>,
    /// The upsert body (`None`: the application is left alone).
    pub application_body: Option<Application>,
    /// Permissions beyond the catalog entry; each has an item (`StepId::Extra`), kept
    /// unless [`Diff::removing`] ticks it.
    #[serde(default)]
    pub extras: Vec<Extra>,
    pub capabilities: Capabilities,
    /// "You are ...: you can ..." said up front.
    pub capability_summary: String,
    /// Who can use the admin-consent link, should one be needed.
    pub consent_who: String,
}

impl Diff {
    pub fn is_blocked(&self) -> bool {
        !self.blocking.is_empty()
    }

    pub fn action(&self, step: &StepId) -> Action {
        self.items
            .iter()
            .find(|i| &i.step == step)
            .map_or(Action::Skip, |i| i.action)
    }

    /// One line per item for the review screen: `create: ...`, `change: ...`, `keep: ...`.
    pub fn lines(&self) -> Vec<String> {
        self.items
            .iter()
            .filter(|i| i.action != Action::Skip)
            .map(|i| {
                let verb = i.action.to_string().to_lowercase();
                if i.details.is_empty() {
                    format!("{verb}: {}", i.title)
                } else {
                    format!("{verb}: {} ({})", i.title, i.details.join("; "))
                }
            })
            .collect()
    }

    /// The diff with these extras (their `StepId::Extra`) removed: their items say
    /// `Remove`, and the registration's `requiredResourceAccess` loses them. The grants and
    /// assignments go in the run's consent round. Other steps are ignored.
    pub fn removing(&self, ticked: &[StepId]) -> Diff {
        let mut out = self.clone();
        for e in &self.extras {
            let step = e.step();
            let action = if ticked.contains(&step) {
                Action::Remove
            } else {
                Action::Keep
            };
            if let Some(item) = out.items.iter_mut().find(|i| i.step == step) {
                *item = extra_item(e, action);
            }
        }
        let removed = out.removed();
        let requested = removed.iter().filter(|e| e.requested).count();
        if requested == 0 {
            return out;
        }
        let current = self
            .observed
            .application
            .as_ref()
            .and_then(|a| a.required_resource_access.clone())
            .unwrap_or_default();
        let access = extras::without(
            merged_access(&current, &self.desired.required_resource_access()),
            &removed,
        );
        let body = out.application_body.get_or_insert_with(|| Application {
            display_name: Some(self.desired.display_name.clone()),
            ..Application::default()
        });
        body.required_resource_access = Some(access);
        if let Some(app) = out.items.iter_mut().find(|i| i.step == StepId::Application) {
            if app.action == Action::Keep {
                app.action = Action::Change;
                app.details.clear();
            }
            app.details.push(format!(
                "remove {requested} permission{} beyond the integration",
                if requested == 1 { "" } else { "s" }
            ));
        }
        out
    }

    /// The extras ticked for removal.
    pub fn removed(&self) -> Vec<&Extra> {
        self.extras
            .iter()
            .filter(|e| self.action(&e.step()) == Action::Remove)
            .collect()
    }

    /// Whether a run would change nothing.
    pub fn nothing_to_do(&self) -> bool {
        self.items
            .iter()
            .all(|i| matches!(i.action, Action::Keep | Action::Skip))
    }
}

/// An extra's review line: where it is, and whether it stays.
fn extra_item(extra: &Extra, action: Action) -> DiffItem {
    let mut details: Vec<String> = extra.places().into_iter().map(str::to_owned).collect();
    details.push(
        if action == Action::Remove {
            "removed from each"
        } else {
            "kept unless you tick Remove"
        }
        .into(),
    );
    DiffItem {
        step: extra.step(),
        action,
        title: format!("{} beyond the integration", extra.name()),
        details,
    }
}

fn valid_unique_name(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 120
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c))
}

/// The secrets this tool made, by display name.
pub(crate) fn is_tool_secret(display_name: Option<&str>) -> bool {
    display_name.is_some_and(|n| n.starts_with(SECRET_NAME_PREFIX))
}

/// The display name of the secret a run adds.
pub fn secret_display_name(run_id: &str) -> String {
    format!("{SECRET_NAME_PREFIX} {run_id}")
}

/// The tenant-wide (`AllPrincipals`) grant of client `client_sp` on resource `resource_sp`.
pub(crate) fn tenant_wide_grant<'a>(
    grants: &'a [OAuth2PermissionGrant],
    client_sp: &str,
    resource_sp: &str,
) -> Option<&'a OAuth2PermissionGrant> {
    grants.iter().find(|g| {
        g.is_tenant_wide_for(client_sp) && g.resource_id.eq_ignore_ascii_case(resource_sp)
    })
}

pub fn diff(plan: &Plan, inputs: &Inputs, observed: &Observed) -> Diff {
    let integration = catalog::by_id(&plan.integration_id);
    let integration_name = integration.map_or_else(
        || plan.integration_id.to_string(),
        |i| format!("{} {}", i.vendor, i.name),
    );
    let mut blocking = Vec::new();
    let mut notes = Vec::new();
    let unique_name = inputs.unique_name(plan);
    if !valid_unique_name(&unique_name) {
        blocking.push(Blocker::InvalidUniqueName {
            unique_name: unique_name.clone(),
        });
    }
    let adopting = observed.adoption == Adoption::Adopting;
    // In adopt mode the registration keeps its name, adopted now or before.
    let keeps_name = adopting || observed.adoption == Adoption::AlreadyManaged;
    match &observed.adoption {
        Adoption::NotFound { app_id } => blocking.push(Blocker::AdoptNotFound {
            app_id: app_id.clone(),
        }),
        Adoption::Conflict {
            app_id,
            managed_app_id,
        } => blocking.push(Blocker::AdoptConflict {
            app_id: app_id.clone(),
            managed_app_id: managed_app_id.clone(),
        }),
        Adoption::None | Adoption::Adopting | Adoption::AlreadyManaged => {}
    }
    if inputs.display_name.trim().is_empty() && !adopting {
        blocking.push(Blocker::EmptyDisplayName);
    }
    let redirect_uri = match plan.platform {
        Platform::None => None,
        _ => inputs.redirect_uri.clone().filter(|u| !u.trim().is_empty()),
    };

    // Permissions, resolved against the tenant's service principals.
    let mut resources = Vec::new();
    for group in plan.by_api() {
        let api = group.api_app_id.to_ascii_lowercase();
        let api_name = group.api_name.to_owned();
        let known_api = apis::by_app_id(&api);
        if known_api.is_some_and(|a| a.retired) {
            blocking.push(Blocker::RetiredApi {
                api_name: api_name.clone(),
            });
            continue;
        }
        let sp = observed.resource(&api);
        if sp.is_none() && known_api.is_none() {
            blocking.push(Blocker::UnknownApi {
                api_name: api_name.clone(),
                api_app_id: api.clone(),
            });
        }
        let mut permissions = Vec::new();
        for p in group.permissions {
            let catalog_id = p.id.as_deref().map(str::to_ascii_lowercase);
            let id = match sp {
                Some(sp) => {
                    match check_permission(&api_name, sp, &p.value, p.kind, catalog_id.as_deref()) {
                        Ok(t) => {
                            if catalog_id.is_none() {
                                notes.push(format!(
                                    "{api_name} {} ({}) resolved from your tenant: {t}.",
                                    p.value,
                                    p.kind.as_str()
                                ));
                            }
                            Some(t)
                        }
                        Err(b) => {
                            let known = match &b {
                                Blocker::IdMismatch { tenant_id, .. } => Some(tenant_id.clone()),
                                _ => None,
                            };
                            blocking.push(b);
                            known
                        }
                    }
                }
                None => catalog_id.clone(),
            };
            permissions.push(DesiredPermission {
                value: p.value.to_string(),
                kind: p.kind,
                id,
                catalog_id,
            });
        }
        resources.push(DesiredResource {
            api_app_id: api.clone(),
            api_name,
            sp_id: sp.and_then(|s| s.id.clone()),
            permissions,
        });
    }

    let who = inputs
        .admin
        .upn
        .clone()
        .or_else(|| inputs.admin.name.clone())
        .unwrap_or_else(|| "an administrator".into());
    let desired = Desired {
        integration_id: plan.integration_id.to_string(),
        integration_name: integration_name.clone(),
        unique_name: unique_name.clone(),
        // Finish mode keeps the name the admin who set it up chose; adopt mode the name
        // the registration has (the vendor's console and the admins know it by it).
        display_name: match (
            inputs.finish_for.is_some() || keeps_name,
            &observed.application,
        ) {
            (
                true,
                Some(Application {
                    display_name: Some(name),
                    ..
                }),
            ) => name.clone(),
            _ => inputs.display_name.trim().to_owned(),
        },
        sign_in_audience: plan.sign_in_audience,
        platform: plan.platform,
        redirect_uri: redirect_uri.clone(),
        resources,
        tags: crate::plan::tags_for(&plan.integration_id).to_vec(),
        notes: format!(
            "{NOTES_MARKER}: created for {integration_name} ({}) by {who} on {}.",
            plan.integration_id,
            rfc3339(inputs.now_ms)
        ),
        secret_days: plan.secret_lifetime_days.map(|_| inputs.lifetime_days()),
        now_ms: inputs.now_ms,
        run_id: inputs.run_id.clone(),
        graph_default_scope: inputs.cloud.unwrap_or_default().graph_default_scope(),
    };

    let capabilities = observed.roles.capabilities();
    let mut items = Vec::new();

    // Application.
    let (app_action, mut app_details, mut application_body) =
        application_change(&desired, observed.application.as_ref());
    if adopting {
        // The alternate key later runs, Verify and rotation find it by; settable once, while
        // it is null (application-update).
        let body = application_body.get_or_insert_with(|| Application {
            display_name: Some(desired.display_name.clone()),
            ..Application::default()
        });
        body.unique_name = Some(unique_name.clone());
        app_details.insert(
            0,
            format!("adopt it: give it this assistant's unique name {unique_name}"),
        );
    }
    let app_action = if adopting { Action::Change } else { app_action };
    items.push(DiffItem {
        step: StepId::Application,
        action: app_action,
        title: format!(
            "app registration '{}' ({unique_name})",
            desired.display_name
        ),
        details: app_details,
    });

    // Missing resource service principals (only the higher roles may add them).
    for r in desired.resources.iter().filter(|r| r.sp_id.is_none()) {
        let allowed = observed.roles.service_principals() != Capability::No;
        items.push(DiffItem {
            step: StepId::ResourceServicePrincipal {
                api_app_id: r.api_app_id.clone(),
            },
            action: if allowed {
                Action::Create
            } else {
                Action::NeedsAdmin
            },
            title: format!("service principal of {} in this tenant", r.api_name),
            details: vec![if allowed {
                "the tenant has not used this Microsoft API yet".into()
            } else {
                format!(
                    "the tenant has not used this Microsoft API yet; adding it needs {WHO_SERVICE_PRINCIPALS}"
                )
            }],
        });
    }
    let late: Vec<String> = desired
        .resources
        .iter()
        .flat_map(|r| {
            r.permissions
                .iter()
                .filter(|p| p.id.is_none())
                .map(move |p| format!("{} {}", r.api_name, p.value))
        })
        .collect();
    if !late.is_empty() {
        items.push(DiffItem {
            step: StepId::LateRequiredAccess,
            action: Action::Create,
            title: "permissions whose IDs the new service principal reveals".into(),
            details: late,
        });
    }

    // Client service principal. Creating one for a multi-tenant app needs a higher role
    // than registering the app (serviceprincipal-upsert, graph-facts §2.1); an owner may
    // create it for their own single-tenant app.
    let sp_rights = observed.roles.service_principals();
    let sp_exists = observed.service_principal.is_some();
    let single_tenant = desired.sign_in_audience == SignInAudience::AzureADMyOrg;
    items.push(DiffItem {
        step: StepId::ServicePrincipal,
        action: if sp_exists {
            Action::Keep
        } else if sp_rights == Capability::No && !single_tenant {
            Action::NeedsAdmin
        } else {
            Action::Create
        },
        title: "enterprise application (service principal)".into(),
        details: if !sp_exists && sp_rights == Capability::No && !single_tenant {
            vec![format!(
                "a multi-tenant app's service principal needs {WHO_SERVICE_PRINCIPALS}"
            )]
        } else {
            vec![]
        },
    });

    // Secret.
    let (secret_action, secret_details) = secret_change(&desired, inputs, observed);
    items.push(DiffItem {
        step: StepId::Secret,
        action: secret_action,
        title: match desired.secret_days {
            Some(d) => format!("client secret ({d} days)"),
            None => "client secret".into(),
        },
        details: secret_details,
    });

    // Consent.
    let client_sp = observed
        .service_principal
        .as_ref()
        .and_then(|s| s.id.clone());
    for r in &desired.resources {
        let wanted: Vec<&str> = r.delegated().map(|p| p.value.as_str()).collect();
        if !wanted.is_empty() {
            let existing = match (&client_sp, &r.sp_id) {
                (Some(c), Some(res)) => tenant_wide_grant(&observed.grants, c, res),
                _ => None,
            };
            let missing: Vec<&str> = match existing {
                Some(g) => wanted
                    .iter()
                    .copied()
                    .filter(|w| {
                        !g.scope
                            .split_whitespace()
                            .any(|s| s.eq_ignore_ascii_case(w))
                    })
                    .collect(),
                None => wanted.clone(),
            };
            let action = if missing.is_empty() {
                Action::Keep
            } else if capabilities.consent == Capability::No {
                Action::NeedsAdmin
            } else if existing.is_some() {
                Action::Change
            } else {
                Action::Create
            };
            items.push(DiffItem {
                step: StepId::DelegatedConsent {
                    api_app_id: r.api_app_id.clone(),
                },
                action,
                title: format!(
                    "tenant-wide consent to {} delegated permissions",
                    r.api_name
                ),
                details: if missing.is_empty() {
                    vec![]
                } else {
                    vec![format!("add {}", missing.join(" "))]
                },
            });
        }
        for p in r.application() {
            let assigned = match (&client_sp, &r.sp_id, &p.id) {
                (Some(c), Some(res), Some(role)) => observed.assignments.iter().any(|a| {
                    a.principal_id.eq_ignore_ascii_case(c)
                        && a.resource_id.eq_ignore_ascii_case(res)
                        && a.app_role_id.eq_ignore_ascii_case(role)
                }),
                _ => false,
            };
            let allowed = if r.is_graph() {
                capabilities.graph_app_roles
            } else {
                capabilities.consent
            };
            items.push(DiffItem {
                step: StepId::AppRole {
                    api_app_id: r.api_app_id.clone(),
                    value: p.value.clone(),
                },
                action: if assigned {
                    Action::Keep
                } else if allowed == Capability::No {
                    Action::NeedsAdmin
                } else {
                    Action::Create
                },
                title: format!("{} application permission {}", r.api_name, p.value),
                details: vec![],
            });
        }
    }

    // Finish mode leaves the registration as its admin made it.
    let extras = if inputs.finish_for.is_none() {
        extras::find(&desired, observed)
    } else {
        Vec::new()
    };
    items.extend(extras.iter().map(|e| extra_item(e, Action::Keep)));

    let application_body = application_body.filter(|_| inputs.finish_for.is_none());
    if let Some(client_id) = &inputs.finish_for {
        finish_mode(client_id, &unique_name, observed, &mut items, &mut blocking);
    }
    let sp_needs_admin = items.iter().any(|i| {
        i.action == Action::NeedsAdmin
            && matches!(
                i.step,
                StepId::ServicePrincipal | StepId::ResourceServicePrincipal { .. }
            )
    });
    let consent_who = match (sp_needs_admin, plan.needs_privileged_role_admin()) {
        // The one role that both adds service principals and grants Graph app roles.
        (true, true) => "a Global Administrator",
        (true, false) => WHO_SERVICE_PRINCIPALS,
        (false, _) => who_can_consent(plan),
    };
    Diff {
        capability_summary: match eligible_note(&observed.roles, &observed.eligible_roles) {
            Some(note) => format!("{} {note}", observed.roles.summary(plan)),
            None => observed.roles.summary(plan),
        },
        consent_who: consent_who.to_owned(),
        desired,
        observed: observed.clone(),
        items,
        blocking,
        notes,
        application_body,
        extras,
        capabilities,
    }
}

/// Finish mode: an administrator opened the hand-off link for `client_id`. The
/// registration and its secret stay as the admin who set it up made them; only what needs
/// the higher role (service principals, consent) is done.
fn finish_mode(
    client_id: &str,
    unique_name: &str,
    observed: &Observed,
    items: &mut [DiffItem],
    blocking: &mut Vec<Blocker>,
) {
    match observed
        .application
        .as_ref()
        .and_then(|a| a.app_id.as_deref())
    {
        None => blocking.push(Blocker::FinishLinkNoRegistration {
            unique_name: unique_name.to_owned(),
            client_id: client_id.to_owned(),
        }),
        Some(found) if !found.eq_ignore_ascii_case(client_id) => {
            blocking.push(Blocker::FinishLinkOtherClient {
                unique_name: unique_name.to_owned(),
                client_id: client_id.to_owned(),
                found: found.to_owned(),
            })
        }
        Some(_) => {}
    }
    for item in items.iter_mut() {
        match item.step {
            StepId::Application => {
                item.action = Action::Keep;
                item.details = vec!["kept as the admin who set it up made it".into()];
            }
            StepId::Secret => {
                item.action = Action::Skip;
                item.details =
                    vec!["the admin who set it up holds the secret; finishing adds none".into()];
            }
            _ => {}
        }
    }
}

fn access_set(rra: &[RequiredResourceAccess]) -> Vec<(String, String, String)> {
    let mut out: Vec<_> = rra
        .iter()
        .flat_map(|r| {
            r.resource_access.iter().map(move |a| {
                (
                    r.resource_app_id.to_ascii_lowercase(),
                    a.id.to_ascii_lowercase(),
                    a.kind.clone(),
                )
            })
        })
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `current` plus what `desired` adds (nothing is removed: permissions an admin added by
/// hand are left alone).
pub(crate) fn merged_access(
    current: &[RequiredResourceAccess],
    desired: &[RequiredResourceAccess],
) -> Vec<RequiredResourceAccess> {
    let mut out = current.to_vec();
    for d in desired {
        match out
            .iter_mut()
            .find(|r| r.resource_app_id.eq_ignore_ascii_case(&d.resource_app_id))
        {
            Some(r) => {
                for a in &d.resource_access {
                    if !r
                        .resource_access
                        .iter()
                        .any(|x| x.id.eq_ignore_ascii_case(&a.id) && x.kind == a.kind)
                    {
                        r.resource_access.push(a.clone());
                    }
                }
            }
            None => out.push(d.clone()),
        }
    }
    out
}

fn application_change(
    desired: &Desired,
    current: Option<&Application>,
) -> (Action, Vec<String>, Option<Application>) {
    let rra = desired.required_resource_access();
    let Some(app) = current else {
        let mut details = vec![format!("{} permissions", access_set(&rra).len())];
        let mut body = Application {
            display_name: Some(desired.display_name.clone()),
            sign_in_audience: Some(desired.sign_in_audience.as_str().to_owned()),
            required_resource_access: Some(rra),
            tags: Some(desired.tags.clone()),
            notes: Some(desired.notes.clone()),
            ..Application::default()
        };
        if let Some(uri) = &desired.redirect_uri {
            body.set_redirect_uris(desired.platform, vec![uri.clone()]);
            details.push(format!(
                "redirect URI {uri} ({})",
                desired.platform.portal_label()
            ));
        }
        return (Action::Create, details, Some(body));
    };

    // Only what differs is sent.
    let mut body = Application::default();
    let mut details = Vec::new();
    if app.display_name.as_deref() != Some(desired.display_name.as_str()) {
        body.display_name = Some(desired.display_name.clone());
        details.push(format!("rename to '{}'", desired.display_name));
    }
    if app.sign_in_audience.as_deref() != Some(desired.sign_in_audience.as_str()) {
        body.sign_in_audience = Some(desired.sign_in_audience.as_str().to_owned());
        details.push(format!(
            "account type {}",
            desired.sign_in_audience.as_str()
        ));
    }
    // `redirect_uri` is `None` for a plan without a platform.
    if let Some(uri) = &desired.redirect_uri {
        let mut list = app.redirect_uris(desired.platform).to_vec();
        if !list.contains(uri) {
            list.push(uri.clone());
            body.set_redirect_uris(desired.platform, list);
            details.push(format!("add redirect URI {uri}"));
        }
        // The same URI under the other platform makes Entra pick one arbitrarily
        // (graph-facts §1.4).
        let other = if desired.platform == Platform::Web {
            Platform::Spa
        } else {
            Platform::Web
        };
        let mut other_list = app.redirect_uris(other).to_vec();
        if other_list.contains(uri) {
            other_list.retain(|u| u != uri);
            body.set_redirect_uris(other, other_list);
            details.push(format!("remove {uri} from {}", other.portal_label()));
        }
    }
    let current_rra = app.required_resource_access.clone().unwrap_or_default();
    let merged = merged_access(&current_rra, &rra);
    let added = access_set(&merged).len() - access_set(&current_rra).len();
    if added > 0 {
        body.required_resource_access = Some(merged);
        details.push(format!("add {added} permissions"));
    }
    let mut tags = app.tags.clone().unwrap_or_default();
    let missing_tags: Vec<&String> = desired.tags.iter().filter(|t| !tags.contains(t)).collect();
    if !missing_tags.is_empty() {
        tags.extend(missing_tags.into_iter().cloned());
        body.tags = Some(tags);
        details.push("tag it as managed by this tool".into());
    }
    if !app.notes.as_deref().unwrap_or("").contains(NOTES_MARKER) {
        body.notes = Some(match app.notes.as_deref().filter(|n| !n.is_empty()) {
            Some(n) => format!("{n}\n{}", desired.notes),
            None => desired.notes.clone(),
        });
    }
    if body == Application::default() {
        return (Action::Keep, vec!["matches the plan".into()], None);
    }
    // The upsert's body must contain displayName, update or not (application-upsert:
    // "The request body must contain displayName, which is a required property";
    // https://learn.microsoft.com/graph/api/application-upsert).
    body.display_name = Some(desired.display_name.clone());
    (Action::Change, details, Some(body))
}

fn secret_change(desired: &Desired, inputs: &Inputs, observed: &Observed) -> (Action, Vec<String>) {
    if desired.secret_days.is_none() {
        return (Action::Skip, vec!["this integration uses no secret".into()]);
    }
    let soon = inputs.now_ms + EXPIRING_SOON_DAYS * MS_PER_DAY;
    let this_run = secret_display_name(&inputs.run_id);
    let lost = observed.application.as_ref().is_some_and(|a| {
        a.password_credentials
            .iter()
            .any(|c| c.display_name.as_deref() == Some(this_run.as_str()))
    });
    if lost {
        return (
            Action::Create,
            vec!["replaces the secret this run added before it was interrupted (its value was never shown)".into()],
        );
    }
    // Any valid secret counts, not only this tool's: an adopted registration's own (or one
    // an admin added in the portal) may be what the vendor uses, and a run that added a
    // secret beside it would leave one nobody needs.
    let adopting = observed.adoption == Adoption::Adopting;
    let valid_tool_secret = observed.application.as_ref().and_then(|a| {
        a.password_credentials
            .iter()
            .filter_map(|c| {
                c.end_date_time
                    .as_deref()
                    .and_then(crate::time::parse_rfc3339_ms)
            })
            .filter(|&end| end > soon)
            .max()
    });
    match (inputs.new_secret_requested, valid_tool_secret) {
        (true, Some(_)) => (Action::Create, vec!["a new one, as you asked; the existing one stays valid until you remove it".into()]),
        (false, Some(end)) if adopting => (
            Action::Keep,
            vec![format!(
                "its secret valid until {} is kept (the vendor may be using it); ask for a new secret to rotate it",
                crate::time::UtcDateTime::from_unix_ms(end).date()
            )],
        ),
        (false, Some(end)) => (
            Action::Keep,
            vec![format!(
                "a secret is valid until {}; its value cannot be read again, so ask for a new secret if you no longer have it",
                crate::time::UtcDateTime::from_unix_ms(end).date()
            )],
        ),
        (_, None) => (Action::Create, vec![]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::automation::provision::inputs::Admin;
    use crate::automation::provision::roles::{AdminRoles, CLOUD_APPLICATION_ADMINISTRATOR};
    use crate::graph_model::{
        AppRole, OAuth2PermissionGrant, PasswordCredential, PermissionScope, RedirectUris,
        ServicePrincipal,
    };
    use crate::plan::Options;

    const GRAPH: &str = "00000003-0000-0000-c000-000000000000";
    const NOW: i64 = 1_800_000_000_000;

    fn plan(id: &str, redirect: Option<&str>) -> Plan {
        let mut p = Plan::new(catalog::by_id(id).unwrap(), &Options::default());
        p.redirect_uri = redirect.map(str::to_owned);
        p
    }

    #[test]
    fn a_secret_the_exported_script_added_counts_as_this_tools() {
        let body =
            crate::export::add_password_body(&plan("novus-calendarsync", None), "2027-01-01");
        let name = Some(body.password_credential.display_name.as_str());
        assert!(is_tool_secret(name), "{name:?}");
        assert!(!is_tool_secret(Some("Novus secret")));
    }

    fn inputs(plan: &Plan) -> Inputs {
        Inputs::from_plan(
            plan,
            Admin {
                tenant_id: "t".into(),
                name: None,
                upn: Some("a@x".into()),
            },
            NOW,
            "r1",
        )
    }

    /// The tenant's Graph service principal with the catalog's IDs for the plan.
    fn graph_sp(plan: &Plan) -> ServicePrincipal {
        let mut sp = ServicePrincipal {
            id: Some("graph-sp".into()),
            app_id: Some(GRAPH.into()),
            ..Default::default()
        };
        for p in plan.permissions.iter().filter(|p| p.api_app_id == GRAPH) {
            let id = p.id.clone().unwrap().into_owned();
            match p.kind {
                PermissionType::Delegated => sp.oauth2_permission_scopes.push(PermissionScope {
                    id,
                    value: Some(p.value.to_string()),
                    kind: None,
                    is_enabled: true,
                }),
                PermissionType::Application => sp.app_roles.push(AppRole {
                    id,
                    value: Some(p.value.to_string()),
                    allowed_member_types: vec!["Application".into()],
                    is_enabled: true,
                }),
            }
        }
        sp
    }

    fn fresh(plan: &Plan, roles: AdminRoles) -> Observed {
        Observed {
            tenant_id: "t".into(),
            tenant_name: None,
            roles,
            eligible_roles: vec![],
            application: None,
            service_principal: None,
            resources: vec![(GRAPH.into(), Some(graph_sp(plan)))],
            others: vec![],
            grants: vec![],
            assignments: vec![],
            adoption: Adoption::None,
        }
    }

    #[test]
    fn an_app_only_integrations_scope_names_the_configured_clouds_graph() {
        // Novus without its one delegated permission: an app-only registration.
        let mut p = plan("novus-calendarsync", None);
        p.permissions
            .retain(|x| x.kind == PermissionType::Application);
        let roles = AdminRoles::Known(vec![super::super::roles::GLOBAL_ADMINISTRATOR.into()]);
        let mut i = inputs(&p);
        assert_eq!(
            diff(&p, &i, &fresh(&p, roles.clone()))
                .desired
                .scopes_string(),
            "https://graph.microsoft.com/.default"
        );
        i.cloud = Some(crate::cloud::Cloud::UsGovHigh);
        assert_eq!(
            diff(&p, &i, &fresh(&p, roles)).desired.scopes_string(),
            "https://graph.microsoft.us/.default"
        );
    }

    #[test]
    fn a_fresh_tenant_creates_everything_with_the_redirect_on_the_plans_platform() {
        let p = plan(
            "nango-microsoft-teams",
            Some("https://nango.example/oauth/callback"),
        );
        let d = diff(
            &p,
            &inputs(&p),
            &fresh(
                &p,
                AdminRoles::Known(vec![super::super::roles::GLOBAL_ADMINISTRATOR.into()]),
            ),
        );
        assert!(!d.is_blocked(), "{:?}", d.blocking);
        let body = serde_json::to_value(d.application_body.clone().unwrap()).unwrap();
        assert_eq!(
            body["web"]["redirectUris"][0],
            "https://nango.example/oauth/callback"
        );
        assert!(body.get("spa").is_none());
        assert_eq!(
            body["requiredResourceAccess"][0]["resourceAccess"]
                .as_array()
                .unwrap()
                .len(),
            p.permissions.len()
        );
        assert!(body["notes"].as_str().unwrap().contains("a@x"));
        assert!(
            body.get("uniqueName").is_none(),
            "set by the upsert URL, not the body"
        );
        assert_eq!(d.action(&StepId::Secret), Action::Create);
        assert_eq!(
            d.action(&StepId::DelegatedConsent {
                api_app_id: GRAPH.into()
            }),
            Action::Create
        );
        assert!(
            d.lines().iter().all(|l| l.starts_with("create: ")),
            "{:?}",
            d.lines()
        );
    }

    #[test]
    fn an_existing_registration_is_changed_only_where_it_differs() {
        let p = plan(
            "nango-microsoft-teams",
            Some("https://nango.example/oauth/callback"),
        );
        let i = inputs(&p);
        let mut o = fresh(&p, AdminRoles::Unknown);
        let first = diff(&p, &i, &o);
        let mut app: Application = first.application_body.clone().unwrap();
        app.id = Some("obj".into());
        app.app_id = Some("client".into());
        // The URI was put under SPA by hand, and one scope is missing from the grant.
        app.web = Some(RedirectUris::default());
        app.spa = Some(RedirectUris {
            redirect_uris: vec!["https://nango.example/oauth/callback".into()],
        });
        app.password_credentials = vec![PasswordCredential {
            display_name: Some(format!("{SECRET_NAME_PREFIX} earlier")),
            end_date_time: Some(crate::time::rfc3339(NOW + 90 * MS_PER_DAY)),
            ..Default::default()
        }];
        o.application = Some(app);
        o.service_principal = Some(ServicePrincipal {
            id: Some("client-sp".into()),
            ..Default::default()
        });
        o.grants = vec![OAuth2PermissionGrant {
            id: Some("g".into()),
            client_id: "client-sp".into(),
            consent_type: "AllPrincipals".into(),
            principal_id: None,
            resource_id: "graph-sp".into(),
            scope: "User.Read offline_access".into(),
        }];
        let d = diff(&p, &i, &o);
        let body = serde_json::to_value(d.application_body.clone().unwrap()).unwrap();
        assert_eq!(
            body["web"]["redirectUris"],
            serde_json::json!(["https://nango.example/oauth/callback"])
        );
        assert_eq!(body["spa"]["redirectUris"], serde_json::json!([]));
        assert!(body.get("requiredResourceAccess").is_none() && body.get("notes").is_none());
        assert_eq!(
            body["displayName"],
            i.display_name.as_str(),
            "an upsert always carries displayName"
        );
        assert!(
            !d.items[0].details.iter().any(|l| l.starts_with("rename")),
            "{:?}",
            d.items[0].details
        );
        assert_eq!(d.action(&StepId::Application), Action::Change);
        assert_eq!(d.action(&StepId::ServicePrincipal), Action::Keep);
        assert_eq!(
            d.action(&StepId::Secret),
            Action::Keep,
            "a valid secret from this tool is kept"
        );
        assert_eq!(
            d.action(&StepId::DelegatedConsent {
                api_app_id: GRAPH.into()
            }),
            Action::Change
        );

        // Asking for a new secret, or resuming the run that made it, creates one.
        let again = Inputs {
            new_secret_requested: true,
            ..i.clone()
        };
        assert_eq!(diff(&p, &again, &o).action(&StepId::Secret), Action::Create);
        let resumed = Inputs {
            run_id: "earlier".into(),
            ..i
        };
        assert_eq!(
            diff(&p, &resumed, &o).action(&StepId::Secret),
            Action::Create
        );
    }

    #[test]
    fn tenant_ids_are_checked_against_the_catalog_before_anything_runs() {
        let p = plan("novus-calendarsync", None);
        let mut o = fresh(
            &p,
            AdminRoles::Known(vec![CLOUD_APPLICATION_ADMINISTRATOR.into()]),
        );
        let d = diff(&p, &inputs(&p), &o);
        assert!(!d.is_blocked());
        // A Cloud Application Administrator cannot grant Graph app roles: handed over.
        assert_eq!(
            d.action(&StepId::AppRole {
                api_app_id: GRAPH.into(),
                value: "Calendars.ReadWrite".into()
            }),
            Action::NeedsAdmin
        );
        assert_eq!(
            d.action(&StepId::DelegatedConsent {
                api_app_id: GRAPH.into()
            }),
            Action::Create
        );

        let sp = o.resources[0].1.as_mut().unwrap();
        sp.app_roles[0].id = "00000000-0000-0000-0000-00000000abcd".into();
        let d = diff(&p, &inputs(&p), &o);
        assert!(d.is_blocked());
        assert!(
            d.blocking[0]
                .to_string()
                .contains("00000000-0000-0000-0000-00000000abcd"),
            "{:?}",
            d.blocking
        );
    }
}
