//! The Microsoft clouds an admin's tenant can live in, and their hosts.
//!
//! A tenant exists in exactly one cloud, and its tokens work only there ("Access tokens
//! acquired for a national cloud deployment are not interchangeable with those acquired for
//! the global service or any other national cloud", learn.microsoft.com/graph/deployments).
//! So sign-in, Graph, scope strings, consent links, exports and portal links all take their
//! hosts from this one table. Always compiled: the exports and the checklist need it without
//! automated mode.
//!
//! Sources, cited per host below:
//! - [GRAPH-DEPLOY] microsoftgraph/microsoft-graph-docs-contrib `concepts/deployments.md`
//!   (https://learn.microsoft.com/graph/deployments): the Graph service roots and the
//!   portal/token hosts; GCC High uses `graph.microsoft.us`, DoD `dod-graph.microsoft.us`,
//!   both with `portal.azure.us`.
//! - [ENTRA-NATIONAL] MicrosoftDocs/entra-docs
//!   `docs/identity-platform/authentication-national-cloud.md`
//!   (https://learn.microsoft.com/entra/identity-platform/authentication-national-cloud): the
//!   Entra authentication hosts.
//! - [MSAL-JS] AzureAD/microsoft-authentication-library-for-js
//!   `lib/msal-common/src/authority/AuthorityMetadata.ts`: China's `preferred_network` is
//!   `login.partner.microsoftonline.cn` with alias `login.chinacloudapi.cn`, and discovery at
//!   the alias still names `login.partner.microsoftonline.cn` as the issuer.
//! - [ENTRA-FAQ] MicrosoftDocs/entra-docs `docs/fundamentals/faq.yml`
//!   (https://learn.microsoft.com/entra/fundamentals/faq), the admin-center firewall list:
//!   `*.entra.microsoft.com`, `*.entra.microsoft.us`, `*.entra.microsoftonline.cn`.
//! - [AZ-CLOUD] Azure CLI's registered clouds (`az cloud list`, learn.microsoft.com/cli/azure/
//!   manage-clouds-azure-cli): `AzureCloud`, `AzureUSGovernment`, `AzureChinaCloud`; there is
//!   no DoD entry. `az rest` derives a token's resource from `--url` only when the URL starts
//!   with one of the active cloud's endpoints (`az rest --help`; azure-cli
//!   `azure/cli/core/util.py` `send_raw_request`), and AzureUSGovernment's Graph endpoint is
//!   `graph.microsoft.us`, so DoD Graph calls must name `--resource`.

use std::fmt;
use std::str::FromStr;

/// A Microsoft cloud (a "national cloud" or the global service).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Cloud {
    /// The global service (also Microsoft 365 GCC, which uses the global endpoints
    /// [GRAPH-DEPLOY]).
    #[default]
    Global,
    /// Azure Government / Microsoft 365 GCC High ("US Government L4").
    UsGovHigh,
    /// Microsoft 365 DoD ("US Government L5").
    UsGovDod,
    /// Azure and Microsoft 365 operated by 21Vianet.
    China,
}

/// A cloud name that is not one of [`Cloud::ALL`]'s.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownCloud(pub String);

impl fmt::Display for UnknownCloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown cloud \"{}\": use one of {}",
            self.0,
            Cloud::names().join(", ")
        )
    }
}

impl std::error::Error for UnknownCloud {}

impl Cloud {
    pub const ALL: [Cloud; 4] = [
        Cloud::Global,
        Cloud::UsGovHigh,
        Cloud::UsGovDod,
        Cloud::China,
    ];

    /// The name `config.json` and the CLI's `--cloud` take (also `Display` and serde).
    pub const fn name(self) -> &'static str {
        match self {
            Cloud::Global => "global",
            Cloud::UsGovHigh => "usgov",
            Cloud::UsGovDod => "usgovdod",
            Cloud::China => "china",
        }
    }

    /// Every [`Cloud::name`], in [`Cloud::ALL`]'s order (for help texts and errors).
    pub fn names() -> Vec<&'static str> {
        Cloud::ALL.map(Cloud::name).to_vec()
    }

    /// What an admin calls it, for sentences.
    pub const fn label(self) -> &'static str {
        match self {
            Cloud::Global => "the global Microsoft cloud",
            Cloud::UsGovHigh => "Microsoft Cloud for US Government (GCC High)",
            Cloud::UsGovDod => "Microsoft Cloud for US Government (DoD)",
            Cloud::China => "Microsoft Azure operated by 21Vianet (China)",
        }
    }

    /// The Entra sign-in host.
    pub const fn authority_host(self) -> &'static str {
        match self {
            // [ENTRA-NATIONAL] "Microsoft Entra ID (global service)".
            Cloud::Global => "login.microsoftonline.com",
            // [ENTRA-NATIONAL] "Microsoft Entra ID for US Government" (GCC High and DoD
            // share it; [GRAPH-DEPLOY] "Azure US Government").
            Cloud::UsGovHigh | Cloud::UsGovDod => "login.microsoftonline.us",
            // [ENTRA-NATIONAL] "Microsoft Entra China operated by 21Vianet"; [MSAL-JS]
            // preferred_network. Not login.chinacloudapi.cn ([GRAPH-DEPLOY]'s table): its
            // discovery document names this host as the issuer [MSAL-JS], so an authority
            // there would never match its own ID tokens.
            Cloud::China => "login.partner.microsoftonline.cn",
        }
    }

    /// Other documented hosts of the same sign-in service, recognised in `config.json`.
    const fn authority_aliases(self) -> &'static [&'static str] {
        match self {
            // [GRAPH-DEPLOY] "Azure China operated by 21Vianet | https://portal.azure.cn |
            // https://login.chinacloudapi.cn"; [MSAL-JS] alias of the China cloud.
            Cloud::China => &["login.chinacloudapi.cn"],
            _ => &[],
        }
    }

    /// The Microsoft Graph service root host.
    pub const fn graph_host(self) -> &'static str {
        match self {
            // [GRAPH-DEPLOY] "Microsoft Graph global service".
            Cloud::Global => "graph.microsoft.com",
            // [GRAPH-DEPLOY] "Microsoft Graph for US Government L4"; GCC High.
            Cloud::UsGovHigh => "graph.microsoft.us",
            // [GRAPH-DEPLOY] "Microsoft Graph for US Government L5 (DOD)".
            Cloud::UsGovDod => "dod-graph.microsoft.us",
            // [GRAPH-DEPLOY] "Microsoft Graph China operated by 21Vianet".
            Cloud::China => "microsoftgraph.chinacloudapi.cn",
        }
    }

    /// The Microsoft Entra admin center host.
    pub const fn admin_center_host(self) -> &'static str {
        match self {
            // [ENTRA-FAQ] *.entra.microsoft.com.
            Cloud::Global => "entra.microsoft.com",
            // [ENTRA-FAQ] *.entra.microsoft.us; learn.microsoft.com/azure/planetary-computer/
            // us-government-cloud-support maps "Microsoft Entra admin center" to it. For DoD:
            // UNCONFIRMED (no DoD-specific page found; DoD shares GCC High's portal.azure.us
            // [GRAPH-DEPLOY], so the same admin center is assumed).
            Cloud::UsGovHigh | Cloud::UsGovDod => "entra.microsoft.us",
            // [ENTRA-FAQ] *.entra.microsoftonline.cn (the firewall list only: UNCONFIRMED as
            // the address to open).
            Cloud::China => "entra.microsoftonline.cn",
        }
    }

    /// The Azure portal host.
    pub const fn portal_host(self) -> &'static str {
        match self {
            // [GRAPH-DEPLOY] "Azure global service | https://portal.azure.com".
            Cloud::Global => "portal.azure.com",
            // [GRAPH-DEPLOY] "Azure US Government | https://portal.azure.us"; GCC High and
            // DoD both.
            Cloud::UsGovHigh | Cloud::UsGovDod => "portal.azure.us",
            // [GRAPH-DEPLOY] "Azure China operated by 21Vianet | https://portal.azure.cn".
            Cloud::China => "portal.azure.cn",
        }
    }

    /// The Azure CLI's name for the cloud (`az cloud set --name ...`) [AZ-CLOUD]. DoD has no
    /// cloud of its own in the CLI: it signs in through AzureUSGovernment (same authority)
    /// and names the DoD Graph with `az rest --resource`.
    pub const fn az_cloud(self) -> &'static str {
        match self {
            Cloud::Global => "AzureCloud",
            Cloud::UsGovHigh | Cloud::UsGovDod => "AzureUSGovernment",
            Cloud::China => "AzureChinaCloud",
        }
    }

    /// Microsoft Graph as a token's resource: `https://graph.microsoft.us`. Graph scopes are
    /// `{resource}/{permission}` and `.default` is `{resource}/.default`.
    pub fn graph_resource(self) -> String {
        format!("https://{}", self.graph_host())
    }

    /// Graph v1.0: `https://graph.microsoft.us/v1.0`.
    pub fn graph_base_url(self) -> String {
        format!("{}/v1.0", self.graph_resource())
    }

    /// `{graph_resource}/.default`: every Graph permission the app is configured with.
    pub fn graph_default_scope(self) -> String {
        format!("{}/.default", self.graph_resource())
    }

    /// `https://login.microsoftonline.us`: where per-tenant Entra URLs (admin consent) start.
    pub fn authority_origin(self) -> String {
        format!("https://{}", self.authority_host())
    }

    /// The v2.0 OpenID issuer base for `tenant` (a tenant ID, a verified domain,
    /// `organizations` or `common`).
    pub fn authority(self, tenant: &str) -> String {
        format!("{}/{tenant}/v2.0", self.authority_origin())
    }

    /// `https://entra.microsoft.us`.
    pub fn admin_center(self) -> String {
        format!("https://{}", self.admin_center_host())
    }

    /// The known cloud both URLs belong to: `authority` on one of its sign-in hosts and
    /// `graph` on its Graph host, over https. `None` for anything else: loopback (entra-sim),
    /// unknown hosts, or hosts of two different clouds.
    pub fn cloud_for_hosts(authority: &str, graph: &str) -> Option<Cloud> {
        let (a, g) = (https_host(authority)?, https_host(graph)?);
        Cloud::ALL
            .into_iter()
            .find(|c| c.has_authority_host(&a) && g == c.graph_host())
    }

    /// Whether `host` (lower case) is one of this cloud's sign-in hosts.
    pub fn has_authority_host(self, host: &str) -> bool {
        host == self.authority_host() || self.authority_aliases().contains(&host)
    }

    /// The clouds whose sign-in host `url` is on (two for `login.microsoftonline.us`).
    pub fn clouds_for_authority(url: &str) -> Vec<Cloud> {
        let Some(host) = https_host(url) else {
            return Vec::new();
        };
        Cloud::ALL
            .into_iter()
            .filter(|c| c.has_authority_host(&host))
            .collect()
    }

    /// The cloud whose Graph host `url` is on.
    pub fn cloud_for_graph(url: &str) -> Option<Cloud> {
        let host = https_host(url)?;
        Cloud::ALL.into_iter().find(|c| host == c.graph_host())
    }
}

/// The lower-cased host of an `https://host[/...]` URL with no port or user info: the only
/// form a cloud's endpoints take. No URL parser here: this module is in the first load's
/// reach, and the forms accepted are deliberately narrow.
fn https_host(url: &str) -> Option<String> {
    let rest = url.trim().strip_prefix("https://")?;
    let host = rest.split(['/', '?', '#']).next()?;
    if host.is_empty() || host.contains([':', '@']) {
        return None;
    }
    Some(host.to_ascii_lowercase())
}

impl fmt::Display for Cloud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Cloud {
    type Err = UnknownCloud;

    fn from_str(s: &str) -> Result<Cloud, UnknownCloud> {
        let s = s.trim();
        Cloud::ALL
            .into_iter()
            .find(|c| c.name().eq_ignore_ascii_case(s))
            .ok_or_else(|| UnknownCloud(s.to_owned()))
    }
}

// By name, as `config.json` writes it. Written out rather than derived: core's `serde`
// feature (derive) is off in the first load, and the names must be these exact words.
impl serde::Serialize for Cloud {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

impl<'de> serde::Deserialize<'de> for Cloud {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Cloud, D::Error> {
        let name = String::deserialize(deserializer)?;
        name.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_display_from_str_and_serde() {
        for c in Cloud::ALL {
            assert_eq!(c.to_string().parse::<Cloud>(), Ok(c));
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(json, format!("\"{}\"", c.name()));
            assert_eq!(serde_json::from_str::<Cloud>(&json).unwrap(), c);
        }
        assert_eq!(Cloud::names(), ["global", "usgov", "usgovdod", "china"]);
        assert_eq!(" USGov ".parse::<Cloud>(), Ok(Cloud::UsGovHigh));
        let err = "gcc".parse::<Cloud>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown cloud \"gcc\": use one of global, usgov, usgovdod, china"
        );
        assert!(serde_json::from_str::<Cloud>("\"germany\"").is_err());
    }

    #[test]
    fn each_cloud_has_its_documented_hosts() {
        let row = |c: Cloud| {
            (
                c.authority("organizations"),
                c.graph_base_url(),
                c.graph_default_scope(),
                c.admin_center(),
                c.portal_host(),
                c.az_cloud(),
            )
        };
        assert_eq!(
            row(Cloud::Global),
            (
                "https://login.microsoftonline.com/organizations/v2.0".into(),
                "https://graph.microsoft.com/v1.0".into(),
                "https://graph.microsoft.com/.default".into(),
                "https://entra.microsoft.com".into(),
                "portal.azure.com",
                "AzureCloud"
            )
        );
        assert_eq!(
            row(Cloud::UsGovHigh),
            (
                "https://login.microsoftonline.us/organizations/v2.0".into(),
                "https://graph.microsoft.us/v1.0".into(),
                "https://graph.microsoft.us/.default".into(),
                "https://entra.microsoft.us".into(),
                "portal.azure.us",
                "AzureUSGovernment"
            )
        );
        assert_eq!(
            row(Cloud::UsGovDod),
            (
                "https://login.microsoftonline.us/organizations/v2.0".into(),
                "https://dod-graph.microsoft.us/v1.0".into(),
                "https://dod-graph.microsoft.us/.default".into(),
                "https://entra.microsoft.us".into(),
                "portal.azure.us",
                "AzureUSGovernment"
            )
        );
        assert_eq!(
            row(Cloud::China),
            (
                "https://login.partner.microsoftonline.cn/organizations/v2.0".into(),
                "https://microsoftgraph.chinacloudapi.cn/v1.0".into(),
                "https://microsoftgraph.chinacloudapi.cn/.default".into(),
                "https://entra.microsoftonline.cn".into(),
                "portal.azure.cn",
                "AzureChinaCloud"
            )
        );
    }

    #[test]
    fn a_cloud_is_recognised_from_its_urls_and_nothing_else() {
        for c in Cloud::ALL {
            assert_eq!(
                Cloud::cloud_for_hosts(&c.authority("contoso.com"), &c.graph_base_url()),
                Some(c)
            );
        }
        // The shared US Government sign-in host: Graph decides.
        assert_eq!(
            Cloud::cloud_for_hosts(
                "https://LOGIN.microsoftonline.us/t/v2.0",
                "https://dod-graph.microsoft.us/beta"
            ),
            Some(Cloud::UsGovDod)
        );
        assert_eq!(
            Cloud::clouds_for_authority("https://login.microsoftonline.us/t/v2.0"),
            [Cloud::UsGovHigh, Cloud::UsGovDod]
        );
        // China's documented alias.
        assert_eq!(
            Cloud::cloud_for_hosts(
                "https://login.chinacloudapi.cn/organizations/v2.0",
                "https://microsoftgraph.chinacloudapi.cn/v1.0"
            ),
            Some(Cloud::China)
        );
        let not_a_cloud = [
            // entra-sim
            ("http://127.0.0.1:8750/t/v2.0", "http://127.0.0.1:8750/v1.0"),
            // two clouds mixed
            (
                "https://login.microsoftonline.com/t/v2.0",
                "https://graph.microsoft.us/v1.0",
            ),
            // not https, a port, user info, a look-alike host
            (
                "http://login.microsoftonline.com/t/v2.0",
                "https://graph.microsoft.com/v1.0",
            ),
            (
                "https://login.microsoftonline.com:8443/t/v2.0",
                "https://graph.microsoft.com/v1.0",
            ),
            (
                "https://login.microsoftonline.com/t/v2.0",
                "https://x@graph.microsoft.com/v1.0",
            ),
            (
                "https://login.microsoftonline.com.evil.example/t/v2.0",
                "https://graph.microsoft.com/v1.0",
            ),
        ];
        for (a, g) in not_a_cloud {
            assert_eq!(Cloud::cloud_for_hosts(a, g), None, "{a} {g}");
        }
        assert_eq!(
            Cloud::cloud_for_graph("https://graph.microsoft.com"),
            Some(Cloud::Global)
        );
        assert_eq!(Cloud::cloud_for_graph("http://127.0.0.1:1/v1.0"), None);
    }
}
