//! Which tenant to sign in to, and checks of the client ID an admin types.
//!
//! The configured authority is usually `…/organizations/v2.0`: any work account signs in
//! to its home tenant. A guest admin, or an MSP managing a customer, must name the tenant:
//! "For guest scenarios where you sign a user from one tenant into another tenant, you
//! *must* provide the tenant identifier to sign them into the resource tenant."
//! (v2-oauth2-auth-code-flow, `tenant` parameter:
//! <https://learn.microsoft.com/entra/identity-platform/v2-oauth2-auth-code-flow>). The
//! tenant identifier is a tenant ID (GUID) or a verified domain name (same page: "Valid
//! values are `common`, `organizations`, `consumers`, and tenant identifiers"; the
//! authority docs accept `contoso.onmicrosoft.com`).
//!
//! [`config_for`] replaces the tenant segment of the authority, so the discovery document,
//! the authorize and token endpoints, and the ID token's expected issuer all become that
//! tenant's: a token issued by another tenant then fails the issuer check.

use oauth2::url::Url;

use crate::automation::config::AppConfig;
use crate::validate::is_guid;

/// The tenant an admin named.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Tenant {
    /// A Directory (tenant) ID, lower-case.
    Id(String),
    /// A verified domain such as `contoso.onmicrosoft.com`, lower-case.
    Domain(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TenantError {
    /// Not a GUID and not a domain name.
    NotATenant(String),
    /// A user name (`adele@contoso.com`) instead of its domain.
    AccountName { domain: String },
    /// `common` / `consumers`: personal Microsoft accounts cannot administer a tenant.
    NotAWorkTenant(String),
    /// The configured authority has no `/{tenant}/v2.0` path to replace.
    AuthorityWithoutTenant(String),
}

impl std::fmt::Display for TenantError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TenantError::NotATenant(v) => write!(
                f,
                "\"{v}\" is not a tenant: enter a domain of the tenant such as contoso.onmicrosoft.com or contoso.com, or its Directory (tenant) ID, a GUID such as 6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3; leave it empty for your own organization"
            ),
            TenantError::AccountName { domain } => write!(
                f,
                "that is an account name: enter only its domain ({domain}), or the tenant ID"
            ),
            TenantError::NotAWorkTenant(v) => write!(
                f,
                "\"{v}\" includes personal Microsoft accounts, which cannot administer a tenant: enter your organization's domain or tenant ID, or leave it empty"
            ),
            TenantError::AuthorityWithoutTenant(a) => write!(
                f,
                "the site's config.json authority {a} does not end in /<tenant>/v2.0, so no other tenant can be chosen"
            ),
        }
    }
}

impl std::error::Error for TenantError {}

impl Tenant {
    /// What the admin typed: empty (or `organizations`) = the configured authority
    /// ("my organization"); a GUID = a tenant ID; else a domain name.
    pub fn parse(input: &str) -> Result<Option<Tenant>, TenantError> {
        let value = input.trim().trim_end_matches('.').to_ascii_lowercase();
        if value.is_empty() || value == "organizations" {
            return Ok(None);
        }
        if value == "common" || value == "consumers" {
            return Err(TenantError::NotAWorkTenant(value));
        }
        if is_guid(&value) {
            return Ok(Some(Tenant::Id(value)));
        }
        if let Some((_, domain)) = value.rsplit_once('@') {
            if is_domain(domain) {
                return Err(TenantError::AccountName {
                    domain: domain.to_owned(),
                });
            }
        }
        if is_domain(&value) {
            return Ok(Some(Tenant::Domain(value)));
        }
        Err(TenantError::NotATenant(input.trim().to_owned()))
    }

    /// The path segment: the tenant ID or the domain.
    pub fn as_str(&self) -> &str {
        match self {
            Tenant::Id(id) => id,
            Tenant::Domain(domain) => domain,
        }
    }
}

impl std::fmt::Display for Tenant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A DNS name of at least two labels: letters, digits and inner hyphens, labels of at most
/// 63 characters, a top-level label of letters (RFC 1035 §2.3.1 and 2.3.4), or an
/// internationalised one in its `xn--` form.
fn is_domain(value: &str) -> bool {
    let labels: Vec<&str> = value.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    let top = labels.last().copied().unwrap_or("");
    value.len() <= 253
        && labels.len() >= 2
        && labels.iter().all(label_ok)
        && (top.bytes().all(|b| b.is_ascii_lowercase()) && top.len() >= 2
            || top.starts_with("xn--"))
}

/// The tenant segment of an authority `…/{tenant}/v2.0`.
pub fn authority_tenant(authority: &str) -> Option<String> {
    let url = Url::parse(authority).ok()?;
    let segments: Vec<&str> = url.path_segments()?.filter(|s| !s.is_empty()).collect();
    match segments.as_slice() {
        [.., tenant, "v2.0"] => Some(tenant.to_ascii_lowercase()),
        _ => None,
    }
}

/// `authority` with its tenant segment replaced: `…/organizations/v2.0` →
/// `…/{tenant}/v2.0`.
pub fn authority_for(authority: &str, tenant: &Tenant) -> Result<String, TenantError> {
    let without = || TenantError::AuthorityWithoutTenant(authority.to_owned());
    let mut url = Url::parse(authority).map_err(|_| without())?;
    let mut segments: Vec<String> = url
        .path_segments()
        .ok_or_else(without)?
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect();
    let n = segments.len();
    if n < 2 || segments[n - 1] != "v2.0" {
        return Err(without());
    }
    segments[n - 2] = tenant.as_str().to_owned();
    url.set_path(&segments.join("/"));
    Ok(url.as_str().trim_end_matches('/').to_owned())
}

/// The configuration to sign in with: the configured one ("my organization") or the same
/// with the named tenant's authority.
pub fn config_for(config: &AppConfig, tenant: Option<&Tenant>) -> Result<AppConfig, TenantError> {
    match tenant {
        None => Ok(config.clone()),
        Some(t) => Ok(AppConfig {
            authority: authority_for(&config.authority, t)?,
            ..config.clone()
        }),
    }
}

/// What to say about the three GUIDs on an app registration's Overview page.
pub const OVERVIEW_GUIDS: &str = "An app registration's Overview page shows three GUIDs: the Application (client) ID (this one), the Object ID (the registration's own object; not used to sign in) and the Directory (tenant) ID (your tenant).";

/// The client ID an admin typed, checked: a GUID (see [`AppConfig::with_client_id`]) that
/// is not one of `tenant_ids` (the tenant of the current sign-in context: the configured
/// or chosen tenant's ID, the last signed-in `tid`), which sits next to it on the Overview
/// page and is the most common wrong paste.
pub fn check_client_id(
    config: &AppConfig,
    input: &str,
    tenant_ids: &[&str],
) -> Result<AppConfig, String> {
    let with = config
        .with_client_id(input)
        .map_err(|_| format!("This is not an Application (client) ID: it is a GUID such as 748aa5a9-366f-466f-adb2-52238936e96e. {OVERVIEW_GUIDS}"))?;
    let id = with.client_id.as_deref().unwrap_or_default();
    if tenant_ids.iter().any(|t| t.eq_ignore_ascii_case(id)) {
        return Err(format!("This is your Directory (tenant) ID, not the assistant's Application (client) ID. {OVERVIEW_GUIDS}"));
    }
    Ok(with)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TID: &str = "73b9e3ff-f52c-4e90-ac33-e56c9141b49e";

    fn config() -> AppConfig {
        AppConfig::parse(r#"{"authority":"https://login.microsoftonline.com/organizations/v2.0","graph_base_url":"https://graph.microsoft.com/v1.0","client_id":"748aa5a9-366f-466f-adb2-52238936e96e"}"#).unwrap()
    }

    #[test]
    fn parses_domains_and_tenant_ids() {
        assert_eq!(Tenant::parse("").unwrap(), None);
        assert_eq!(Tenant::parse("  organizations ").unwrap(), None);
        assert_eq!(
            Tenant::parse(" Contoso.OnMicrosoft.com ").unwrap(),
            Some(Tenant::Domain("contoso.onmicrosoft.com".into()))
        );
        assert_eq!(
            Tenant::parse("fabrikam-demo.onmicrosoft.com.").unwrap(),
            Some(Tenant::Domain("fabrikam-demo.onmicrosoft.com".into()))
        );
        assert_eq!(
            Tenant::parse("contoso.co.uk").unwrap(),
            Some(Tenant::Domain("contoso.co.uk".into()))
        );
        assert_eq!(
            Tenant::parse(&TID.to_ascii_uppercase()).unwrap(),
            Some(Tenant::Id(TID.into()))
        );
    }

    #[test]
    fn refuses_what_is_not_a_tenant_with_what_to_enter() {
        for bad in [
            "contoso",
            "contoso.",
            "-contoso.com",
            "contoso-.com",
            "con toso.com",
            "https://contoso.com",
            "contoso.com/x",
            "contoso.c0m",
            "73b9e3ff-f52c-4e90-ac33-e56c9141b49",
        ] {
            let e = Tenant::parse(bad).unwrap_err();
            assert!(matches!(e, TenantError::NotATenant(_)), "{bad}: {e:?}");
            assert!(e.to_string().contains("contoso.onmicrosoft.com"), "{e}");
        }
        assert_eq!(
            Tenant::parse("adele@contoso.com").unwrap_err(),
            TenantError::AccountName {
                domain: "contoso.com".into()
            }
        );
        assert!(matches!(
            Tenant::parse("common"),
            Err(TenantError::NotAWorkTenant(_))
        ));
        assert!(matches!(
            Tenant::parse("consumers"),
            Err(TenantError::NotAWorkTenant(_))
        ));
        let long = format!("{}.com", "a".repeat(64));
        assert!(Tenant::parse(&long).is_err());
    }

    #[test]
    fn the_authority_becomes_tenant_specific() {
        let c = config();
        let t = Tenant::parse("contoso.onmicrosoft.com").unwrap().unwrap();
        let specific = config_for(&c, Some(&t)).unwrap();
        assert_eq!(
            specific.authority,
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0"
        );
        assert_eq!(
            specific.discovery_url(),
            "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/.well-known/openid-configuration"
        );
        assert_eq!(specific.client_id, c.client_id);
        assert_eq!(specific.graph_base_url, c.graph_base_url);
        assert_eq!(config_for(&c, None).unwrap(), c);
        // A simulator's authority, and one already tenant-specific.
        let id = Tenant::Id(TID.into());
        assert_eq!(
            authority_for("http://127.0.0.1:8750/organizations/v2.0", &id).unwrap(),
            format!("http://127.0.0.1:8750/{TID}/v2.0")
        );
        assert_eq!(
            authority_for(
                "https://login.microsoftonline.us/6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3/v2.0",
                &id
            )
            .unwrap(),
            format!("https://login.microsoftonline.us/{TID}/v2.0")
        );
        assert_eq!(
            authority_tenant(&specific.authority).as_deref(),
            Some("contoso.onmicrosoft.com")
        );
        assert_eq!(
            authority_tenant(&c.authority).as_deref(),
            Some("organizations")
        );
        assert!(matches!(
            authority_for("https://idp.example.com/oauth", &id),
            Err(TenantError::AuthorityWithoutTenant(_))
        ));
    }

    #[test]
    fn the_id_token_issuer_check_follows_the_chosen_tenant() {
        use super::super::id_token::{check, unsigned_jwt, Expected, IdTokenError};
        let other = "6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3";
        let token = |tid: &str| {
            unsigned_jwt(&serde_json::json!({
                "iss": format!("https://login.microsoftonline.com/{tid}/v2.0"),
                "aud": "748aa5a9-366f-466f-adb2-52238936e96e", "tid": tid,
                "exp": 2_000_000_000
            }))
        };
        // The tenant-specific discovery document names that tenant's issuer.
        let issuer = format!("https://login.microsoftonline.com/{TID}/v2.0");
        let expected = Expected {
            client_id: "748aa5a9-366f-466f-adb2-52238936e96e",
            issuer: &issuer,
            nonce: None,
            now_ms: 1_800_000_000_000,
        };
        assert_eq!(check(&token(TID), &expected).unwrap().tid, TID);
        assert!(matches!(
            check(&token(other), &expected),
            Err(IdTokenError::WrongIssuer { .. })
        ));
    }

    #[test]
    fn a_client_id_must_not_be_the_tenant_id() {
        let mut c = config();
        c.client_id = None;
        let ok = check_client_id(&c, " 748AA5A9-366F-466F-ADB2-52238936E96E ", &[TID]).unwrap();
        assert_eq!(
            ok.client_id.as_deref(),
            Some("748aa5a9-366f-466f-adb2-52238936e96e")
        );
        let tenant = check_client_id(&c, &TID.to_ascii_uppercase(), &[TID]).unwrap_err();
        assert!(tenant.contains("Directory (tenant) ID"), "{tenant}");
        assert!(tenant.contains("Object ID"), "{tenant}");
        let not_guid = check_client_id(&c, "Entra Setup Assistant", &[]).unwrap_err();
        assert!(not_guid.contains("Application (client) ID"), "{not_guid}");
        assert!(not_guid.contains("Object ID"), "{not_guid}");
    }
}
