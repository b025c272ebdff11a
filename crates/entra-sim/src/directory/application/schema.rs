//! Graph's shape of `microsoft.graph.application` (v1.0): the properties a client may
//! send and their JSON kinds, the read-only ones, the nested properties of complex ones,
//! and the body of a new application (graph-facts §3.2).

use serde_json::{json, Map, Value};

pub const SIGN_IN_AUDIENCES: [&str; 4] = [
    "AzureADMyOrg",
    "AzureADMultipleOrgs",
    "AzureADandPersonalMicrosoftAccount",
    "PersonalMicrosoftAccount",
];

#[derive(Clone, Copy, PartialEq)]
pub(super) enum Kind {
    Text,
    TextOrNull,
    BoolOrNull,
    Strings,
    Array,
    ObjectOrNull,
}

/// Properties of `microsoft.graph.application` (v1.0) a client may send, with their kind.
pub(super) const WRITABLE: &[(&str, Kind)] = &[
    ("displayName", Kind::Text),
    ("description", Kind::TextOrNull),
    ("notes", Kind::TextOrNull),
    ("tags", Kind::Strings),
    ("signInAudience", Kind::Text),
    ("uniqueName", Kind::TextOrNull),
    ("identifierUris", Kind::Strings),
    ("groupMembershipClaims", Kind::TextOrNull),
    ("isFallbackPublicClient", Kind::BoolOrNull),
    ("isDeviceOnlyAuthSupported", Kind::BoolOrNull),
    ("nativeAuthenticationApisEnabled", Kind::TextOrNull),
    ("serviceManagementReference", Kind::TextOrNull),
    ("tokenEncryptionKeyId", Kind::TextOrNull),
    ("defaultRedirectUri", Kind::TextOrNull),
    ("samlMetadataUrl", Kind::TextOrNull),
    ("requiredResourceAccess", Kind::Array),
    ("web", Kind::ObjectOrNull),
    ("spa", Kind::ObjectOrNull),
    ("publicClient", Kind::ObjectOrNull),
    ("api", Kind::ObjectOrNull),
    ("info", Kind::ObjectOrNull),
    ("appRoles", Kind::Array),
    ("addIns", Kind::Array),
    ("optionalClaims", Kind::ObjectOrNull),
    ("parentalControlSettings", Kind::ObjectOrNull),
    ("requestSignatureVerification", Kind::ObjectOrNull),
    ("servicePrincipalLockConfiguration", Kind::ObjectOrNull),
    ("passwordCredentials", Kind::Array),
    ("keyCredentials", Kind::Array),
];

pub(super) const READ_ONLY: &[&str] = &[
    "id",
    "appId",
    "createdDateTime",
    "deletedDateTime",
    "publisherDomain",
    "applicationTemplateId",
    "disabledByMicrosoftStatus",
    "certification",
    "verifiedPublisher",
];

pub(super) const NESTED: &[(&str, &[&str])] = &[
    (
        "web",
        &[
            "redirectUris",
            "homePageUrl",
            "logoutUrl",
            "implicitGrantSettings",
            "redirectUriSettings",
        ],
    ),
    ("spa", &["redirectUris"]),
    ("publicClient", &["redirectUris"]),
    (
        "api",
        &[
            "acceptMappedClaims",
            "knownClientApplications",
            "oauth2PermissionScopes",
            "preAuthorizedApplications",
            "requestedAccessTokenVersion",
        ],
    ),
    (
        "info",
        &[
            "logoUrl",
            "marketingUrl",
            "privacyStatementUrl",
            "supportUrl",
            "termsOfServiceUrl",
        ],
    ),
];

/// Graph's body for a new application before the client's properties are applied.
pub fn default_body(
    id: &str,
    app_id: &str,
    created: &str,
    publisher_domain: &str,
) -> Map<String, Value> {
    let v = json!({
        "id": id,
        "deletedDateTime": null,
        "appId": app_id,
        "applicationTemplateId": null,
        "disabledByMicrosoftStatus": null,
        "createdDateTime": created,
        "displayName": null,
        "description": null,
        "groupMembershipClaims": null,
        "identifierUris": [],
        "isDeviceOnlyAuthSupported": null,
        "isFallbackPublicClient": null,
        "nativeAuthenticationApisEnabled": null,
        "notes": null,
        "publisherDomain": publisher_domain,
        "serviceManagementReference": null,
        "signInAudience": "AzureADMyOrg",
        "tags": [],
        "tokenEncryptionKeyId": null,
        "uniqueName": null,
        "samlMetadataUrl": null,
        "defaultRedirectUri": null,
        "certification": null,
        "optionalClaims": null,
        "servicePrincipalLockConfiguration": null,
        "requestSignatureVerification": null,
        "addIns": [],
        "api": {
            "acceptMappedClaims": null,
            "knownClientApplications": [],
            "requestedAccessTokenVersion": null,
            "oauth2PermissionScopes": [],
            "preAuthorizedApplications": []
        },
        "appRoles": [],
        "info": {
            "logoUrl": null, "marketingUrl": null, "privacyStatementUrl": null,
            "supportUrl": null, "termsOfServiceUrl": null
        },
        "keyCredentials": [],
        "parentalControlSettings": { "countriesBlockedForMinors": [], "legalAgeGroupRule": "Allow" },
        "passwordCredentials": [],
        "publicClient": { "redirectUris": [] },
        "requiredResourceAccess": [],
        "verifiedPublisher": { "displayName": null, "verifiedPublisherId": null, "addedDateTime": null },
        "web": {
            "homePageUrl": null,
            "logoutUrl": null,
            "redirectUris": [],
            "implicitGrantSettings": { "enableAccessTokenIssuance": false, "enableIdTokenIssuance": false },
            "redirectUriSettings": []
        },
        "spa": { "redirectUris": [] }
    });
    match v {
        Value::Object(m) => m,
        _ => unreachable!("literal object"),
    }
}
