//! The `application` object, one concern a file: Graph's schema and default body
//! (`schema`), property validation (`validate`), redirect URI rules (`redirect`), PATCH
//! merging (`merge`) and client secrets (`secret`; graph-facts §3.2, §3.4, §4).

mod merge;
mod redirect;
mod schema;
mod secret;
mod validate;

#[cfg(test)]
use serde_json::json;
use serde_json::{Map, Value};

use super::{Stored, Tenant};

pub use merge::merge_patch;
pub use redirect::check_redirect_uri;
#[cfg(test)]
use redirect::redirect_uri_matches;
pub use schema::default_body;
pub use secret::{hash_secret, PasswordCredential};
pub use validate::{validate_properties, Exposed, Invalid};

#[derive(Debug, Clone)]
pub struct Application {
    pub body: Map<String, Value>,
    pub created_ms: i64,
    /// This object's own replication delay (see `Stored::delay_ms`).
    pub delay_ms: i64,
    /// The client secrets with their hashes; the body's `passwordCredentials` shows them
    /// (`secret.rs`).
    password_credentials: Vec<PasswordCredential>,
    /// User object ids; owners may manage the app without an admin role.
    pub owners: Vec<String>,
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
    /// An application without client secrets.
    pub fn new(
        body: Map<String, Value>,
        created_ms: i64,
        delay_ms: i64,
        owners: Vec<String>,
    ) -> Application {
        Application {
            body,
            created_ms,
            delay_ms,
            password_credentials: Vec::new(),
            owners,
        }
    }

    /// Builds a seeded application (id and appId come from the seed). Its client secrets
    /// come from the seed's `passwordCredentials` (`secret::from_seed`), dated from `now_ms`.
    pub fn from_seed(
        props: &Map<String, Value>,
        tenant: &Tenant,
        now_ms: i64,
    ) -> Result<Application, String> {
        let mut props = props.clone();
        let credentials = props.remove("passwordCredentials");
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
        let mut app = Application::new(body, 0, 0, owners);
        for seeded in credentials
            .as_ref()
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let credential = secret::from_seed(seeded, now_ms)
                .map_err(|e| format!("seed application {app_id}: passwordCredentials: {e}"))?;
            app.add_password(credential);
        }
        Ok(app)
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
