//! `public/config.json`: where to sign in, where Graph is, and which client ID to use.
//!
//! ```json
//! { "authority": "https://login.microsoftonline.com/organizations/v2.0",
//!   "graph_base_url": "https://graph.microsoft.com/v1.0",
//!   "client_id": "00000000-0000-0000-0000-000000000000" }
//! ```
//! `client_id` may be `null`: the admin then enters one (kept in localStorage; not a secret).

use oauth2::url::Url;

use crate::validate::is_guid;

/// The hosting page's configuration, validated.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AppConfig {
    /// The OpenID issuer base; discovery is at `{authority}/.well-known/openid-configuration`
    /// (Entra: `https://login.microsoftonline.com/{tenant}/v2.0`).
    pub authority: String,
    /// Microsoft Graph with its version, e.g. `https://graph.microsoft.com/v1.0`.
    pub graph_base_url: String,
    pub client_id: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// Not JSON of the expected shape (the parser's message).
    Malformed(String),
    /// A field is present but unusable.
    Invalid {
        field: &'static str,
        message: String,
    },
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Malformed(m) => write!(f, "config.json is not valid: {m}"),
            ConfigError::Invalid { field, message } => {
                write!(f, "config.json `{field}`: {message}")
            }
        }
    }
}

impl std::error::Error for ConfigError {}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    authority: String,
    graph_base_url: String,
    client_id: Option<String>,
}

impl AppConfig {
    pub fn parse(json: &str) -> Result<AppConfig, ConfigError> {
        let raw: RawConfig =
            serde_json::from_str(json).map_err(|e| ConfigError::Malformed(e.to_string()))?;
        let config = AppConfig {
            authority: endpoint("authority", &raw.authority)?,
            graph_base_url: endpoint("graph_base_url", &raw.graph_base_url)?,
            client_id: None,
        };
        match raw.client_id.filter(|c| !c.trim().is_empty()) {
            Some(id) => config.with_client_id(&id),
            None => Ok(config),
        }
    }

    /// The configuration with the client ID the admin typed in.
    pub fn with_client_id(&self, client_id: &str) -> Result<AppConfig, ConfigError> {
        let id = client_id.trim().to_ascii_lowercase();
        if !is_guid(&id) {
            return Err(ConfigError::Invalid {
                field: "client_id",
                message: "an Application (client) ID is a GUID such as 00000000-0000-0000-0000-000000000000".into(),
            });
        }
        Ok(AppConfig {
            client_id: Some(id),
            ..self.clone()
        })
    }

    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.authority)
    }

    /// Scheme and host of the authority (`https://login.microsoftonline.com`), for URLs
    /// that are built per tenant (admin consent).
    pub fn authority_origin(&self) -> String {
        Url::parse(&self.authority)
            .map(|u| u.origin().ascii_serialization())
            .unwrap_or_default()
    }
}

/// https, or http on the loopback interface (a local entra-sim): where tokens may go.
pub(crate) fn secure_or_loopback(url: &Url) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]")),
        _ => false,
    }
}

/// An absolute URL without query or fragment and without a trailing slash; https, or http
/// only on the loopback interface (a local entra-sim).
fn endpoint(field: &'static str, value: &str) -> Result<String, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid { field, message };
    let url = Url::parse(value.trim()).map_err(|e| invalid(format!("not a URL ({e})")))?;
    if !secure_or_loopback(&url) {
        return Err(invalid("must be https (http only for localhost)".into()));
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("must not have a query or fragment".into()));
    }
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_public_cloud_and_local_simulator() {
        let c = AppConfig::parse(
            r#"{"authority":"https://login.microsoftonline.com/organizations/v2.0/","graph_base_url":"https://graph.microsoft.com/v1.0","client_id":"748AA5A9-366F-466F-ADB2-52238936E96E"}"#,
        )
        .unwrap();
        assert_eq!(
            c.authority,
            "https://login.microsoftonline.com/organizations/v2.0"
        );
        assert_eq!(
            c.discovery_url(),
            "https://login.microsoftonline.com/organizations/v2.0/.well-known/openid-configuration"
        );
        assert_eq!(
            c.client_id.as_deref(),
            Some("748aa5a9-366f-466f-adb2-52238936e96e")
        );
        assert_eq!(c.authority_origin(), "https://login.microsoftonline.com");

        let sim = AppConfig::parse(
            r#"{"authority":"http://127.0.0.1:8750/6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3/v2.0","graph_base_url":"http://127.0.0.1:8750/v1.0","client_id":null}"#,
        )
        .unwrap();
        assert_eq!(sim.client_id, None);
        assert_eq!(sim.authority_origin(), "http://127.0.0.1:8750");
    }

    #[test]
    fn rejects_what_would_leak_tokens_or_break_sign_in() {
        let bad = [
            r#"{"authority":"http://login.example.com/x/v2.0","graph_base_url":"https://graph.microsoft.com/v1.0"}"#,
            r#"{"authority":"https://login.microsoftonline.com/x/v2.0?x=1","graph_base_url":"https://graph.microsoft.com/v1.0"}"#,
            r#"{"authority":"https://login.microsoftonline.com/x/v2.0","graph_base_url":"https://graph.microsoft.com/v1.0","client_id":"my-app"}"#,
            r#"{"authority":"https://login.microsoftonline.com/x/v2.0"}"#,
            r#"{"authority":"https://a/v2.0","graph_base_url":"https://g/v1.0","clientId":"x"}"#,
        ];
        for json in bad {
            assert!(AppConfig::parse(json).is_err(), "accepted {json}");
        }
        let c = AppConfig::parse(
            r#"{"authority":"https://login.microsoftonline.us/organizations/v2.0","graph_base_url":"https://graph.microsoft.us/v1.0"}"#,
        )
        .unwrap();
        assert!(c.with_client_id("not a guid").is_err());
        assert_eq!(
            c.with_client_id(" 748aa5a9-366f-466f-adb2-52238936e96e ")
                .unwrap()
                .client_id
                .as_deref(),
            Some("748aa5a9-366f-466f-adb2-52238936e96e")
        );
    }
}
