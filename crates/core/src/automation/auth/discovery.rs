//! The OpenID Provider metadata (`/.well-known/openid-configuration`), so any authority
//! works: the public cloud, a sovereign cloud, or a local entra-sim.

use oauth2::url::Url;

use crate::automation::config::secure_or_loopback;

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Discovery {
    /// Multi-tenant authorities (`organizations`, `common`) publish `{tenantid}` as a
    /// placeholder here, which [`super::id_token::check`] fills with the token's `tid`.
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    pub jwks_uri: Option<String>,
    pub end_session_endpoint: Option<String>,
}

impl Discovery {
    /// Parses the document and checks the endpoints are usable URLs (https, or http on
    /// loopback for a local simulator).
    pub fn parse(json: &str) -> Result<Discovery, String> {
        let discovery: Discovery = serde_json::from_str(json)
            .map_err(|e| format!("the OpenID configuration is not valid: {e}"))?;
        for (name, url) in [
            ("authorization_endpoint", &discovery.authorization_endpoint),
            ("token_endpoint", &discovery.token_endpoint),
        ] {
            let u = Url::parse(url).map_err(|e| format!("{name} is not a URL: {e}"))?;
            if !secure_or_loopback(&u) {
                return Err(format!("{name} must use https: {url}"));
            }
        }
        Ok(discovery)
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
        // Kept verbatim: `id_token::check` substitutes the token's own `tid`.
        assert_eq!(
            d.issuer,
            "https://login.microsoftonline.com/{tenantid}/v2.0"
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
