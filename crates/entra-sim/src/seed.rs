//! The seed: the directory the simulator starts from and resets to.
//!
//! The default seed ships as `seed/default-seed.json`; `--seed FILE` (or
//! `SimConfig::seed`) replaces it wholesale, so a test can bring its own tenants.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

pub const DEFAULT_SEED_JSON: &str = include_str!("../seed/default-seed.json");

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Seed {
    #[serde(rename = "$comment", default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    pub directory_role_templates: Vec<RoleTemplate>,
    /// Microsoft's own resource applications; every tenant may hold service principals of them,
    /// and `POST /servicePrincipals` with one of their appIds creates one.
    pub first_party_apps: Vec<FirstPartyApp>,
    pub tenants: Vec<SeedTenant>,
}

impl Seed {
    /// The shipped seed, parsed once per process.
    pub fn default_seed() -> Seed {
        static DEFAULT: LazyLock<Seed> = LazyLock::new(|| {
            Seed::from_json(DEFAULT_SEED_JSON).expect("the shipped default seed is valid")
        });
        DEFAULT.clone()
    }

    pub fn from_json(text: &str) -> Result<Seed, String> {
        let seed: Seed = serde_json::from_str(text).map_err(|e| format!("invalid seed: {e}"))?;
        seed.check()?;
        Ok(seed)
    }

    fn check(&self) -> Result<(), String> {
        for tenant in &self.tenants {
            for sp in &tenant.first_party_service_principals {
                if !self.first_party_apps.iter().any(|a| a.app_id == sp.app_id) {
                    return Err(format!(
                        "tenant {}: first-party service principal for unknown appId {}",
                        tenant.id, sp.app_id
                    ));
                }
            }
            for group in &tenant.groups {
                if !group.directory_roles.is_empty() && !group.is_assignable_to_role {
                    return Err(format!(
                        "tenant {}: group {} holds directory roles but is not isAssignableToRole",
                        tenant.id, group.display_name
                    ));
                }
                let held = group.directory_roles.iter();
                if let Some(role) = held.clone().find(|r| {
                    !tenant
                        .directory_roles
                        .iter()
                        .any(|d| &&d.role_template_id == r)
                }) {
                    return Err(format!(
                        "tenant {}: group {} holds role {role} that has no directoryRoles entry",
                        tenant.id, group.display_name
                    ));
                }
                if let Some(m) = group
                    .members
                    .iter()
                    .find(|m| !tenant.users.iter().any(|u| &u.id == *m))
                {
                    return Err(format!(
                        "tenant {}: group {} has unknown member {m}",
                        tenant.id, group.display_name
                    ));
                }
            }
            for user in &tenant.users {
                for role in &user.eligible_directory_roles {
                    if !self.directory_role_templates.iter().any(|t| &t.id == role) {
                        return Err(format!(
                            "tenant {}: user {} is eligible for unknown role template {role}",
                            tenant.id, user.user_principal_name
                        ));
                    }
                }
                for role in &user.directory_roles {
                    if !tenant
                        .directory_roles
                        .iter()
                        .any(|r| &r.role_template_id == role)
                    {
                        return Err(format!(
                            "tenant {}: user {} holds role {role} that has no directoryRoles entry",
                            tenant.id, user.user_principal_name
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RoleTemplate {
    pub id: String,
    pub display_name: String,
    pub description: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FirstPartyApp {
    pub app_id: String,
    pub display_name: String,
    pub app_owner_organization_id: String,
    pub service_principal_names: Vec<String>,
    pub oauth2_permission_scopes: Vec<PermissionScope>,
    pub app_roles: Vec<AppRole>,
}

/// A delegated permission (`permissionScope`, graph-facts §7). `source` says where its id
/// came from and is never served by Graph.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PermissionScope {
    pub id: String,
    pub value: String,
    /// `User` or `Admin`: who may consent by default.
    #[serde(rename = "type")]
    pub consent_type: String,
    pub admin_consent_display_name: String,
    pub admin_consent_description: String,
    pub user_consent_display_name: String,
    pub user_consent_description: String,
    pub is_enabled: bool,
    #[serde(default, skip_serializing)]
    pub source: Option<String>,
}

/// An application permission (`appRole`, graph-facts §7).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppRole {
    pub id: String,
    pub value: String,
    pub display_name: String,
    pub description: String,
    pub allowed_member_types: Vec<String>,
    pub is_enabled: bool,
    pub origin: String,
    #[serde(default, skip_serializing)]
    pub source: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedTenant {
    pub id: String,
    pub display_name: String,
    pub verified_domains: Vec<VerifiedDomain>,
    pub created_date_time: String,
    #[serde(default = "yes")]
    pub users_can_register_apps: bool,
    #[serde(default)]
    pub app_management_policy: Option<AppManagementPolicy>,
    pub directory_roles: Vec<DirectoryRoleObject>,
    pub users: Vec<SeedUser>,
    /// Groups; role-assignable ones (`isAssignableToRole`) may hold directory roles, which
    /// their members then hold too (active, transitively).
    #[serde(default)]
    pub groups: Vec<SeedGroup>,
    pub first_party_service_principals: Vec<ObjectRef>,
    /// Graph `application` bodies (id and appId required); omitted properties get Graph's
    /// defaults. `owners` (user object ids) is simulator metadata.
    #[serde(default)]
    pub applications: Vec<Map<String, Value>>,
    /// Service principals of this seed's own applications: `{id, appId}` plus any Graph
    /// properties to override.
    #[serde(default)]
    pub service_principals: Vec<Map<String, Value>>,
    #[serde(default)]
    pub oauth2_permission_grants: Vec<Map<String, Value>>,
    #[serde(default)]
    pub app_role_assignments: Vec<Map<String, Value>>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VerifiedDomain {
    pub name: String,
    pub is_default: bool,
    pub is_initial: bool,
    #[serde(rename = "type")]
    pub kind: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AppManagementPolicy {
    pub id: String,
    pub display_name: String,
    pub password_credentials: Vec<PasswordCredentialRestriction>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PasswordCredentialRestriction {
    /// Only `passwordLifetime` and `passwordAddition` are enforced.
    pub restriction_type: String,
    #[serde(default)]
    pub max_lifetime: Option<String>,
    #[serde(default)]
    pub restrict_for_apps_created_after_date_time: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DirectoryRoleObject {
    pub id: String,
    pub role_template_id: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedUser {
    pub id: String,
    pub display_name: String,
    pub given_name: String,
    pub surname: String,
    pub user_principal_name: String,
    pub mail: String,
    pub job_title: String,
    /// Role template ids the user is an active member of directly.
    pub directory_roles: Vec<String>,
    /// Role template ids the user is eligible for through Privileged Identity Management
    /// and has not activated: they grant nothing (pim-how-to-activate-role).
    #[serde(default)]
    pub eligible_directory_roles: Vec<String>,
    /// `Member` (default) or `Guest`. A guest's `userPrincipalName` is the `#EXT#` form and
    /// they sign in with their home account, `mail`.
    #[serde(default = "member")]
    pub user_type: String,
}

fn member() -> String {
    "Member".into()
}

impl SeedUser {
    pub fn is_guest(&self) -> bool {
        self.user_type.eq_ignore_ascii_case("Guest")
    }

    /// The name the person types at sign-in: their UPN, or for a guest their home account.
    pub fn sign_in_name(&self) -> &str {
        if self.is_guest() {
            &self.mail
        } else {
            &self.user_principal_name
        }
    }
}

/// A group of the directory (graph-facts has no section on groups: the shape follows
/// Graph's `group` resource, trimmed to what role checks need).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SeedGroup {
    pub id: String,
    pub display_name: String,
    #[serde(default)]
    pub description: Option<String>,
    /// Only role-assignable groups can be assigned directory roles (Graph `group`
    /// resource, `isAssignableToRole`; directoryobject-getmemberobjects: "Only users and
    /// role-enabled groups can be members of directory roles").
    #[serde(default)]
    pub is_assignable_to_role: bool,
    /// User object ids.
    #[serde(default)]
    pub members: Vec<String>,
    /// Role template ids the group holds (active).
    #[serde(default)]
    pub directory_roles: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ObjectRef {
    pub app_id: String,
    pub id: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids;

    #[test]
    fn default_seed_loads_and_has_the_fixed_tenants() {
        let seed = Seed::default_seed();
        let ids: Vec<&str> = seed.tenants.iter().map(|t| t.id.as_str()).collect();
        assert!(ids.contains(&ids::DEMO_TENANT_ID));
        assert!(ids.contains(&ids::NO_DEFENDER_TENANT_ID));
        assert!(ids.contains(&ids::SECRET_POLICY_TENANT_ID));
    }

    #[test]
    fn default_seed_permission_ids_are_unique_per_collection() {
        let seed = Seed::default_seed();
        for app in &seed.first_party_apps {
            let mut scopes: Vec<&str> = app
                .oauth2_permission_scopes
                .iter()
                .map(|s| s.id.as_str())
                .collect();
            scopes.sort();
            let n = scopes.len();
            scopes.dedup();
            assert_eq!(n, scopes.len(), "{}", app.display_name);
            assert!(app
                .oauth2_permission_scopes
                .iter()
                .all(|s| s.consent_type == "User" || s.consent_type == "Admin"));
        }
    }

    #[test]
    fn the_published_constants_match_the_default_seed() {
        let seed = Seed::default_seed();
        let demo = seed
            .tenants
            .iter()
            .find(|t| t.id == ids::DEMO_TENANT_ID)
            .unwrap();
        assert_eq!(demo.verified_domains[0].name, ids::DEMO_TENANT_DOMAIN);
        let role_of = |upn: &str| -> Vec<String> {
            seed.tenants
                .iter()
                .flat_map(|t| t.users.iter())
                .find(|u| u.user_principal_name == upn)
                .unwrap_or_else(|| panic!("{upn} seeded"))
                .directory_roles
                .clone()
        };
        assert_eq!(
            role_of(ids::users::GLOBAL_ADMIN_UPN),
            vec![ids::roles::GLOBAL_ADMINISTRATOR]
        );
        assert_eq!(
            role_of(ids::users::PRIVILEGED_ROLE_ADMIN_UPN),
            vec![ids::roles::PRIVILEGED_ROLE_ADMINISTRATOR]
        );
        assert_eq!(
            role_of(ids::users::CLOUD_APP_ADMIN_UPN),
            vec![ids::roles::CLOUD_APPLICATION_ADMINISTRATOR]
        );
        assert!(role_of(ids::users::ORDINARY_USER_UPN).is_empty());
        assert_eq!(
            role_of(ids::users::NO_DEFENDER_GLOBAL_ADMIN_UPN),
            vec![ids::roles::GLOBAL_ADMINISTRATOR]
        );
        assert_eq!(
            role_of(ids::users::SECRET_POLICY_GLOBAL_ADMIN_UPN),
            vec![ids::roles::GLOBAL_ADMINISTRATOR]
        );
        for (upn, id, name) in [
            (
                ids::users::GLOBAL_ADMIN_UPN,
                ids::users::GLOBAL_ADMIN_ID,
                ids::users::GLOBAL_ADMIN_NAME,
            ),
            (
                ids::users::PRIVILEGED_ROLE_ADMIN_UPN,
                ids::users::PRIVILEGED_ROLE_ADMIN_ID,
                ids::users::PRIVILEGED_ROLE_ADMIN_NAME,
            ),
            (
                ids::users::CLOUD_APP_ADMIN_UPN,
                ids::users::CLOUD_APP_ADMIN_ID,
                ids::users::CLOUD_APP_ADMIN_NAME,
            ),
            (
                ids::users::ORDINARY_USER_UPN,
                ids::users::ORDINARY_USER_ID,
                ids::users::ORDINARY_USER_NAME,
            ),
        ] {
            let user = demo
                .users
                .iter()
                .find(|u| u.user_principal_name == upn)
                .unwrap();
            assert_eq!((user.id.as_str(), user.display_name.as_str()), (id, name));
        }
        let client = &demo.applications[0];
        assert_eq!(client["appId"], ids::ASSISTANT_CLIENT_ID);
        assert_eq!(client["id"], ids::ASSISTANT_APPLICATION_OBJECT_ID);
        assert_eq!(
            client["spa"]["redirectUris"],
            serde_json::json!(ids::DEFAULT_SPA_REDIRECT_URIS)
        );
        assert_eq!(
            demo.service_principals[0]["id"],
            ids::ASSISTANT_SERVICE_PRINCIPAL_ID
        );
        let no_defender = seed
            .tenants
            .iter()
            .find(|t| t.id == ids::NO_DEFENDER_TENANT_ID)
            .unwrap();
        assert!(!no_defender
            .first_party_service_principals
            .iter()
            .any(|s| s.app_id == ids::resources::WINDOWS_DEFENDER_ATP));
        let policy = seed
            .tenants
            .iter()
            .find(|t| t.id == ids::SECRET_POLICY_TENANT_ID)
            .unwrap()
            .app_management_policy
            .clone()
            .unwrap();
        assert_eq!(policy.id, ids::SECRET_POLICY_ID);
        assert_eq!(
            policy.password_credentials[0].max_lifetime.as_deref(),
            Some(format!("P{}D", ids::SECRET_POLICY_MAX_LIFETIME_DAYS).as_str())
        );
    }

    #[test]
    fn the_realistic_cases_are_seeded() {
        let seed = Seed::default_seed();
        let tenant = |id: &str| seed.tenants.iter().find(|t| t.id == id).unwrap();
        let demo = tenant(ids::DEMO_TENANT_ID);
        let user = |t: &SeedTenant, id: &str| t.users.iter().find(|u| u.id == id).unwrap().clone();
        let alex = user(demo, ids::users::GROUP_GLOBAL_ADMIN_ID);
        assert_eq!(alex.user_principal_name, ids::users::GROUP_GLOBAL_ADMIN_UPN);
        assert!(alex.directory_roles.is_empty());
        let group = demo
            .groups
            .iter()
            .find(|g| g.id == ids::groups::TENANT_ADMINS_ID)
            .unwrap();
        assert!(group.is_assignable_to_role);
        assert_eq!(group.members, vec![ids::users::GROUP_GLOBAL_ADMIN_ID]);
        assert_eq!(
            group.directory_roles,
            vec![ids::roles::GLOBAL_ADMINISTRATOR]
        );
        let patti = user(demo, ids::users::ELIGIBLE_ADMIN_ID);
        assert_eq!(patti.user_principal_name, ids::users::ELIGIBLE_ADMIN_UPN);
        assert!(patti.directory_roles.is_empty());
        assert_eq!(
            patti.eligible_directory_roles,
            vec![ids::roles::PRIVILEGED_ROLE_ADMINISTRATOR]
        );
        let home = user(demo, ids::users::GUEST_HOME_ID);
        assert_eq!(home.user_principal_name, ids::users::GUEST_UPN);
        assert!(!home.is_guest() && home.directory_roles.is_empty());
        let guest = user(
            tenant(ids::NO_DEFENDER_TENANT_ID),
            ids::users::GUEST_IN_FABRIKAM_ID,
        );
        assert!(guest.is_guest());
        assert_eq!(guest.user_principal_name, ids::users::GUEST_IN_FABRIKAM_UPN);
        assert_eq!(guest.sign_in_name(), ids::users::GUEST_UPN);
        assert_eq!(
            guest.directory_roles,
            vec![ids::roles::CLOUD_APPLICATION_ADMINISTRATOR]
        );
    }

    /// The assistant's registration as its catalog entry says: multi-tenant, SPA, and
    /// exactly these Microsoft Graph delegated permissions.
    #[test]
    fn the_assistant_is_registered_as_the_catalog_says() {
        let seed = Seed::default_seed();
        let demo = seed
            .tenants
            .iter()
            .find(|t| t.id == ids::DEMO_TENANT_ID)
            .unwrap();
        let client = &demo.applications[0];
        assert_eq!(client["signInAudience"], "AzureADMultipleOrgs");
        let access = client["requiredResourceAccess"].as_array().unwrap();
        assert_eq!(access.len(), 1);
        assert_eq!(access[0]["resourceAppId"], ids::resources::MICROSOFT_GRAPH);
        let granted: Vec<(&str, &str)> = access[0]["resourceAccess"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["id"].as_str().unwrap(), r["type"].as_str().unwrap()))
            .collect();
        let expected = [
            "37f7f235-527c-4136-accd-4a02d197296e", // openid
            "14dad69e-099b-42c9-810b-d002981feec1", // profile
            "7427e0e9-2fba-42fe-b0c0-848c9e6a8182", // offline_access
            "e1fe6dd8-ba31-4d61-89e7-88639da4683d", // User.Read
            "bdfbf15f-ee85-4955-8675-146e8e5296b5", // Application.ReadWrite.All
            "84bccea3-f856-4a8a-967b-dbe0a3d53a64", // AppRoleAssignment.ReadWrite.All
            "41ce6ca6-6826-4807-84f1-1c82854f7ee5", // DelegatedPermissionGrant.ReadWrite.All
            "741c54c3-0c1e-44a1-818b-3f97ab4e8c83", // RoleManagement.Read.Directory
            "c79f8feb-a9db-4090-85f9-90d820caa0eb", // Application.Read.All
            "06da0dbc-49e2-44d2-8312-53f166ab848a", // Directory.Read.All
        ];
        assert_eq!(
            granted,
            expected.iter().map(|id| (*id, "Scope")).collect::<Vec<_>>()
        );
    }

    #[test]
    fn a_broken_seed_is_rejected_with_a_reason() {
        let err = Seed::from_json("{\"tenants\": 3}").unwrap_err();
        assert!(err.starts_with("invalid seed"));
    }
}
