//! What the signed-in admin can do, from their directory roles (graph-facts §2.2–2.3), and
//! the admin-consent link for when they cannot.

use super::observe::query_escape;
use crate::plan::Plan;

pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";
pub const PRIVILEGED_ROLE_ADMINISTRATOR: &str = "e8611ab8-c189-46e8-94e1-60213ab1f814";
pub const APPLICATION_ADMINISTRATOR: &str = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
pub const CLOUD_APPLICATION_ADMINISTRATOR: &str = "158c047a-c907-4556-b7ef-446551a6b5f7";
pub const AI_ADMINISTRATOR: &str = "d2562ede-74db-457e-a7b6-544e236ebb61";

/// Who can grant Microsoft Graph application permissions.
pub const WHO_GRAPH_APP_ROLES: &str = "a Global Administrator or Privileged Role Administrator";
/// Who can grant everything else.
pub const WHO_OTHER_CONSENT: &str = "a Global Administrator, Privileged Role Administrator, Cloud Application Administrator or Application Administrator";

/// The admin's active directory roles, as far as Graph told us.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum AdminRoles {
    /// Role template IDs (possibly none).
    Known(Vec<String>),
    /// Graph gave no `roleTemplateId` (the token lacks RoleManagement.Read.Directory) or the
    /// read failed: try, and handle a 403.
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Capability {
    Yes,
    No,
    Unknown,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Capabilities {
    /// Tenant-wide delegated consent and non-Graph app roles.
    pub consent: Capability,
    /// Microsoft Graph app roles.
    pub graph_app_roles: Capability,
}

impl AdminRoles {
    pub fn has(&self, template_id: &str) -> bool {
        matches!(self, AdminRoles::Known(ids) if ids.iter().any(|i| i.eq_ignore_ascii_case(template_id)))
    }

    pub fn capabilities(&self) -> Capabilities {
        if matches!(self, AdminRoles::Unknown) {
            return Capabilities {
                consent: Capability::Unknown,
                graph_app_roles: Capability::Unknown,
            };
        }
        let yes = |b: bool| if b { Capability::Yes } else { Capability::No };
        let top = self.has(GLOBAL_ADMINISTRATOR) || self.has(PRIVILEGED_ROLE_ADMINISTRATOR);
        let app_admin = self.has(APPLICATION_ADMINISTRATOR)
            || self.has(CLOUD_APPLICATION_ADMINISTRATOR)
            || self.has(AI_ADMINISTRATOR);
        Capabilities {
            consent: yes(top || app_admin),
            graph_app_roles: yes(top),
        }
    }

    /// Names of the admin roles that matter here, for "you are signed in as ...".
    pub fn names(&self) -> Vec<&'static str> {
        [
            (GLOBAL_ADMINISTRATOR, "Global Administrator"),
            (
                PRIVILEGED_ROLE_ADMINISTRATOR,
                "Privileged Role Administrator",
            ),
            (APPLICATION_ADMINISTRATOR, "Application Administrator"),
            (
                CLOUD_APPLICATION_ADMINISTRATOR,
                "Cloud Application Administrator",
            ),
            (AI_ADMINISTRATOR, "AI Administrator"),
        ]
        .into_iter()
        .filter(|(id, _)| self.has(id))
        .map(|(_, n)| n)
        .collect()
    }

    /// What the admin can do for this plan, said up front.
    pub fn summary(&self, plan: &Plan) -> String {
        let needs_graph_roles = plan.needs_privileged_role_admin();
        let needs_consent = plan.needs_admin_consent();
        let names = self.names();
        let who = match self {
            AdminRoles::Unknown => "Your directory roles could not be read".to_owned(),
            AdminRoles::Known(_) if names.is_empty() => {
                "You hold no administrator role that can grant consent".to_owned()
            }
            AdminRoles::Known(_) => format!("You are {}", names.join(", ")),
        };
        let Capabilities {
            consent,
            graph_app_roles,
        } = self.capabilities();
        let can = match (needs_consent, needs_graph_roles, consent, graph_app_roles) {
            (false, _, _, _) => "this integration needs no admin consent, so you can do everything".to_owned(),
            (_, true, _, Capability::Yes) | (_, false, Capability::Yes, _) => {
                "you can create the registration and grant all of its consent".to_owned()
            }
            (_, _, Capability::Unknown, _) | (_, true, _, Capability::Unknown) => {
                "the setup will try to grant consent and hand you a link for an administrator if it cannot".to_owned()
            }
            (_, true, Capability::Yes, Capability::No) => format!(
                "you can create the registration and grant its delegated permissions, but its Microsoft Graph application permissions need {WHO_GRAPH_APP_ROLES}: you will get a consent link for them"
            ),
            _ => format!(
                "you can create the registration, but its consent needs {}: you will get a consent link",
                if needs_graph_roles { WHO_GRAPH_APP_ROLES } else { WHO_OTHER_CONSENT }
            ),
        };
        format!("{who}: {can}.")
    }
}

/// The tenant's admin-consent link for the new app (graph-facts §1.7): the v2 form with
/// `{graph_resource}/.default` when the app has a redirect URI to come back to, else the v1
/// form (which needs none). `graph_resource` is the configured cloud's
/// (`AppConfig::graph_resource`): `.default` names the resource the consent is for, and a
/// national cloud's Graph is not `graph.microsoft.com` (see `crate::cloud`).
pub fn admin_consent_url(
    authority_origin: &str,
    graph_resource: &str,
    tenant_id: &str,
    client_id: &str,
    redirect_uri: Option<&str>,
) -> String {
    match redirect_uri {
        Some(r) => format!(
            "{authority_origin}/{tenant_id}/v2.0/adminconsent?client_id={client_id}&scope={}&redirect_uri={}",
            query_escape(&format!("{graph_resource}/.default")),
            query_escape(r)
        ),
        None => format!("{authority_origin}/{tenant_id}/adminconsent?client_id={client_id}"),
    }
}

/// Who can use the consent link for this plan.
pub fn who_can_consent(plan: &Plan) -> &'static str {
    if plan.needs_privileged_role_admin() {
        WHO_GRAPH_APP_ROLES
    } else {
        WHO_OTHER_CONSENT
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::automation::config::AppConfig;
    use crate::catalog;
    use crate::cloud::Cloud;
    use crate::plan::Options;

    fn plan(id: &str) -> Plan {
        Plan::new(catalog::by_id(id).unwrap(), &Options::default())
    }

    #[test]
    fn roles_map_to_what_can_be_granted() {
        let ga = AdminRoles::Known(vec![GLOBAL_ADMINISTRATOR.into()]);
        let cloud = AdminRoles::Known(vec![CLOUD_APPLICATION_ADMINISTRATOR.into()]);
        let nobody = AdminRoles::Known(vec![]);
        assert_eq!(ga.capabilities().graph_app_roles, Capability::Yes);
        assert_eq!(cloud.capabilities().consent, Capability::Yes);
        assert_eq!(cloud.capabilities().graph_app_roles, Capability::No);
        assert_eq!(nobody.capabilities().consent, Capability::No);
        assert_eq!(
            AdminRoles::Unknown.capabilities().consent,
            Capability::Unknown
        );

        let novus = plan("novus-calendarsync");
        let s = cloud.summary(&novus);
        assert!(
            s.contains("Cloud Application Administrator")
                && s.contains("Privileged Role Administrator"),
            "{s}"
        );
        let s = ga.summary(&novus);
        assert!(s.contains("grant all"), "{s}");
    }

    #[test]
    fn consent_links_follow_the_documented_forms() {
        let v2 = admin_consent_url(
            "https://login.microsoftonline.com",
            "https://graph.microsoft.com",
            "t1",
            "c1",
            Some("https://api.nango.dev/oauth/callback"),
        );
        assert_eq!(
            v2,
            "https://login.microsoftonline.com/t1/v2.0/adminconsent?client_id=c1&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&redirect_uri=https%3A%2F%2Fapi.nango.dev%2Foauth%2Fcallback"
        );
        assert_eq!(
            admin_consent_url(
                "https://login.microsoftonline.com",
                "https://graph.microsoft.com",
                "t1",
                "c1",
                None
            ),
            "https://login.microsoftonline.com/t1/adminconsent?client_id=c1"
        );
        assert_eq!(
            who_can_consent(&plan("novus-calendarsync")),
            WHO_GRAPH_APP_ROLES
        );
    }

    #[test]
    fn consent_links_name_each_clouds_graph() {
        let expected = [
            (
                Cloud::Global,
                "https://login.microsoftonline.com/t1/v2.0/adminconsent?client_id=c1&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default&redirect_uri=https%3A%2F%2Fr.example%2F",
            ),
            (
                Cloud::UsGovHigh,
                "https://login.microsoftonline.us/t1/v2.0/adminconsent?client_id=c1&scope=https%3A%2F%2Fgraph.microsoft.us%2F.default&redirect_uri=https%3A%2F%2Fr.example%2F",
            ),
            (
                Cloud::UsGovDod,
                "https://login.microsoftonline.us/t1/v2.0/adminconsent?client_id=c1&scope=https%3A%2F%2Fdod-graph.microsoft.us%2F.default&redirect_uri=https%3A%2F%2Fr.example%2F",
            ),
            (
                Cloud::China,
                "https://login.partner.microsoftonline.cn/t1/v2.0/adminconsent?client_id=c1&scope=https%3A%2F%2Fmicrosoftgraph.chinacloudapi.cn%2F.default&redirect_uri=https%3A%2F%2Fr.example%2F",
            ),
        ];
        for (cloud, url) in expected {
            let config = AppConfig::parse(&format!(r#"{{"cloud":"{cloud}"}}"#)).unwrap();
            assert_eq!(
                admin_consent_url(
                    &config.authority_origin(),
                    &config.graph_resource(),
                    "t1",
                    "c1",
                    Some("https://r.example/")
                ),
                url
            );
        }
    }
}
