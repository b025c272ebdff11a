//! `public/config.json`: where to sign in, where Graph is, and which client ID to use.
//!
//! ```json
//! { "cloud": "usgov", "client_id": "00000000-0000-0000-0000-000000000000" }
//! ```
//! or the two URLs, for a tenant-specific authority or a local entra-sim:
//! ```json
//! { "authority": "https://login.microsoftonline.com/organizations/v2.0",
//!   "graph_base_url": "https://graph.microsoft.com/v1.0",
//!   "client_id": "00000000-0000-0000-0000-000000000000" }
//! ```
//! `cloud` (see [`Cloud`]) fills in whichever URL is missing (`organizations` for the
//! authority); a URL that is given must be that cloud's. Without `cloud`, both URLs are
//! needed and must belong to one known cloud, or, in a development build only, both to the
//! loopback interface (entra-sim).
//! `client_id` may be `null`: the admin then enters one (kept in localStorage; not a secret).
//!
//! Endpoints pinned: whoever can change `config.json` decides where the admin's sign-in
//! code and tokens go, so a release build accepts only the hosts of the clouds in
//! [`crate::cloud`]. Loopback (`http://127.0.0.1`, `localhost`, `[::1]`: a local entra-sim)
//! is accepted only when core is built with the cargo feature `dev-endpoints`
//! ([`DEV_ENDPOINTS`]), which `cargo xtask dev`, the native tests and the e2e build enable and
//! a deployer's plain `trunk build --release` does not; a release build names the problem
//! with the hosting instead.

use oauth2::url::Url;

use crate::cloud::Cloud;
use crate::validate::is_guid;

/// Whether this build accepts loopback endpoints (a local entra-sim): the cargo feature
/// `dev-endpoints`, off by default. A build-time decision, never a setting of the page.
pub const DEV_ENDPOINTS: bool = cfg!(feature = "dev-endpoints");

/// Every field `config.json` may have, in the order the error message lists them. One
/// list: `RawConfig` must have exactly these (a test checks).
pub const FIELDS: [&str; 4] = ["authority", "graph_base_url", "client_id", "cloud"];

/// The hosting page's configuration, validated.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AppConfig {
    /// The OpenID issuer base; discovery is at `{authority}/.well-known/openid-configuration`
    /// (Entra: `https://login.microsoftonline.com/{tenant}/v2.0`).
    pub authority: String,
    /// Microsoft Graph with its version, e.g. `https://graph.microsoft.com/v1.0`.
    pub graph_base_url: String,
    pub client_id: Option<String>,
    /// The Microsoft cloud both URLs belong to; `None` only for loopback URLs (a local
    /// entra-sim, which plays the global cloud's Graph).
    pub cloud: Option<Cloud>,
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
    /// A field this version does not know (a typo, or one from a newer version).
    UnknownField(String),
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigError::Malformed(m) => write!(f, "config.json is not valid: {m}"),
            ConfigError::Invalid { field, message } => {
                write!(f, "config.json `{field}`: {message}")
            }
            ConfigError::UnknownField(name) => write!(
                f,
                "config.json has a field `{name}` that Entra Setup Assistant does not know; the fields it reads are {}",
                FIELDS.map(|f| format!("`{f}`")).join(", ")
            ),
        }
    }
}

impl std::error::Error for ConfigError {}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    authority: Option<String>,
    graph_base_url: Option<String>,
    client_id: Option<String>,
    cloud: Option<String>,
}

impl AppConfig {
    /// Parses and checks `config.json`: endpoints of one known cloud, or loopback in a
    /// development build ([`DEV_ENDPOINTS`]).
    pub fn parse(json: &str) -> Result<AppConfig, ConfigError> {
        AppConfig::parse_for(json, DEV_ENDPOINTS)
    }

    /// [`AppConfig::parse`] as a build with (`true`) or without the `dev-endpoints` feature
    /// parses it; only [`AppConfig::parse`] is public, so the build decides.
    pub(crate) fn parse_for(json: &str, dev_endpoints: bool) -> Result<AppConfig, ConfigError> {
        let value: serde_json::Value =
            serde_json::from_str(json).map_err(|e| ConfigError::Malformed(e.to_string()))?;
        // Named before serde sees it, so the message can list what is accepted.
        if let Some(unknown) = value
            .as_object()
            .and_then(|o| o.keys().find(|k| !FIELDS.contains(&k.as_str())))
        {
            return Err(ConfigError::UnknownField(unknown.clone()));
        }
        let raw: RawConfig =
            serde_json::from_value(value).map_err(|e| ConfigError::Malformed(e.to_string()))?;
        let cloud = match raw.cloud.as_deref().filter(|c| !c.trim().is_empty()) {
            Some(name) => Some(name.parse::<Cloud>().map_err(|e| ConfigError::Invalid {
                field: "cloud",
                message: e.to_string(),
            })?),
            None => None,
        };
        let given = |field: &'static str, value: Option<String>| {
            value
                .filter(|v| !v.trim().is_empty())
                .map(|v| endpoint(field, &v, dev_endpoints))
                .transpose()
        };
        let authority = given("authority", raw.authority)?;
        let graph_base_url = given("graph_base_url", raw.graph_base_url)?;
        let (authority, graph_base_url, cloud) = match cloud {
            Some(cloud) => {
                let authority = authority.unwrap_or_else(|| cloud.authority("organizations"));
                let graph_base_url = graph_base_url.unwrap_or_else(|| cloud.graph_base_url());
                check_cloud(cloud, &authority, &graph_base_url)?;
                (authority, graph_base_url, Some(cloud))
            }
            None => {
                let missing = |field: &'static str| ConfigError::Invalid {
                    field,
                    message: format!(
                        "missing: give both `authority` and `graph_base_url`, or `cloud` ({})",
                        Cloud::names().join(", ")
                    ),
                };
                let authority = authority.ok_or_else(|| missing("authority"))?;
                let graph_base_url = graph_base_url.ok_or_else(|| missing("graph_base_url"))?;
                let cloud = cloud_of(&authority, &graph_base_url, dev_endpoints)?;
                (authority, graph_base_url, cloud)
            }
        };
        let config = AppConfig {
            authority,
            graph_base_url,
            client_id: None,
            cloud,
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

    /// Microsoft Graph as a resource (`https://graph.microsoft.us`), for `/.default` in
    /// consent links and for scope strings: the configured cloud's. entra-sim (loopback, no
    /// cloud) plays the global cloud's Graph, so it is the global one there.
    pub fn graph_resource(&self) -> String {
        self.cloud.unwrap_or_default().graph_resource()
    }
}

/// Whether an endpoint is http on the loopback interface (a local entra-sim).
fn is_loopback(url: &str) -> bool {
    Url::parse(url).is_ok_and(|u| u.scheme() == "http" && is_loopback_host(&u))
}

fn is_loopback_host(url: &Url) -> bool {
    matches!(url.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"))
}

/// What a release build says of a loopback endpoint: the site is hosted with a
/// development `config.json`.
fn loopback_refused(field: &'static str, value: &str) -> ConfigError {
    ConfigError::Invalid {
        field,
        message: format!(
            "{value} is on this computer's loopback interface (a local simulator), and this is a release build, which signs in only to Microsoft Entra ID: the site is hosted with a development config.json. Whoever hosts it must publish one that names the Microsoft cloud (`cloud`: {}) or that cloud's sign-in and Graph URLs",
            Cloud::names().join(", ")
        ),
    }
}

/// The cloud of two URLs given without `cloud`: a known cloud's pair, or both loopback in a
/// development build.
fn cloud_of(
    authority: &str,
    graph_base_url: &str,
    dev_endpoints: bool,
) -> Result<Option<Cloud>, ConfigError> {
    if let Some(cloud) = Cloud::cloud_for_hosts(authority, graph_base_url) {
        return Ok(Some(cloud));
    }
    if dev_endpoints && is_loopback(authority) && is_loopback(graph_base_url) {
        return Ok(None);
    }
    let (field, message) = match (
        Cloud::clouds_for_authority(authority).first(),
        Cloud::cloud_for_graph(graph_base_url),
    ) {
        (Some(a), Some(g)) => (
            "graph_base_url",
            format!(
                "{graph_base_url} is {}'s Graph but the authority is {}'s: both must be one cloud's (or give `cloud` alone)",
                g.label(),
                a.label()
            ),
        ),
        (Some(_), None) => (
            "graph_base_url",
            format!("{graph_base_url} is not a Microsoft Graph host (give `cloud` alone to use the right one)"),
        ),
        (None, _) => (
            "authority",
            format!("{authority} is not a Microsoft Entra sign-in host (give `cloud` alone to use the right one)"),
        ),
    };
    Err(ConfigError::Invalid { field, message })
}

/// Both URLs must be `cloud`'s when `cloud` is given with them.
fn check_cloud(cloud: Cloud, authority: &str, graph_base_url: &str) -> Result<(), ConfigError> {
    if !Cloud::clouds_for_authority(authority).contains(&cloud) {
        return Err(ConfigError::Invalid {
            field: "authority",
            message: format!(
                "{authority} is not on {} for `cloud` \"{cloud}\" ({}): make them agree, or leave `authority` out",
                cloud.authority_host(),
                cloud.label()
            ),
        });
    }
    if Cloud::cloud_for_graph(graph_base_url) != Some(cloud) {
        return Err(ConfigError::Invalid {
            field: "graph_base_url",
            message: format!(
                "{graph_base_url} is not on {} for `cloud` \"{cloud}\" ({}): make them agree, or leave `graph_base_url` out",
                cloud.graph_host(),
                cloud.label()
            ),
        });
    }
    Ok(())
}

/// https, or, in a development build ([`DEV_ENDPOINTS`]), http on the loopback interface (a
/// local entra-sim): where tokens may go.
pub(crate) fn secure_or_loopback(url: &Url) -> bool {
    secure_or_loopback_for(url, DEV_ENDPOINTS)
}

pub(crate) fn secure_or_loopback_for(url: &Url, dev_endpoints: bool) -> bool {
    match url.scheme() {
        "https" => true,
        "http" => dev_endpoints && is_loopback_host(url),
        _ => false,
    }
}

/// An absolute URL without query or fragment and without a trailing slash; https, or http
/// only on the loopback interface (a local entra-sim) in a development build.
fn endpoint(field: &'static str, value: &str, dev_endpoints: bool) -> Result<String, ConfigError> {
    let invalid = |message: String| ConfigError::Invalid { field, message };
    let url = Url::parse(value.trim()).map_err(|e| invalid(format!("not a URL ({e})")))?;
    if !dev_endpoints && is_loopback_host(&url) {
        return Err(loopback_refused(field, value.trim()));
    }
    if !secure_or_loopback_for(&url, dev_endpoints) {
        return Err(invalid(if dev_endpoints {
            "must be https (http only for localhost)".into()
        } else {
            "must be https".into()
        }));
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
        assert_eq!(c.cloud, Some(Cloud::Global));

        let sim = AppConfig::parse(
            r#"{"authority":"http://127.0.0.1:8750/6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3/v2.0","graph_base_url":"http://127.0.0.1:8750/v1.0","client_id":null}"#,
        )
        .unwrap();
        assert_eq!(sim.client_id, None);
        assert_eq!(sim.authority_origin(), "http://127.0.0.1:8750");
        assert_eq!(sim.cloud, None);
        assert_eq!(sim.graph_resource(), "https://graph.microsoft.com");
    }

    #[test]
    fn a_cloud_name_alone_gives_both_urls() {
        let expected = [
            (
                "global",
                "https://login.microsoftonline.com/organizations/v2.0",
                "https://graph.microsoft.com/v1.0",
            ),
            (
                "usgov",
                "https://login.microsoftonline.us/organizations/v2.0",
                "https://graph.microsoft.us/v1.0",
            ),
            (
                "usgovdod",
                "https://login.microsoftonline.us/organizations/v2.0",
                "https://dod-graph.microsoft.us/v1.0",
            ),
            (
                "china",
                "https://login.partner.microsoftonline.cn/organizations/v2.0",
                "https://microsoftgraph.chinacloudapi.cn/v1.0",
            ),
        ];
        for (name, authority, graph) in expected {
            let c = AppConfig::parse(&format!(r#"{{"cloud":"{name}","client_id":null}}"#)).unwrap();
            assert_eq!(c.cloud.map(|c| c.to_string()).as_deref(), Some(name));
            assert_eq!(
                (c.authority.as_str(), c.graph_base_url.as_str()),
                (authority, graph)
            );
            assert_eq!(c.graph_resource(), graph.trim_end_matches("/v1.0"));
        }
        // The URLs alone say the same, and DoD is told from GCC High by its Graph.
        let dod = AppConfig::parse(
            r#"{"authority":"https://login.microsoftonline.us/contoso.onmicrosoft.us/v2.0","graph_base_url":"https://dod-graph.microsoft.us/v1.0"}"#,
        )
        .unwrap();
        assert_eq!(dod.cloud, Some(Cloud::UsGovDod));
        assert_eq!(dod.authority_origin(), "https://login.microsoftonline.us");
    }

    #[test]
    fn cloud_and_urls_must_agree() {
        // A tenant-specific authority with the cloud's Graph filled in.
        let c = AppConfig::parse(
            r#"{"cloud":"usgov","authority":"https://login.microsoftonline.us/0d1f0a9e-3f55-4b8a-9d41-5f1b8b2c7a11/v2.0"}"#,
        )
        .unwrap();
        assert_eq!(c.graph_base_url, "https://graph.microsoft.us/v1.0");
        assert!(c
            .authority
            .ends_with("/0d1f0a9e-3f55-4b8a-9d41-5f1b8b2c7a11/v2.0"));

        let err = |json: &str| AppConfig::parse(json).unwrap_err().to_string();
        let e = err(
            r#"{"cloud":"usgov","authority":"https://login.microsoftonline.com/organizations/v2.0","graph_base_url":"https://graph.microsoft.us/v1.0"}"#,
        );
        assert_eq!(e, "config.json `authority`: https://login.microsoftonline.com/organizations/v2.0 is not on login.microsoftonline.us for `cloud` \"usgov\" (Microsoft Cloud for US Government (GCC High)): make them agree, or leave `authority` out");
        let e = err(r#"{"cloud":"usgovdod","graph_base_url":"https://graph.microsoft.us/v1.0"}"#);
        assert!(e.starts_with("config.json `graph_base_url`: https://graph.microsoft.us/v1.0 is not on dod-graph.microsoft.us for `cloud` \"usgovdod\""), "{e}");
        // The loopback simulator has no cloud name.
        let e = err(
            r#"{"cloud":"global","authority":"http://127.0.0.1:1/t/v2.0","graph_base_url":"http://127.0.0.1:1/v1.0"}"#,
        );
        assert!(e.starts_with("config.json `authority`"), "{e}");
        // Without `cloud`, mixed or unknown hosts say which.
        let e = err(
            r#"{"authority":"https://login.microsoftonline.com/t/v2.0","graph_base_url":"https://graph.microsoft.us/v1.0"}"#,
        );
        assert!(e.contains("US Government (GCC High)'s Graph but the authority is the global Microsoft cloud's"), "{e}");
        let e = err(
            r#"{"authority":"https://login.example.com/t/v2.0","graph_base_url":"https://graph.microsoft.com/v1.0"}"#,
        );
        assert!(e.starts_with("config.json `authority`: https://login.example.com/t/v2.0 is not a Microsoft Entra sign-in host"), "{e}");
        let e = err(
            r#"{"authority":"http://127.0.0.1:1/t/v2.0","graph_base_url":"https://graph.microsoft.com/v1.0"}"#,
        );
        assert!(e.starts_with("config.json `authority`"), "{e}");
        let e = err(r#"{"cloud":"germany"}"#);
        assert_eq!(e, "config.json `cloud`: unknown cloud \"germany\": use one of global, usgov, usgovdod, china");
        let e = err(r#"{"client_id":null}"#);
        assert!(e.contains("give both `authority` and `graph_base_url`, or `cloud` (global, usgov, usgovdod, china)"), "{e}");
    }

    #[test]
    fn a_release_build_refuses_loopback_and_says_what_is_wrong_with_the_hosting() {
        let sim = r#"{"authority":"http://127.0.0.1:8750/organizations/v2.0","graph_base_url":"http://127.0.0.1:8750/v1.0","client_id":null}"#;
        // A development build (`dev-endpoints`) takes the simulator...
        assert_eq!(AppConfig::parse_for(sim, true).unwrap().cloud, None);
        // ...a release build names the problem with the hosting.
        let e = AppConfig::parse_for(sim, false).unwrap_err().to_string();
        assert_eq!(e, "config.json `authority`: http://127.0.0.1:8750/organizations/v2.0 is on this computer's loopback interface (a local simulator), and this is a release build, which signs in only to Microsoft Entra ID: the site is hosted with a development config.json. Whoever hosts it must publish one that names the Microsoft cloud (`cloud`: global, usgov, usgovdod, china) or that cloud's sign-in and Graph URLs");
        for json in [
            r#"{"authority":"https://login.microsoftonline.com/organizations/v2.0","graph_base_url":"http://localhost:8750/v1.0"}"#,
            r#"{"authority":"https://localhost:8750/organizations/v2.0","graph_base_url":"https://graph.microsoft.com/v1.0"}"#,
            r#"{"cloud":"global","authority":"http://[::1]:8750/organizations/v2.0"}"#,
        ] {
            let e = AppConfig::parse_for(json, false).unwrap_err().to_string();
            assert!(
                e.contains("is on this computer's loopback interface (a local simulator), and this is a release build"),
                "{json}: {e}"
            );
        }
        // The public parse is the build's: these native tests enable `dev-endpoints`.
        assert_eq!(AppConfig::parse(sim).is_ok(), DEV_ENDPOINTS);
    }

    #[test]
    fn a_tampered_config_json_is_refused_with_its_message() {
        let err = |json: &str| {
            // The same in a development build and a release build.
            let dev = AppConfig::parse_for(json, true).unwrap_err().to_string();
            assert_eq!(
                dev,
                AppConfig::parse_for(json, false).unwrap_err().to_string()
            );
            dev
        };
        let graph = "https://graph.microsoft.com/v1.0";
        // Look-alike and borrowed hosts for the authority.
        for authority in [
            "https://login.microsoftonline.com.evil.example/organizations/v2.0",
            "https://evil.example/login.microsoftonline.com/v2.0",
            "https://login.microsoftonline.com:8443/organizations/v2.0",
        ] {
            let e = err(&format!(
                r#"{{"authority":"{authority}","graph_base_url":"{graph}"}}"#
            ));
            assert_eq!(e, format!("config.json `authority`: {authority} is not a Microsoft Entra sign-in host (give `cloud` alone to use the right one)"));
        }
        // User info names the real host after an `@`: refused, not read as that host.
        let e = err(&format!(
            r#"{{"authority":"https://login.microsoftonline.com@evil.example/organizations/v2.0","graph_base_url":"{graph}"}}"#
        ));
        assert!(e.starts_with("config.json `authority`: https://login.microsoftonline.com@evil.example/organizations/v2.0 is not a Microsoft Entra sign-in host"), "{e}");
        // Graph elsewhere: tokens for Graph would go there.
        let e = err(
            r#"{"authority":"https://login.microsoftonline.com/organizations/v2.0","graph_base_url":"https://graph.evil.example/v1.0"}"#,
        );
        assert_eq!(e, "config.json `graph_base_url`: https://graph.evil.example/v1.0 is not a Microsoft Graph host (give `cloud` alone to use the right one)");
        let e = err(r#"{"cloud":"global","graph_base_url":"https://graph.evil.example/v1.0"}"#);
        assert!(e.starts_with("config.json `graph_base_url`: https://graph.evil.example/v1.0 is not on graph.microsoft.com for `cloud` \"global\""), "{e}");
        // Plain http off loopback (a development build adds that loopback may be http).
        let http = r#"{"authority":"http://login.microsoftonline.com/organizations/v2.0","graph_base_url":"https://graph.microsoft.com/v1.0"}"#;
        let e = AppConfig::parse_for(http, false).unwrap_err().to_string();
        assert_eq!(e, "config.json `authority`: must be https");
    }

    #[test]
    fn unknown_fields_are_refused_with_the_accepted_list() {
        let e = AppConfig::parse(r#"{"cloud":"global","clientId":"x"}"#).unwrap_err();
        assert_eq!(e, ConfigError::UnknownField("clientId".into()));
        assert_eq!(
            e.to_string(),
            "config.json has a field `clientId` that Entra Setup Assistant does not know; the fields it reads are `authority`, `graph_base_url`, `client_id`, `cloud`"
        );
        // FIELDS and RawConfig are the same set: every listed field is read (serde would
        // refuse one RawConfig lacks).
        let all = FIELDS
            .iter()
            .map(|f| match *f {
                "authority" => {
                    r#""authority":"https://login.microsoftonline.com/organizations/v2.0""#
                        .to_owned()
                }
                "graph_base_url" => {
                    r#""graph_base_url":"https://graph.microsoft.com/v1.0""#.to_owned()
                }
                "cloud" => r#""cloud":"global""#.to_owned(),
                other => format!(r#""{other}":null"#),
            })
            .collect::<Vec<_>>()
            .join(",");
        AppConfig::parse(&format!("{{{all}}}")).unwrap();
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
