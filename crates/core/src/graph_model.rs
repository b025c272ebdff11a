//! The one Graph model: request and response bodies of Microsoft Graph v1.0 (graph-facts
//! §3–§8), serialized by automated mode's calls and by the exports (the az script, the Graph
//! request sequence, `requiredResourceAccess.json`) alike, so both send the same shapes.
//! Each written body must fit msgraph-metadata's `clean_v10_metadata/cleanMetadata.xml`.
//!
//! Fields we do not use are not modelled;
//! responses carry more and serde ignores it. `None` fields are not sent (a missing field
//! reads as `None` without `#[serde(default)]`; only the fields of bodies we write need
//! `skip_serializing_if`).

use serde::{Deserialize, Serialize};

use crate::catalog::Platform;
use crate::secret::Secret;

/// `application` (graph-facts §3.1–3.2): read, created by upsert, patched.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unique_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sign_in_audience: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub web: Option<RedirectUris>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub spa: Option<RedirectUris>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub required_resource_access: Option<Vec<RequiredResourceAccess>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tags: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Read-only here: secrets are added with `addPassword` (create/PATCH refuse them).
    #[serde(default, skip_serializing)]
    pub password_credentials: Vec<PasswordCredential>,
}

impl Application {
    /// The redirect URIs registered on `platform` (none for [`Platform::None`]).
    pub fn redirect_uris(&self, platform: Platform) -> &[String] {
        match platform {
            Platform::Web => self.web.as_ref(),
            Platform::Spa => self.spa.as_ref(),
            Platform::None => None,
        }
        .map_or(&[], |r| &r.redirect_uris)
    }

    /// Sets the redirect URIs of `platform` (`web` or `spa`; nothing for [`Platform::None`]).
    pub fn set_redirect_uris(&mut self, platform: Platform, redirect_uris: Vec<String>) {
        let slot = match platform {
            Platform::Web => &mut self.web,
            Platform::Spa => &mut self.spa,
            Platform::None => return,
        };
        *slot = Some(RedirectUris { redirect_uris });
    }
}

/// `web` or `spa` (only `redirectUris` is written).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RedirectUris {
    #[serde(default)]
    pub redirect_uris: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequiredResourceAccess {
    pub resource_app_id: String,
    pub resource_access: Vec<ResourceAccess>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceAccess {
    pub id: String,
    /// `Scope` (delegated) or `Role` (application).
    #[serde(rename = "type")]
    pub kind: String,
}

/// `passwordCredential` (graph-facts §4.1). `secret_text` only ever comes back from
/// `addPassword`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordCredential {
    pub key_id: Option<String>,
    pub display_name: Option<String>,
    pub start_date_time: Option<String>,
    pub end_date_time: Option<String>,
    pub hint: Option<String>,
    pub secret_text: Option<Secret>,
}

/// `POST /applications/{id}/addPassword`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AddPassword {
    pub password_credential: NewPassword,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewPassword {
    pub display_name: String,
    pub end_date_time: String,
}

/// `POST /applications/{id}/removePassword`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RemovePassword {
    pub key_id: String,
}

/// `servicePrincipal` (graph-facts §5, §7).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePrincipal {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing)]
    pub app_roles: Vec<AppRole>,
    #[serde(default, skip_serializing)]
    pub oauth2_permission_scopes: Vec<PermissionScope>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppRole {
    pub id: String,
    pub value: Option<String>,
    #[serde(default)]
    pub allowed_member_types: Vec<String>,
    #[serde(default = "yes")]
    pub is_enabled: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PermissionScope {
    pub id: String,
    pub value: Option<String>,
    /// `User` or `Admin`: who may consent by default.
    #[serde(rename = "type")]
    pub kind: Option<String>,
    #[serde(default = "yes")]
    pub is_enabled: bool,
}

fn yes() -> bool {
    true
}

/// `oauth2PermissionGrant` (graph-facts §6.1): `client_id`/`resource_id` are service
/// principal object IDs; `scope` is space-separated values, not GUIDs.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OAuth2PermissionGrant {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub client_id: String,
    pub consent_type: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub principal_id: Option<String>,
    pub resource_id: String,
    #[serde(default)]
    pub scope: String,
}

impl OAuth2PermissionGrant {
    /// The `consentType` of a grant for every user of the tenant (admin consent); a
    /// `Principal` grant is one user's own consent (oauth2permissiongrant resource type).
    pub const ALL_PRINCIPALS: &'static str = "AllPrincipals";

    /// Whether this is admin consent for the whole tenant given to the client whose service
    /// principal is `client_sp`. Object IDs are GUIDs: compared without regard to case. The
    /// one rule the review, its extras and the health report all apply.
    pub fn is_tenant_wide_for(&self, client_sp: &str) -> bool {
        self.consent_type == Self::ALL_PRINCIPALS && self.client_id.eq_ignore_ascii_case(client_sp)
    }
}

/// `PATCH /oauth2PermissionGrants/{id}`: the full new list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GrantScopeUpdate {
    pub scope: String,
}

/// `appRoleAssignment` (graph-facts §6.2).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppRoleAssignment {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub principal_id: String,
    pub resource_id: String,
    pub app_role_id: String,
}

/// `GET /organization` (with only `User.Read`: id, displayName, verifiedDomains).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    pub id: String,
    pub display_name: Option<String>,
    #[serde(default)]
    pub verified_domains: Vec<VerifiedDomain>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VerifiedDomain {
    pub name: String,
    #[serde(default)]
    pub is_default: bool,
}

/// `GET /me`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
}

/// An item of `/me/memberOf`: only `directoryRole`s matter here (graph-facts §2.4).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DirectoryObject {
    #[serde(rename = "@odata.type")]
    pub odata_type: Option<String>,
    pub id: String,
    pub display_name: Option<String>,
    pub role_template_id: Option<String>,
}

/// An item of `roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')`
/// (unifiedRoleEligibilityScheduleInstance): a role the admin may activate in PIM. For
/// built-in roles `roleDefinitionId` is the role template ID.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleEligibility {
    pub role_definition_id: String,
    /// `/` for the whole tenant; an administrative unit or app scope grants less.
    pub directory_scope_id: Option<String>,
}

/// An application Graph answered with, parsed at the boundary into what a run needs: both
/// IDs present, so no request is ever built with an empty one (`/applications//addPassword`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppRegistration {
    /// The application's object ID (`id`), for `/applications/{id}/…`.
    pub object_id: String,
    /// The Application (client) ID (`appId`).
    pub app_id: String,
    pub application: Application,
}

impl AppRegistration {
    /// `None` when Graph's answer lacks either ID.
    pub fn from_application(application: Application) -> Option<AppRegistration> {
        let object_id = application.id.clone().filter(|i| !i.is_empty())?;
        let app_id = application.app_id.clone().filter(|i| !i.is_empty())?;
        Some(AppRegistration {
            object_id,
            app_id,
            application,
        })
    }
}

/// A collection response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collection<T> {
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink", skip_serializing_if = "Option::is_none")]
    pub next_link: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admin_consent_for_that_client_is_tenant_wide() {
        let grant = |consent_type: &str, client_id: &str| OAuth2PermissionGrant {
            consent_type: consent_type.into(),
            client_id: client_id.into(),
            resource_id: "graph-sp".into(),
            scope: "User.Read".into(),
            ..Default::default()
        };
        let client = "5b1c8f3e-0c1d-4e2f-9a3b-4c5d6e7f8a9b";
        assert!(grant("AllPrincipals", client).is_tenant_wide_for(client));
        // A snapshot written by hand may spell the GUID in capitals: the same object.
        assert!(grant("AllPrincipals", &client.to_uppercase()).is_tenant_wide_for(client));
        // One user's own consent, or another client's, is not this client's admin consent.
        assert!(!grant("Principal", client).is_tenant_wide_for(client));
        assert!(
            !grant("AllPrincipals", "0e9f8a7b-6c5d-4e3f-8a2b-1c0d9e8f7a6b")
                .is_tenant_wide_for(client)
        );
    }
    use serde_json::json;

    #[test]
    fn an_answer_without_both_ids_is_not_a_registration() {
        let answer = |v: serde_json::Value| {
            AppRegistration::from_application(serde_json::from_value(v).unwrap())
        };
        let app = answer(json!({"id": "o1", "appId": "c1"})).unwrap();
        assert_eq!((app.object_id.as_str(), app.app_id.as_str()), ("o1", "c1"));
        assert_eq!(answer(json!({"appId": "c1"})), None);
        assert_eq!(answer(json!({"id": "o1", "appId": ""})), None);
    }

    #[test]
    fn application_body_has_graph_names_and_no_secrets() {
        let app = Application {
            display_name: Some("Nango - Microsoft Teams".into()),
            unique_name: None,
            sign_in_audience: Some("AzureADMultipleOrgs".into()),
            web: Some(RedirectUris {
                redirect_uris: vec!["https://api.nango.dev/oauth/callback".into()],
            }),
            required_resource_access: Some(vec![RequiredResourceAccess {
                resource_app_id: "00000003-0000-0000-c000-000000000000".into(),
                resource_access: vec![ResourceAccess {
                    id: "e1fe6dd8-ba31-4d61-89e7-88639da4683d".into(),
                    kind: "Scope".into(),
                }],
            }]),
            tags: Some(vec!["entra-setup-assistant".into()]),
            password_credentials: vec![PasswordCredential::default()],
            ..Default::default()
        };
        let v = serde_json::to_value(&app).unwrap();
        assert_eq!(
            v,
            json!({
                "displayName": "Nango - Microsoft Teams",
                "signInAudience": "AzureADMultipleOrgs",
                "web": {"redirectUris": ["https://api.nango.dev/oauth/callback"]},
                "requiredResourceAccess": [{"resourceAppId": "00000003-0000-0000-c000-000000000000",
                    "resourceAccess": [{"id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "type": "Scope"}]}],
                "tags": ["entra-setup-assistant"]
            })
        );
    }

    #[test]
    fn reads_add_password_response_without_leaking_the_value() {
        let c: PasswordCredential = serde_json::from_value(json!({
            "customKeyIdentifier": null, "displayName": "run 1", "endDateTime": "2026-05-22T10:00:00Z",
            "hint": "abc", "keyId": "8f3b2a", "secretText": "abc~SECRET-VALUE", "startDateTime": "2025-11-23T10:00:00Z"
        }))
        .unwrap();
        assert_eq!(c.secret_text.as_ref().unwrap().expose(), "abc~SECRET-VALUE");
        assert!(!format!("{c:?}").contains("SECRET-VALUE"));
    }

    #[test]
    fn reads_service_principal_permissions_and_member_of() {
        let sp: ServicePrincipal = serde_json::from_value(json!({
            "id": "sp1", "appId": "00000003-0000-0000-c000-000000000000",
            "appRoles": [{"id": "r1", "value": "Calendars.Read", "allowedMemberTypes": ["Application"], "isEnabled": true}],
            "oauth2PermissionScopes": [{"id": "s1", "value": "User.Read", "type": "User"}]
        }))
        .unwrap();
        assert_eq!(sp.app_roles[0].value.as_deref(), Some("Calendars.Read"));
        assert!(sp.oauth2_permission_scopes[0].is_enabled);
        let roles: Collection<DirectoryObject> = serde_json::from_value(json!({
            "value": [{"@odata.type": "#microsoft.graph.directoryRole", "id": "d1",
                       "displayName": "Global Administrator", "roleTemplateId": "62e90394-69f5-4237-9190-012177145e10"}]
        }))
        .unwrap();
        assert_eq!(
            roles.value[0].role_template_id.as_deref(),
            Some("62e90394-69f5-4237-9190-012177145e10")
        );
    }
}
