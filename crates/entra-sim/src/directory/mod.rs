//! The simulated directory: tenants with their users, applications, service principals,
//! delegated permission grants and app role assignments.
//!
//! Graph objects are kept as their Graph JSON bodies (what Graph would return), with
//! simulator metadata beside them: when the object was created on the sim clock (for the
//! replication delay), secret hashes, owners. Shapes follow graph-facts §3, §5, §6.

pub mod application;
pub mod consent;
pub mod service_principal;

use std::collections::BTreeSet;

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::seed::{
    AppManagementPolicy, DirectoryRoleObject, FirstPartyApp, RoleTemplate, Seed, SeedGroup,
    SeedUser, VerifiedDomain,
};

pub use application::Application;

#[derive(Debug, Clone)]
pub struct Directory {
    pub tenants: Vec<Tenant>,
    pub first_party: Vec<FirstPartyApp>,
    pub role_templates: Vec<RoleTemplate>,
}

#[derive(Debug, Clone)]
pub struct Tenant {
    pub id: String,
    pub display_name: String,
    pub verified_domains: Vec<VerifiedDomain>,
    pub created_date_time: String,
    pub users_can_register_apps: bool,
    pub policy: Option<AppManagementPolicy>,
    pub directory_roles: Vec<DirectoryRoleObject>,
    pub users: Vec<SeedUser>,
    pub groups: Vec<SeedGroup>,
    pub applications: Vec<Application>,
    pub service_principals: Vec<Record>,
    pub grants: Vec<Record>,
    pub assignments: Vec<Record>,
    pub consents: Vec<ConsentRecord>,
}

/// A stored directory object: its Graph body and the sim-clock instant it was created.
pub trait Stored {
    fn body(&self) -> &Map<String, Value>;

    fn created_ms(&self) -> i64;

    /// This object's own replication delay (drawn when it was created), on top of the
    /// fixed delay every read applies.
    fn delay_ms(&self) -> i64;

    /// Sim-clock instant from which a read with no fixed delay sees the object.
    fn visible_at(&self) -> i64 {
        self.created_ms().saturating_add(self.delay_ms())
    }

    /// A string property, `""` when absent or not a string.
    fn str(&self, key: &str) -> &str {
        self.body().get(key).and_then(Value::as_str).unwrap_or("")
    }

    fn id(&self) -> &str {
        self.str("id")
    }

    /// Visible to a read that happens at `visible_before` = now - fixed replication delay.
    fn visible(&self, visible_before: i64) -> bool {
        self.visible_at() <= visible_before
    }
}

/// A Graph object body plus the sim-clock instant it was created and its own replication
/// delay.
#[derive(Debug, Clone)]
pub struct Record {
    pub body: Map<String, Value>,
    pub created_ms: i64,
    pub delay_ms: i64,
}

impl Record {
    /// An object with no replication delay of its own.
    pub fn new(body: Map<String, Value>, created_ms: i64) -> Record {
        Record::delayed(body, created_ms, 0)
    }

    pub fn delayed(body: Map<String, Value>, created_ms: i64, delay_ms: i64) -> Record {
        Record {
            body,
            created_ms,
            delay_ms,
        }
    }
}

impl Stored for Record {
    fn body(&self) -> &Map<String, Value> {
        &self.body
    }

    fn created_ms(&self) -> i64 {
        self.created_ms
    }

    fn delay_ms(&self) -> i64 {
        self.delay_ms
    }
}

/// A consent given interactively or through the admin-consent endpoint, for `/_sim/state`.
#[derive(Debug, Clone, Serialize)]
pub struct ConsentRecord {
    pub time: String,
    /// `user` (consent page, for the signed-in user only), `organization` (consent page with
    /// "on behalf of your organization"), `admin_consent_endpoint`.
    pub kind: String,
    pub user_id: String,
    pub user_principal_name: String,
    pub client_app_id: String,
    /// `resourceAppId` -> delegated scope values granted.
    pub scopes: Vec<(String, Vec<String>)>,
    /// `resourceAppId` -> app role values assigned.
    pub app_roles: Vec<(String, Vec<String>)>,
}

impl Directory {
    /// Builds the directory from a seed. Seeded objects count as created long ago, so the
    /// replication delay never hides them.
    /// Seeded secrets are dated from `now_ms` (the simulator's clock at the start).
    pub fn from_seed(
        seed: &Seed,
        extra_spa_redirect_uris: &[String],
        now_ms: i64,
    ) -> Result<Directory, String> {
        let mut tenants = Vec::new();
        for st in &seed.tenants {
            let mut tenant = Tenant {
                id: st.id.clone(),
                display_name: st.display_name.clone(),
                verified_domains: st.verified_domains.clone(),
                created_date_time: st.created_date_time.clone(),
                users_can_register_apps: st.users_can_register_apps,
                policy: st.app_management_policy.clone(),
                directory_roles: st.directory_roles.clone(),
                users: st.users.clone(),
                groups: st.groups.clone(),
                applications: Vec::new(),
                service_principals: Vec::new(),
                grants: Vec::new(),
                assignments: Vec::new(),
                consents: Vec::new(),
            };
            for fp in &st.first_party_service_principals {
                let app = seed
                    .first_party_apps
                    .iter()
                    .find(|a| a.app_id == fp.app_id)
                    .ok_or_else(|| format!("unknown first-party app {}", fp.app_id))?;
                let body = service_principal::first_party_body(&fp.id, app, &st.created_date_time);
                tenant.service_principals.push(Record::new(body, 0));
            }
            for props in &st.applications {
                let app = Application::from_seed(props, &tenant, now_ms)?;
                tenant.applications.push(app);
            }
            tenants.push(tenant);
        }
        // Service principals of seeded applications may refer to applications of other
        // tenants (multi-tenant apps), so they are built once every application exists.
        let mut directory = Directory {
            tenants,
            first_party: seed.first_party_apps.clone(),
            role_templates: seed.directory_role_templates.clone(),
        };
        for (ti, st) in seed.tenants.iter().enumerate() {
            for props in &st.service_principals {
                let id = props
                    .get("id")
                    .and_then(Value::as_str)
                    .ok_or("seed servicePrincipal without id")?;
                let app_id = props
                    .get("appId")
                    .and_then(Value::as_str)
                    .ok_or("seed servicePrincipal without appId")?;
                let (home, app) = directory.application_anywhere(app_id).ok_or_else(|| {
                    format!("seed servicePrincipal {id}: no application {app_id}")
                })?;
                let mut body = service_principal::body_for_application(
                    id,
                    app,
                    &home.id,
                    &st.created_date_time,
                );
                for (k, v) in props {
                    body.insert(k.clone(), v.clone());
                }
                directory.tenants[ti]
                    .service_principals
                    .push(Record::new(body, 0));
            }
            for props in &st.oauth2_permission_grants {
                directory.tenants[ti]
                    .grants
                    .push(Record::new(props.clone(), 0));
            }
            for props in &st.app_role_assignments {
                directory.tenants[ti]
                    .assignments
                    .push(Record::new(props.clone(), 0));
            }
        }
        if !extra_spa_redirect_uris.is_empty() {
            directory
                .add_spa_redirect_uris(crate::ids::ASSISTANT_CLIENT_ID, extra_spa_redirect_uris)?;
        }
        Ok(directory)
    }

    /// Looks a tenant up by GUID or verified domain (case-insensitive), as `/{tenant}/` does.
    pub fn tenant(&self, key: &str) -> Option<&Tenant> {
        self.tenants.iter().find(|t| t.matches(key))
    }

    pub fn tenant_index(&self, key: &str) -> Option<usize> {
        self.tenants.iter().position(|t| t.matches(key))
    }

    pub fn tenant_mut(&mut self, key: &str) -> Option<&mut Tenant> {
        self.tenants.iter_mut().find(|t| t.matches(key))
    }

    /// Finds an application by appId in any tenant: its home tenant and the object.
    pub fn application_anywhere(&self, app_id: &str) -> Option<(&Tenant, &Application)> {
        self.replicated_application(app_id, i64::MAX)
    }

    /// Like [`Directory::application_anywhere`], as a replica serving a read at
    /// `visible_before` sees it.
    pub fn replicated_application(
        &self,
        app_id: &str,
        visible_before: i64,
    ) -> Option<(&Tenant, &Application)> {
        self.tenants.iter().find_map(|t| {
            t.application_by_app_id(app_id, visible_before)
                .map(|a| (t, a))
        })
    }

    pub fn first_party_app(&self, app_id: &str) -> Option<&FirstPartyApp> {
        self.first_party
            .iter()
            .find(|a| a.app_id.eq_ignore_ascii_case(app_id))
    }

    pub fn role_template(&self, id: &str) -> Option<&RoleTemplate> {
        self.role_templates.iter().find(|r| r.id == id)
    }

    /// Appends `spa` redirect URIs to the application with `app_id` (wherever it lives),
    /// skipping ones already present; returns the resulting list.
    pub fn add_spa_redirect_uris(
        &mut self,
        app_id: &str,
        uris: &[String],
    ) -> Result<Vec<String>, String> {
        let app = self
            .tenants
            .iter_mut()
            .flat_map(|t| t.applications.iter_mut())
            .find(|a| a.app_id().eq_ignore_ascii_case(app_id))
            .ok_or_else(|| format!("no application with appId {app_id}"))?;
        for uri in uris {
            application::check_redirect_uri(uri, "spa", app.sign_in_audience())
                .map_err(|e| format!("{uri}: {e}"))?;
        }
        let spa = app
            .body
            .entry("spa")
            .or_insert_with(|| json!({ "redirectUris": [] }));
        let list = spa
            .as_object_mut()
            .ok_or("spa is not an object")?
            .entry("redirectUris")
            .or_insert_with(|| json!([]));
        let arr = list
            .as_array_mut()
            .ok_or("spa.redirectUris is not an array")?;
        for uri in uris {
            if !arr.iter().any(|v| v.as_str() == Some(uri)) {
                arr.push(Value::String(uri.clone()));
            }
        }
        Ok(app.redirect_uris("spa"))
    }
}

impl Tenant {
    fn matches(&self, key: &str) -> bool {
        self.id.eq_ignore_ascii_case(key)
            || self
                .verified_domains
                .iter()
                .any(|d| d.name.eq_ignore_ascii_case(key))
    }

    pub fn default_domain(&self) -> &str {
        self.verified_domains
            .iter()
            .find(|d| d.is_default)
            .or(self.verified_domains.first())
            .map(|d| d.name.as_str())
            .unwrap_or("")
    }

    pub fn user(&self, id_or_upn: &str) -> Option<&SeedUser> {
        self.users.iter().find(|u| {
            u.id.eq_ignore_ascii_case(id_or_upn)
                || u.user_principal_name.eq_ignore_ascii_case(id_or_upn)
        })
    }

    /// The user a sign-in name picks: a member by UPN or, where `guests` sign in (a
    /// tenant-specific authority), a guest by their home account. Guests must name the
    /// resource tenant (v2-oauth2-auth-code-flow: "For guest scenarios where you sign a
    /// user from one tenant into another tenant, you *must* provide the tenant identifier").
    pub fn user_signing_in(&self, name: &str, guests: bool) -> Option<&SeedUser> {
        self.users.iter().find(|u| {
            if u.is_guest() {
                guests && u.mail.eq_ignore_ascii_case(name)
            } else {
                u.user_principal_name.eq_ignore_ascii_case(name)
            }
        })
    }

    /// Groups the user is a direct member of.
    pub fn user_groups(&self, user_id: &str) -> impl Iterator<Item = &SeedGroup> {
        let user_id = user_id.to_owned();
        self.groups
            .iter()
            .filter(move |g| g.members.iter().any(|m| m.eq_ignore_ascii_case(&user_id)))
    }

    /// Role template ids the user holds directly (what `/me/memberOf` lists).
    pub fn direct_user_roles(&self, user_id: &str) -> Vec<String> {
        self.user(user_id)
            .map(|u| u.directory_roles.clone())
            .unwrap_or_default()
    }

    /// Role template ids of the user's active directory roles: direct ones and those of
    /// the role-assignable groups they belong to (user-list-transitivememberof: "through
    /// either direct or transitive membership"). Every authorization decision uses these;
    /// PIM-eligible roles that are not activated are not among them.
    pub fn user_roles(&self, user_id: &str) -> Vec<String> {
        let mut roles = self.direct_user_roles(user_id);
        for group in self.user_groups(user_id) {
            for role in &group.directory_roles {
                if !roles.contains(role) {
                    roles.push(role.clone());
                }
            }
        }
        roles
    }

    /// Role template ids the user is PIM-eligible for (not active).
    pub fn eligible_user_roles(&self, user_id: &str) -> Vec<String> {
        self.user(user_id)
            .map(|u| u.eligible_directory_roles.clone())
            .unwrap_or_default()
    }

    pub fn user_has_any_role(&self, user_id: &str, templates: &[&str]) -> bool {
        self.user_roles(user_id)
            .iter()
            .any(|r| templates.contains(&r.as_str()))
    }

    pub fn application_by_app_id(&self, app_id: &str, visible_before: i64) -> Option<&Application> {
        self.applications
            .iter()
            .find(|a| a.app_id().eq_ignore_ascii_case(app_id) && a.visible(visible_before))
    }

    pub fn sp(&self, id: &str, visible_before: i64) -> Option<&Record> {
        self.service_principals
            .iter()
            .find(|s| s.id().eq_ignore_ascii_case(id) && s.visible(visible_before))
    }

    pub fn sp_by_app_id(&self, app_id: &str, visible_before: i64) -> Option<&Record> {
        self.service_principals
            .iter()
            .find(|s| s.str("appId").eq_ignore_ascii_case(app_id) && s.visible(visible_before))
    }

    /// Resolves a resource named in a scope (`https://graph.microsoft.com`, an appId, an
    /// identifier URI) to its service principal in this tenant.
    pub fn resource_sp(&self, identifier: &str, visible_before: i64) -> Option<&Record> {
        let wanted = normalize_resource(identifier);
        self.service_principals.iter().find(|s| {
            s.visible(visible_before)
                && (normalize_resource(s.str("appId")) == wanted
                    || s.body
                        .get("servicePrincipalNames")
                        .and_then(Value::as_array)
                        .is_some_and(|names| {
                            names
                                .iter()
                                .filter_map(Value::as_str)
                                .any(|n| normalize_resource(n) == wanted)
                        }))
        })
    }

    /// Delegated scopes the client holds on the resource for this user: the tenant-wide
    /// (`AllPrincipals`) grant plus the user's own (`Principal`) grant.
    pub fn consented_scopes(
        &self,
        client_sp_id: &str,
        resource_sp_id: &str,
        user_id: Option<&str>,
    ) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        for g in &self.grants {
            if !g.str("clientId").eq_ignore_ascii_case(client_sp_id)
                || !g.str("resourceId").eq_ignore_ascii_case(resource_sp_id)
            {
                continue;
            }
            let applies = match g.str("consentType") {
                "AllPrincipals" => true,
                "Principal" => {
                    user_id.is_some_and(|u| g.str("principalId").eq_ignore_ascii_case(u))
                }
                _ => false,
            };
            if applies {
                out.extend(g.str("scope").split_whitespace().map(str::to_owned));
            }
        }
        out
    }

    /// The grant for this client, resource and consent type (`Principal` grants also by
    /// principal), as consent and `POST /oauth2PermissionGrants` look for it.
    pub fn grant_index(
        &self,
        client_sp_id: &str,
        resource_sp_id: &str,
        consent_type: &str,
        principal_id: Option<&str>,
    ) -> Option<usize> {
        self.grants.iter().position(|g| {
            g.str("clientId").eq_ignore_ascii_case(client_sp_id)
                && g.str("resourceId").eq_ignore_ascii_case(resource_sp_id)
                && g.str("consentType") == consent_type
                && principal_id.is_none_or(|p| g.str("principalId").eq_ignore_ascii_case(p))
        })
    }

    /// Whether the principal already holds this app role of the resource.
    pub fn has_assignment(
        &self,
        principal_sp_id: &str,
        resource_sp_id: &str,
        app_role_id: &str,
    ) -> bool {
        self.assignments.iter().any(|a| {
            a.str("principalId").eq_ignore_ascii_case(principal_sp_id)
                && a.str("resourceId").eq_ignore_ascii_case(resource_sp_id)
                && a.str("appRoleId").eq_ignore_ascii_case(app_role_id)
        })
    }

    /// App role values assigned to the client service principal on the resource.
    pub fn assigned_app_roles(&self, client_sp_id: &str, resource_sp: &Record) -> BTreeSet<String> {
        let roles = resource_sp.body.get("appRoles").and_then(Value::as_array);
        self.assignments
            .iter()
            .filter(|a| {
                a.str("principalId").eq_ignore_ascii_case(client_sp_id)
                    && a.str("resourceId").eq_ignore_ascii_case(resource_sp.id())
            })
            .filter_map(|a| {
                roles?
                    .iter()
                    .find(|r| r.get("id").and_then(Value::as_str) == Some(a.str("appRoleId")))
                    .and_then(|r| r.get("value").and_then(Value::as_str))
                    .map(str::to_owned)
            })
            .collect()
    }

    /// Removes a service principal and everything that hangs off it.
    pub fn delete_sp(&mut self, sp_id: &str) {
        self.service_principals
            .retain(|s| !s.id().eq_ignore_ascii_case(sp_id));
        self.grants.retain(|g| {
            !g.str("clientId").eq_ignore_ascii_case(sp_id)
                && !g.str("resourceId").eq_ignore_ascii_case(sp_id)
        });
        self.assignments.retain(|a| {
            !a.str("principalId").eq_ignore_ascii_case(sp_id)
                && !a.str("resourceId").eq_ignore_ascii_case(sp_id)
        });
    }
}

/// `https://graph.microsoft.com/` and `https://graph.microsoft.com` name the same resource.
pub fn normalize_resource(identifier: &str) -> String {
    identifier.trim_end_matches('/').to_ascii_lowercase()
}

/// The entry of the service principal's `collection` whose `field` is `value`
/// (case-insensitive).
fn sp_permission<'a>(
    sp: &'a Record,
    collection: &str,
    field: &str,
    value: &str,
) -> Option<&'a Map<String, Value>> {
    sp.body
        .get(collection)
        .and_then(Value::as_array)?
        .iter()
        .filter_map(Value::as_object)
        .find(|p| {
            p.get(field)
                .and_then(Value::as_str)
                .is_some_and(|v| v.eq_ignore_ascii_case(value))
        })
}

/// The delegated scope (`oauth2PermissionScopes` entry) with this value.
pub fn sp_scope<'a>(sp: &'a Record, value: &str) -> Option<&'a Map<String, Value>> {
    sp_permission(sp, "oauth2PermissionScopes", "value", value)
}

/// The app role with this id.
pub fn sp_app_role_by_id<'a>(sp: &'a Record, id: &str) -> Option<&'a Map<String, Value>> {
    sp_permission(sp, "appRoles", "id", id)
}
