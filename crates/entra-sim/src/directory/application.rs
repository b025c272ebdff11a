//! The `application` object: Graph's default body, property validation, redirect URI
//! rules (graph-facts §3.2, §3.4) and secrets (§4).

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::{Stored, Tenant};

#[derive(Debug, Clone)]
pub struct Application {
    pub body: Map<String, Value>,
    pub created_ms: i64,
    /// This object's own replication delay (see `Stored::delay_ms`).
    pub delay_ms: i64,
    pub secrets: Vec<SecretHash>,
    /// User object ids; owners may manage the app without an admin role.
    pub owners: Vec<String>,
}

/// What the simulator keeps of a secret value: only a hash, like a real directory.
#[derive(Debug, Clone)]
pub struct SecretHash {
    pub key_id: String,
    pub hash: [u8; 32],
    pub start_ms: i64,
    pub end_ms: i64,
    pub created_ms: i64,
    /// Its own replication delay: sign-ins accept it from `created_ms + delay_ms` (plus the
    /// fixed delay).
    pub delay_ms: i64,
}

/// A rejected property value: becomes a 400 `Request_BadRequest` with `details`.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub message: String,
    pub target: Option<String>,
    pub reason: Option<String>,
}

impl Invalid {
    pub fn new(message: impl Into<String>) -> Invalid {
        Invalid {
            message: message.into(),
            target: None,
            reason: None,
        }
    }

    pub fn unknown_property(name: &str) -> Invalid {
        Invalid::new(format!(
            "Property '{name}' does not exist as a declared property or extension property."
        ))
    }

    pub fn read_only(name: &str) -> Invalid {
        Invalid::new(format!("Property '{name}' is read-only and cannot be set."))
    }

    pub fn value(target: &str, reason: impl Into<String>) -> Invalid {
        Invalid {
            message: format!(
                "Invalid value specified for property '{target}' of resource 'Application'."
            ),
            target: Some(target.to_owned()),
            reason: Some(reason.into()),
        }
    }
}

/// (delegated scope ids, app role ids) a resource exposes.
pub type Exposed = (Vec<String>, Vec<String>);

pub const SIGN_IN_AUDIENCES: [&str; 4] = [
    "AzureADMyOrg",
    "AzureADMultipleOrgs",
    "AzureADandPersonalMicrosoftAccount",
    "PersonalMicrosoftAccount",
];

/// Platforms a redirect URI can be registered under, in the order sign-in matches them.
pub const PLATFORMS: [&str; 3] = ["spa", "web", "publicClient"];

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Text,
    TextOrNull,
    BoolOrNull,
    Strings,
    Array,
    ObjectOrNull,
}

/// Properties of `microsoft.graph.application` (v1.0) a client may send, with their kind.
const WRITABLE: &[(&str, Kind)] = &[
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

const READ_ONLY: &[&str] = &[
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

const NESTED: &[(&str, &[&str])] = &[
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

/// Checks a client-supplied property bag for POST (`creating`) or PATCH.
/// `permissions_of` resolves a resource appId to the (scope ids, role ids) it exposes, or
/// None when the tenant cannot tell (no service principal): those are accepted unchecked.
pub fn validate_properties(
    props: &Map<String, Value>,
    creating: bool,
    current_audience: &str,
    permissions_of: &dyn Fn(&str) -> Option<Exposed>,
) -> Result<(), Invalid> {
    for (key, value) in props {
        if key.starts_with("@odata.") {
            continue;
        }
        if READ_ONLY.contains(&key.as_str()) {
            return Err(Invalid::read_only(key));
        }
        let Some((_, kind)) = WRITABLE.iter().find(|(k, _)| k == key) else {
            return Err(Invalid::unknown_property(key));
        };
        let ok = match kind {
            Kind::Text => value.is_string(),
            Kind::TextOrNull => value.is_string() || value.is_null(),
            Kind::BoolOrNull => value.is_boolean() || value.is_null(),
            Kind::Strings => value
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string)),
            Kind::Array => value.is_array(),
            Kind::ObjectOrNull => value.is_object() || value.is_null(),
        };
        if !ok {
            return Err(Invalid::value(key, "wrong JSON type"));
        }
        if let (Some((_, allowed)), Some(obj)) =
            (NESTED.iter().find(|(k, _)| k == key), value.as_object())
        {
            for nested in obj.keys() {
                if !allowed.contains(&nested.as_str()) && !nested.starts_with("@odata.") {
                    return Err(Invalid::unknown_property(nested));
                }
            }
        }
    }
    match props.get("displayName") {
        Some(Value::String(name)) if name.trim().is_empty() || name.chars().count() > 256 => {
            return Err(Invalid::value("displayName", "must be 1 to 256 characters"));
        }
        None if creating => {
            return Err(Invalid::value("displayName", "displayName is required"));
        }
        _ => {}
    }
    if let Some(Value::String(d)) = props.get("description") {
        if d.chars().count() > 1024 {
            return Err(Invalid::value("description", "at most 1024 characters"));
        }
    }
    let audience = match props.get("signInAudience") {
        Some(Value::String(a)) if !SIGN_IN_AUDIENCES.contains(&a.as_str()) => {
            return Err(Invalid::value(
                "signInAudience",
                format!("'{a}' is not a sign-in audience"),
            ));
        }
        Some(Value::String(a)) => a.as_str(),
        _ => current_audience,
    };
    for creds in ["passwordCredentials", "keyCredentials"] {
        if props
            .get(creds)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
        {
            return Err(Invalid {
                message: format!(
                    "Property '{creds}' cannot be set when creating or updating an application; use addPassword or addKey."
                ),
                target: Some(creds.to_owned()),
                reason: None,
            });
        }
    }
    let mut total_uris = 0;
    for platform in PLATFORMS {
        if let Some(uris) = props.get(platform).and_then(|p| p.get("redirectUris")) {
            let uris = uris
                .as_array()
                .filter(|a| a.iter().all(Value::is_string))
                .ok_or_else(|| {
                    Invalid::value(
                        &format!("{platform}.redirectUris"),
                        "must be an array of strings",
                    )
                })?;
            for uri in uris.iter().filter_map(Value::as_str) {
                check_redirect_uri(uri, platform, audience).map_err(|reason| {
                    Invalid::value(&format!("{platform}.redirectUris"), reason)
                })?;
            }
            total_uris += uris.len();
        }
    }
    let max_uris = if audience.contains("Personal") {
        100
    } else {
        256
    };
    if total_uris > max_uris {
        return Err(Invalid::value(
            "redirectUris",
            format!("at most {max_uris} redirect URIs for {audience}"),
        ));
    }
    if let Some(rra) = props.get("requiredResourceAccess") {
        validate_required_resource_access(rra, permissions_of)?;
    }
    Ok(())
}

fn validate_required_resource_access(
    rra: &Value,
    permissions_of: &dyn Fn(&str) -> Option<Exposed>,
) -> Result<(), Invalid> {
    const TARGET: &str = "requiredResourceAccess";
    let entries = rra
        .as_array()
        .ok_or_else(|| Invalid::value(TARGET, "must be an array"))?;
    if entries.len() > 50 {
        return Err(Invalid::value(TARGET, "at most 50 resource APIs"));
    }
    let mut total = 0;
    for entry in entries {
        let obj = entry
            .as_object()
            .ok_or_else(|| Invalid::value(TARGET, "entries must be objects"))?;
        if let Some(k) = obj
            .keys()
            .find(|k| !["resourceAppId", "resourceAccess"].contains(&k.as_str()))
        {
            return Err(Invalid::unknown_property(k));
        }
        let resource = obj
            .get("resourceAppId")
            .and_then(Value::as_str)
            .filter(|r| uuid::Uuid::parse_str(r).is_ok())
            .ok_or_else(|| Invalid::value(TARGET, "resourceAppId must be a GUID"))?;
        let access = obj
            .get("resourceAccess")
            .and_then(Value::as_array)
            .ok_or_else(|| Invalid::value(TARGET, "resourceAccess must be an array"))?;
        total += access.len();
        let known = permissions_of(resource);
        for item in access {
            let id = item.get("id").and_then(Value::as_str).unwrap_or("");
            let kind = item.get("type").and_then(Value::as_str).unwrap_or("");
            if uuid::Uuid::parse_str(id).is_err() {
                return Err(Invalid::value(
                    TARGET,
                    format!("resourceAccess id '{id}' is not a GUID"),
                ));
            }
            if let Some(extra) = item
                .as_object()
                .and_then(|o| o.keys().find(|k| !["id", "type"].contains(&k.as_str())))
            {
                return Err(Invalid::unknown_property(extra));
            }
            let exposed = match (kind, &known) {
                ("Scope", Some((scopes, _))) => scopes.iter().any(|s| s.eq_ignore_ascii_case(id)),
                ("Role", Some((_, roles))) => roles.iter().any(|r| r.eq_ignore_ascii_case(id)),
                ("Scope" | "Role", None) => true,
                _ => {
                    return Err(Invalid::value(
                        TARGET,
                        format!("type '{kind}' must be Scope or Role"),
                    ))
                }
            };
            if !exposed {
                return Err(Invalid {
                    message: format!("Invalid value specified for property '{TARGET}' of resource 'Application'."),
                    target: Some(TARGET.to_owned()),
                    reason: Some(format!(
                        "Resource '{resource}' does not expose a permission of type '{kind}' with id '{id}'."
                    )),
                });
            }
        }
    }
    if total > 400 {
        return Err(Invalid::value(TARGET, "at most 400 permissions"));
    }
    Ok(())
}

/// Redirect URI rules of graph-facts §3.4. Returns the reason a URI is refused.
pub fn check_redirect_uri(uri: &str, platform: &str, audience: &str) -> Result<(), String> {
    if uri.chars().count() > 256 {
        return Err("a redirect URI is at most 256 characters".into());
    }
    if let Some(c) = uri.chars().find(|c| "!$'(),;".contains(*c)) {
        return Err(format!(
            "the character '{c}' is not allowed in a redirect URI"
        ));
    }
    if uri.contains('*') {
        return Err("wildcard redirect URIs are not allowed".into());
    }
    if uri.contains('#') {
        return Err("a redirect URI cannot contain a fragment".into());
    }
    let parsed = url::Url::parse(uri).map_err(|e| format!("not an absolute URI: {e}"))?;
    if parsed.query().is_some() && audience.contains("Personal") {
        return Err(
            "query parameters are allowed only for work or school account audiences".into(),
        );
    }
    let host = parsed.host_str().unwrap_or("");
    if host == "[::1]" {
        return Err("the IPv6 loopback address is not supported".into());
    }
    match (platform, parsed.scheme()) {
        (_, "https") => Ok(()),
        (_, "http") if is_loopback_host(host) => Ok(()),
        ("web" | "spa", _) => Err("must use https, or http on localhost".into()),
        (_, "http") => Err("must use https, or http on localhost".into()),
        (_, "javascript" | "data" | "file") => Err("scheme not allowed".into()),
        _ => Ok(()),
    }
}

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1"
}

/// Does a redirect URI sent at sign-in match a registered one? Exact match, except that
/// the port of a loopback URI is ignored (graph-facts §3.4); the path is case-sensitive.
pub fn redirect_uri_matches(registered: &str, requested: &str) -> bool {
    if registered == requested {
        return true;
    }
    let (Ok(a), Ok(b)) = (url::Url::parse(registered), url::Url::parse(requested)) else {
        return false;
    };
    let loopback = a.host_str().is_some_and(is_loopback_host);
    loopback
        && a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.path() == b.path()
        && a.query() == b.query()
}

/// Recursive merge for PATCH: complex (object) properties merge, everything else replaces.
pub fn merge_patch(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        if key.starts_with("@odata.") {
            continue;
        }
        match (target.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(update)) => merge_patch(existing, update),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

pub fn hash_secret(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

impl Stored for Application {
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

impl Application {
    /// Builds a seeded application (id and appId come from the seed).
    pub fn from_seed(props: &Map<String, Value>, tenant: &Tenant) -> Result<Application, String> {
        let mut props = props.clone();
        let owners = props
            .remove("owners")
            .and_then(|o| serde_json::from_value::<Vec<String>>(o).ok())
            .unwrap_or_default();
        let id = props
            .remove("id")
            .and_then(|v| v.as_str().map(str::to_owned))
            .ok_or("seed application without id")?;
        let app_id = props
            .remove("appId")
            .and_then(|v| v.as_str().map(str::to_owned))
            .ok_or("seed application without appId")?;
        validate_properties(&props, true, "AzureADMyOrg", &|_| None)
            .map_err(|e| format!("seed application {app_id}: {} {:?}", e.message, e.reason))?;
        let mut body = default_body(
            &id,
            &app_id,
            &tenant.created_date_time,
            tenant.default_domain(),
        );
        merge_patch(&mut body, &props);
        Ok(Application {
            body,
            created_ms: 0,
            delay_ms: 0,
            secrets: Vec::new(),
            owners,
        })
    }

    pub fn app_id(&self) -> &str {
        self.str("appId")
    }

    pub fn display_name(&self) -> &str {
        self.str("displayName")
    }

    pub fn unique_name(&self) -> Option<&str> {
        self.body.get("uniqueName").and_then(Value::as_str)
    }

    pub fn sign_in_audience(&self) -> &str {
        match self.str("signInAudience") {
            "" => "AzureADMyOrg",
            a => a,
        }
    }

    pub fn is_multi_tenant(&self) -> bool {
        self.sign_in_audience() != "AzureADMyOrg"
    }

    pub fn redirect_uris(&self, platform: &str) -> Vec<String> {
        self.body
            .get(platform)
            .and_then(|p| p.get("redirectUris"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The platform (`spa`, `web`, `publicClient`) under which `requested` is registered.
    /// Exact matches win over loopback port-insensitive ones; among equals, `spa` first.
    pub fn redirect_platform(&self, requested: &str) -> Option<&'static str> {
        PLATFORMS
            .iter()
            .find(|p| self.redirect_uris(p).iter().any(|r| r == requested))
            .or_else(|| {
                PLATFORMS.iter().find(|p| {
                    self.redirect_uris(p)
                        .iter()
                        .any(|r| redirect_uri_matches(r, requested))
                })
            })
            .copied()
    }

    /// `(resourceAppId, [(id, type)])` of `requiredResourceAccess`.
    pub fn required_resource_access(&self) -> Vec<(String, Vec<(String, String)>)> {
        self.body
            .get("requiredResourceAccess")
            .and_then(Value::as_array)
            .map(|entries| {
                entries
                    .iter()
                    .map(|e| {
                        let resource = e
                            .get("resourceAppId")
                            .and_then(Value::as_str)
                            .unwrap_or("")
                            .to_owned();
                        let access = e
                            .get("resourceAccess")
                            .and_then(Value::as_array)
                            .map(|a| {
                                a.iter()
                                    .map(|i| {
                                        (
                                            i.get("id")
                                                .and_then(Value::as_str)
                                                .unwrap_or("")
                                                .to_owned(),
                                            i.get("type")
                                                .and_then(Value::as_str)
                                                .unwrap_or("")
                                                .to_owned(),
                                        )
                                    })
                                    .collect()
                            })
                            .unwrap_or_default();
                        (resource, access)
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn props(v: Value) -> Map<String, Value> {
        v.as_object().cloned().unwrap()
    }

    fn none(_: &str) -> Option<Exposed> {
        None
    }

    #[test]
    fn unknown_and_read_only_properties_are_refused() {
        let err = validate_properties(
            &props(json!({"displayName": "x", "colour": 1})),
            true,
            "AzureADMyOrg",
            &none,
        )
        .unwrap_err();
        assert!(err.message.contains("'colour'"));
        let err = validate_properties(
            &props(json!({"displayName": "x", "appId": "y"})),
            true,
            "AzureADMyOrg",
            &none,
        )
        .unwrap_err();
        assert!(err.message.contains("read-only"));
        let err = validate_properties(
            &props(json!({"web": {"redirectUri": []}})),
            false,
            "AzureADMyOrg",
            &none,
        )
        .unwrap_err();
        assert!(err.message.contains("'redirectUri'"));
    }

    #[test]
    fn redirect_uri_rules() {
        assert!(check_redirect_uri("https://app.example.com/cb", "web", "AzureADMyOrg").is_ok());
        assert!(check_redirect_uri("http://localhost:3000/", "spa", "AzureADMyOrg").is_ok());
        assert!(check_redirect_uri("http://127.0.0.1/", "spa", "AzureADMyOrg").is_ok());
        assert!(check_redirect_uri("http://app.example.com/cb", "web", "AzureADMyOrg").is_err());
        assert!(check_redirect_uri("https://*.example.com/cb", "web", "AzureADMyOrg").is_err());
        assert!(check_redirect_uri("https://a.example.com/c(b)", "web", "AzureADMyOrg").is_err());
        assert!(check_redirect_uri("http://[::1]:3000/", "spa", "AzureADMyOrg").is_err());
        assert!(check_redirect_uri("https://a.example.com/cb?x=1", "web", "AzureADMyOrg").is_ok());
        assert!(check_redirect_uri(
            "https://a.example.com/cb?x=1",
            "web",
            "AzureADandPersonalMicrosoftAccount"
        )
        .is_err());
        let long = format!("https://a.example.com/{}", "x".repeat(240));
        assert!(check_redirect_uri(&long, "web", "AzureADMyOrg").is_err());
        assert!(check_redirect_uri("msal123://auth", "publicClient", "AzureADMyOrg").is_ok());
    }

    #[test]
    fn loopback_redirects_match_on_any_port_other_hosts_do_not() {
        assert!(redirect_uri_matches(
            "http://127.0.0.1:8080/",
            "http://127.0.0.1:41234/"
        ));
        assert!(redirect_uri_matches(
            "http://localhost/cb",
            "http://localhost:5000/cb"
        ));
        assert!(!redirect_uri_matches(
            "http://localhost/cb",
            "http://localhost:5000/CB"
        ));
        assert!(!redirect_uri_matches(
            "https://a.example.com:443/",
            "https://a.example.com:8443/"
        ));
    }

    #[test]
    fn permission_ids_are_checked_against_the_resource() {
        let rra = props(json!({"requiredResourceAccess": [{
            "resourceAppId": "00000003-0000-0000-c000-000000000000",
            "resourceAccess": [{"id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "type": "Role"}]}]}));
        let graph = |_: &str| {
            Some((
                vec!["e1fe6dd8-ba31-4d61-89e7-88639da4683d".to_owned()],
                vec![],
            ))
        };
        assert!(validate_properties(&rra, false, "AzureADMyOrg", &graph).is_err());
        assert!(validate_properties(&rra, false, "AzureADMyOrg", &none).is_ok());
    }

    #[test]
    fn patch_merges_complex_properties_and_replaces_arrays() {
        let mut body = default_body("i", "a", "t", "d");
        merge_patch(
            &mut body,
            &props(json!({"web": {"redirectUris": ["https://x.example.com/"]}, "tags": ["t"]})),
        );
        assert_eq!(
            body["web"]["implicitGrantSettings"]["enableIdTokenIssuance"],
            json!(false)
        );
        assert_eq!(
            body["web"]["redirectUris"],
            json!(["https://x.example.com/"])
        );
        assert_eq!(body["tags"], json!(["t"]));
    }
}
