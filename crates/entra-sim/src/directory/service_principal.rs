//! The `servicePrincipal` object (graph-facts §5, §7): built from an application of this
//! or another tenant, or from a first-party (Microsoft) application definition.

use serde_json::{json, Map, Value};

use super::application::{Application, Invalid};
use crate::seed::FirstPartyApp;

/// The properties every service principal body has, before its application's are filled in.
pub fn base_body(id: &str, created: &str) -> Map<String, Value> {
    let v = json!({
        "id": id,
        "deletedDateTime": null,
        "accountEnabled": true,
        "alternativeNames": [],
        "appDisplayName": null,
        "appDescription": null,
        "appId": null,
        "applicationTemplateId": null,
        "appOwnerOrganizationId": null,
        "appRoleAssignmentRequired": false,
        "createdDateTime": created,
        "description": null,
        "disabledByMicrosoftStatus": null,
        "displayName": null,
        "homepage": null,
        "loginUrl": null,
        "logoutUrl": null,
        "notes": null,
        "notificationEmailAddresses": [],
        "preferredSingleSignOnMode": null,
        "preferredTokenSigningKeyThumbprint": null,
        "replyUrls": [],
        "servicePrincipalNames": [],
        "servicePrincipalType": "Application",
        "signInAudience": null,
        "tags": [],
        "tokenEncryptionKeyId": null,
        "samlSingleSignOnSettings": null,
        "addIns": [],
        "appRoles": [],
        "info": {
            "logoUrl": null, "marketingUrl": null, "privacyStatementUrl": null,
            "supportUrl": null, "termsOfServiceUrl": null
        },
        "keyCredentials": [],
        "oauth2PermissionScopes": [],
        "passwordCredentials": [],
        "resourceSpecificApplicationPermissions": [],
        "verifiedPublisher": { "displayName": null, "verifiedPublisherId": null, "addedDateTime": null }
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!("literal object"),
    }
}

pub fn first_party_body(id: &str, app: &FirstPartyApp, created: &str) -> Map<String, Value> {
    let mut body = base_body(id, created);
    body.insert("appId".into(), json!(app.app_id));
    body.insert("displayName".into(), json!(app.display_name));
    body.insert("appDisplayName".into(), json!(app.display_name));
    body.insert(
        "appOwnerOrganizationId".into(),
        json!(app.app_owner_organization_id),
    );
    body.insert("signInAudience".into(), json!("AzureADMultipleOrgs"));
    body.insert(
        "servicePrincipalNames".into(),
        json!(app.service_principal_names),
    );
    body.insert(
        "oauth2PermissionScopes".into(),
        serde_json::to_value(&app.oauth2_permission_scopes).unwrap_or_default(),
    );
    body.insert(
        "appRoles".into(),
        serde_json::to_value(&app.app_roles).unwrap_or_default(),
    );
    body
}

/// A service principal instantiating `app` (whose home tenant is `home_tenant_id`).
pub fn body_for_application(
    id: &str,
    app: &Application,
    home_tenant_id: &str,
    created: &str,
) -> Map<String, Value> {
    let mut body = base_body(id, created);
    body.insert("appId".into(), json!(app.app_id()));
    body.insert("displayName".into(), json!(app.display_name()));
    body.insert("appDisplayName".into(), json!(app.display_name()));
    body.insert("appOwnerOrganizationId".into(), json!(home_tenant_id));
    body.insert("signInAudience".into(), json!(app.sign_in_audience()));
    body.insert(
        "description".into(),
        app.body.get("description").cloned().unwrap_or(Value::Null),
    );
    body.insert(
        "tags".into(),
        app.body.get("tags").cloned().unwrap_or_else(|| json!([])),
    );
    body.insert(
        "appRoles".into(),
        app.body
            .get("appRoles")
            .cloned()
            .unwrap_or_else(|| json!([])),
    );
    body.insert(
        "oauth2PermissionScopes".into(),
        app.body
            .get("api")
            .and_then(|a| a.get("oauth2PermissionScopes"))
            .cloned()
            .unwrap_or_else(|| json!([])),
    );
    let mut names = vec![json!(app.app_id())];
    if let Some(uris) = app.body.get("identifierUris").and_then(Value::as_array) {
        names.extend(uris.iter().cloned());
    }
    body.insert("servicePrincipalNames".into(), Value::Array(names));
    let mut reply: Vec<String> = app.redirect_uris("web");
    reply.extend(app.redirect_uris("spa"));
    reply.extend(app.redirect_uris("publicClient"));
    body.insert("replyUrls".into(), json!(reply));
    body
}

const WRITABLE: &[&str] = &[
    "accountEnabled",
    "alternativeNames",
    "appDescription",
    "appRoleAssignmentRequired",
    "description",
    "displayName",
    "homepage",
    "loginUrl",
    "logoutUrl",
    "notes",
    "notificationEmailAddresses",
    "preferredSingleSignOnMode",
    "samlSingleSignOnSettings",
    "servicePrincipalNames",
    "tags",
];

/// `allow_app_id`: POST carries `appId`; PATCH and upsert do not change it.
pub fn validate_properties(props: &Map<String, Value>, allow_app_id: bool) -> Result<(), Invalid> {
    for (key, value) in props {
        if key.starts_with("@odata.") || (allow_app_id && key == "appId") {
            continue;
        }
        if !WRITABLE.contains(&key.as_str()) {
            let read_only = [
                "id",
                "appId",
                "appRoles",
                "oauth2PermissionScopes",
                "createdDateTime",
                "appOwnerOrganizationId",
            ];
            return Err(if read_only.contains(&key.as_str()) {
                Invalid::read_only(key)
            } else {
                Invalid::unknown_property(key)
            });
        }
        let type_ok = match key.as_str() {
            "accountEnabled" | "appRoleAssignmentRequired" => value.is_boolean(),
            "tags"
            | "alternativeNames"
            | "notificationEmailAddresses"
            | "servicePrincipalNames" => value
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string)),
            "samlSingleSignOnSettings" => value.is_object() || value.is_null(),
            _ => value.is_string() || value.is_null(),
        };
        if !type_ok {
            return Err(Invalid::new(format!(
                "Invalid value specified for property '{key}' of resource 'ServicePrincipal'."
            )));
        }
    }
    Ok(())
}
