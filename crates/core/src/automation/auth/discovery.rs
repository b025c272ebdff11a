//! The OpenID Provider metadata (`/.well-known/openid-configuration`), so any authority
//! works: the public cloud, a sovereign cloud, or a local entra-sim.

use oauth2::url::Url;

use crate::automation::config::secure_or_loopback;
use crate::validate::is_guid;

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
    /// Parses the document fetched from `authority`'s
    /// `/.well-known/openid-configuration` ([`crate::automation::config::AppConfig::authority`])
    /// and pins it to that authority: the authorize, token and (if given) end-session
    /// endpoints must be on the authority's origin (https, or loopback in a development
    /// build), and the issuer must be the authority itself, with the tenant as Entra writes
    /// it: the same tenant ID, or, for an authority named by `organizations`, `common`,
    /// `consumers` or a domain, the `{tenantid}` placeholder or a tenant ID. Anything else
    /// would send the sign-in code or tokens elsewhere, or check ID tokens against another
    /// issuer, so sign-in stops with the returned message.
    pub fn parse(json: &str, authority: &str) -> Result<Discovery, String> {
        let discovery: Discovery = serde_json::from_str(json)
            .map_err(|e| format!("the OpenID configuration is not valid: {e}"))?;
        let authority_url =
            Url::parse(authority).map_err(|e| format!("the authority is not a URL: {e}"))?;
        let origin = authority_url.origin().ascii_serialization();
        for (name, url) in [
            (
                "authorization_endpoint",
                Some(&discovery.authorization_endpoint),
            ),
            ("token_endpoint", Some(&discovery.token_endpoint)),
            (
                "end_session_endpoint",
                discovery.end_session_endpoint.as_ref(),
            ),
        ] {
            let Some(url) = url else { continue };
            let u = Url::parse(url).map_err(|e| format!("{name} is not a URL: {e}"))?;
            if !secure_or_loopback(&u) {
                return Err(format!("{name} must use https: {url}"));
            }
            if u.origin().ascii_serialization() != origin {
                return Err(format!(
                    "its {name} {url} is not on the sign-in service's own address {origin}: sign-in stops, because the sign-in would be sent somewhere this site's config.json does not name"
                ));
            }
        }
        if !issuer_matches(&discovery.issuer, authority) {
            return Err(format!(
                "its issuer {} does not match the authority {authority}: sign-in stops, because its ID tokens could not be checked against the service this site's config.json names",
                discovery.issuer
            ));
        }
        Ok(discovery)
    }
}

/// `{origin}/{tenant}/{rest}` of the authority, with the issuer's tenant as Entra writes it
/// (see [`Discovery::parse`]).
fn issuer_matches(issuer: &str, authority: &str) -> bool {
    let split = |url: &str| -> Option<(String, String, String)> {
        let parsed = Url::parse(url).ok()?;
        let origin = parsed.origin().ascii_serialization();
        let path = url.strip_prefix(&origin)?.strip_prefix('/')?;
        let (tenant, rest) = path.split_once('/').unwrap_or((path, ""));
        Some((origin, tenant.to_owned(), rest.to_owned()))
    };
    let (Some((a_origin, a_tenant, a_rest)), Some((i_origin, i_tenant, i_rest))) =
        (split(authority), split(issuer))
    else {
        return false;
    };
    if a_origin != i_origin || a_rest != i_rest || a_tenant.is_empty() {
        return false;
    }
    if is_guid(&a_tenant) {
        i_tenant.eq_ignore_ascii_case(&a_tenant)
    } else {
        i_tenant == "{tenantid}" || is_guid(&i_tenant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORGANIZATIONS: &str = "https://login.microsoftonline.com/organizations/v2.0";
    const TID: &str = "6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3";

    fn doc(issuer: &str, authorize: &str, token: &str) -> String {
        format!(
            r#"{{"issuer":"{issuer}","authorization_endpoint":"{authorize}","token_endpoint":"{token}"}}"#
        )
    }

    #[test]
    fn reads_entra_metadata_with_tenant_placeholder() {
        let d = Discovery::parse(
            r#"{"issuer":"https://login.microsoftonline.com/{tenantid}/v2.0",
                "authorization_endpoint":"https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize",
                "token_endpoint":"https://login.microsoftonline.com/organizations/oauth2/v2.0/token",
                "jwks_uri":"https://login.microsoftonline.com/organizations/discovery/v2.0/keys",
                "end_session_endpoint":"https://login.microsoftonline.com/organizations/oauth2/v2.0/logout",
                "response_modes_supported":["query","fragment","form_post"]}"#,
            ORGANIZATIONS,
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
        let sim = "http://127.0.0.1:8750/t/v2.0";
        let with_token = |token: &str| {
            doc(
                "http://127.0.0.1:8750/{tenantid}/v2.0",
                "http://127.0.0.1:8750/t/oauth2/v2.0/authorize",
                token,
            )
        };
        let loopback = Discovery::parse(
            &with_token("http://127.0.0.1:8750/t/oauth2/v2.0/token"),
            sim,
        );
        // Loopback only in a development build (the native tests enable `dev-endpoints`).
        assert_eq!(loopback.is_ok(), crate::automation::config::DEV_ENDPOINTS);
        let e = Discovery::parse(&with_token("http://evil.example/token"), sim).unwrap_err();
        assert_eq!(
            e,
            "token_endpoint must use https: http://evil.example/token"
        );
        assert!(Discovery::parse("{}", sim).is_err());
    }

    #[test]
    fn a_discovery_pointing_elsewhere_is_refused_with_its_message() {
        let good_authorize =
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize";
        let good_token = "https://login.microsoftonline.com/organizations/oauth2/v2.0/token";
        let placeholder = "https://login.microsoftonline.com/{tenantid}/v2.0";
        assert!(
            Discovery::parse(&doc(placeholder, good_authorize, good_token), ORGANIZATIONS).is_ok()
        );

        let e = Discovery::parse(
            &doc(
                placeholder,
                good_authorize,
                "https://token-relay.example/organizations/oauth2/v2.0/token",
            ),
            ORGANIZATIONS,
        )
        .unwrap_err();
        assert_eq!(e, "its token_endpoint https://token-relay.example/organizations/oauth2/v2.0/token is not on the sign-in service's own address https://login.microsoftonline.com: sign-in stops, because the sign-in would be sent somewhere this site's config.json does not name");
        // A look-alike host, another port, another scheme: all another origin.
        for authorize in [
            "https://login.microsoftonline.com.evil.example/organizations/oauth2/v2.0/authorize",
            "https://login.microsoftonline.com:8443/organizations/oauth2/v2.0/authorize",
            "https://login.microsoftonline.us/organizations/oauth2/v2.0/authorize",
        ] {
            let e = Discovery::parse(&doc(placeholder, authorize, good_token), ORGANIZATIONS)
                .unwrap_err();
            assert!(
                e.starts_with(&format!("its authorization_endpoint {authorize} is not on")),
                "{e}"
            );
        }
        let e = Discovery::parse(
            &format!(
                r#"{{"issuer":"{placeholder}","authorization_endpoint":"{good_authorize}","token_endpoint":"{good_token}","end_session_endpoint":"https://evil.example/logout"}}"#
            ),
            ORGANIZATIONS,
        )
        .unwrap_err();
        assert!(
            e.starts_with("its end_session_endpoint https://evil.example/logout is not on"),
            "{e}"
        );

        // The issuer must be the authority's.
        for issuer in [
            "https://evil.example/{tenantid}/v2.0",
            "https://login.microsoftonline.com/{tenantid}/v2.0/",
            "https://login.microsoftonline.com/{tenantid}",
            "https://sts.windows.net/{tenantid}/",
            "https://login.microsoftonline.com/organizations.evil/v2.0",
        ] {
            let e = Discovery::parse(&doc(issuer, good_authorize, good_token), ORGANIZATIONS)
                .unwrap_err();
            assert_eq!(
                e,
                format!("its issuer {issuer} does not match the authority {ORGANIZATIONS}: sign-in stops, because its ID tokens could not be checked against the service this site's config.json names")
            );
        }
    }

    #[test]
    fn the_issuer_names_the_tenant_as_entra_does() {
        let tenant_authority = format!("https://login.microsoftonline.com/{TID}/v2.0");
        let authorize = format!("https://login.microsoftonline.com/{TID}/oauth2/v2.0/authorize");
        let token = format!("https://login.microsoftonline.com/{TID}/oauth2/v2.0/token");
        let issuer = |tenant: &str| format!("https://login.microsoftonline.com/{tenant}/v2.0");
        let parse = |authority: &str, tenant: &str| {
            Discovery::parse(&doc(&issuer(tenant), &authorize, &token), authority).is_ok()
        };
        // A tenant's own authority: its own ID, in any case; not another tenant's, nor the
        // placeholder (which would accept a token of any tenant).
        assert!(parse(&tenant_authority, TID));
        assert!(parse(&tenant_authority, &TID.to_ascii_uppercase()));
        assert!(!parse(
            &tenant_authority,
            "00000000-0000-0000-0000-000000000001"
        ));
        assert!(!parse(&tenant_authority, "{tenantid}"));
        // Multi-tenant, personal and domain authorities: the placeholder or the tenant's ID.
        for authority in [
            ORGANIZATIONS,
            "https://login.microsoftonline.com/common/v2.0",
            "https://login.microsoftonline.com/consumers/v2.0",
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0",
        ] {
            assert!(parse(authority, "{tenantid}"), "{authority}");
            assert!(parse(authority, TID), "{authority}");
            assert!(!parse(authority, "contoso.evil"), "{authority}");
        }
    }
}
