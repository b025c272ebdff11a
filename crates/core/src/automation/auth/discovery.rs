//! The OpenID Provider metadata (`/.well-known/openid-configuration`), so any authority
//! works: the public cloud, a sovereign cloud, or a local entra-sim.

use oauth2::url::Url;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Discovery {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: Option<String>,
    pub end_session_endpoint: Option<String>,
}

#[derive(serde::Deserialize)]
struct Raw {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    #[serde(default)]
    jwks_uri: Option<String>,
    #[serde(default)]
    end_session_endpoint: Option<String>,
}

impl Discovery {
    /// Parses the document and checks the endpoints are usable URLs (https, or http on
    /// loopback for a local simulator).
    pub fn parse(json: &str) -> Result<Discovery, String> {
        let raw: Raw = serde_json::from_str(json)
            .map_err(|e| format!("the OpenID configuration is not valid: {e}"))?;
        for (name, url) in [
            ("authorization_endpoint", &raw.authorization_endpoint),
            ("token_endpoint", &raw.token_endpoint),
        ] {
            let u = Url::parse(url).map_err(|e| format!("{name} is not a URL: {e}"))?;
            let loopback = matches!(u.host_str(), Some("localhost" | "127.0.0.1" | "[::1]"));
            if u.scheme() != "https" && !(u.scheme() == "http" && loopback) {
                return Err(format!("{name} must use https: {url}"));
            }
        }
        Ok(Discovery {
            issuer: raw.issuer,
            authorization_endpoint: raw.authorization_endpoint,
            token_endpoint: raw.token_endpoint,
            jwks_uri: raw.jwks_uri,
            end_session_endpoint: raw.end_session_endpoint,
        })
    }

    /// The issuer an ID token from tenant `tid` must carry: multi-tenant authorities
    /// (`organizations`, `common`) publish `{tenantid}` as a placeholder.
    pub fn issuer_for_tenant(&self, tid: &str) -> String {
        self.issuer.replace("{tenantid}", tid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_entra_metadata_with_tenant_placeholder() {
        let d = Discovery::parse(
            r#"{"issuer":"https://login.microsoftonline.com/{tenantid}/v2.0",
                "authorization_endpoint":"https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
                "token_endpoint":"https://login.microsoftonline.com/organizations/oauth2/v2.0/token",
                "jwks_uri":"https://login.microsoftonline.com/organizations/discovery/v2.0/keys",
                "response_modes_supported":["query","fragment","form_post"]}"#,
        )
        .unwrap();
        assert_eq!(
            d.issuer_for_tenant("6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3"),
            "https://login.microsoftonline.com/6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3/v2.0"
        );
        assert!(d.jwks_uri.unwrap().ends_with("/keys"));
    }

    #[test]
    fn refuses_plain_http_endpoints_off_loopback() {
        let doc = |token: &str| {
            format!(
                r#"{{"issuer":"x","authorization_endpoint":"http://127.0.0.1:8750/t/oauth2/v2.0/authorize","token_endpoint":"{token}"}}"#
            )
        };
        assert!(Discovery::parse(&doc("http://127.0.0.1:8750/t/oauth2/v2.0/token")).is_ok());
        assert!(Discovery::parse(&doc("http://evil.example/token")).is_err());
        assert!(Discovery::parse("{}").is_err());
    }
}
