//! What the signed-in admin can do, from their directory roles (graph-facts §2.2–2.3), and
//! the admin-consent link for when they cannot.

use super::page_query::param;
use super::report::ConsentHandOff;
use crate::automation::graph::paths::query_escape;
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
/// Who can create a service principal for a multi-tenant app or a missing Microsoft API
/// (graph-facts §2.1; serviceprincipal-upsert: "the calling user must also be assigned at
/// least the Application Administrator or Cloud Application Administrator role").
pub const WHO_SERVICE_PRINCIPALS: &str =
    "a Global Administrator, Cloud Application Administrator or Application Administrator";

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

    /// Whether the admin may create service principals for apps other than their own
    /// single-tenant ones.
    pub fn service_principals(&self) -> Capability {
        match self {
            AdminRoles::Unknown => Capability::Unknown,
            known
                if [
                    GLOBAL_ADMINISTRATOR,
                    APPLICATION_ADMINISTRATOR,
                    CLOUD_APPLICATION_ADMINISTRATOR,
                ]
                .iter()
                .any(|r| known.has(r)) =>
            {
                Capability::Yes
            }
            _ => Capability::No,
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

/// Roles the admin could activate in Privileged Identity Management that would let them do
/// more than their active roles do; named, so they activate them instead of handing off.
pub fn eligible_note(active: &AdminRoles, eligible: &[String]) -> Option<String> {
    let inactive = AdminRoles::Known(
        eligible
            .iter()
            .filter(|id| !active.has(id))
            .cloned()
            .collect(),
    );
    let names = inactive.names();
    (!names.is_empty()).then(|| {
        format!(
            "You are eligible for {} in Privileged Identity Management, but it is not active: activate it in PIM (My roles), then select Review again.",
            names.join(", ")
        )
    })
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

/// The query parameter of a hand-off link to this assistant: the client ID whose setup an
/// administrator is asked to finish.
pub const FINISH_PARAM: &str = "finish";

/// How to hand what this admin cannot do (consent, or a service principal only a higher
/// role may create) to someone who can.
///
/// With a redirect URI: Microsoft's v2 admin-consent page (graph-facts §1.7), which
/// returns to that URI and creates the service principal as it consents. Without one,
/// Entra has no consent URL that works: the v2 endpoint requires a registered
/// `redirect_uri`, and the v1 `/{tenant}/adminconsent?client_id=` answers AADSTS500113 "No
/// reply address is registered for the application" (the portal's "Grant admin consent"
/// button is the only other way). So the link opens this assistant's setup page for the
/// integration in finish mode: the administrator signs in and the run grants what is
/// missing through Graph (learn.microsoft.com/entra/identity/enterprise-apps/grant-consent-
/// single-user and grant-admin-consent: `oauth2PermissionGrants`, `appRoleAssignedTo`),
/// keeping the registration and its secret as they are.
#[allow(clippy::too_many_arguments)]
pub fn consent_hand_off(
    authority_origin: &str,
    graph_resource: &str,
    tenant_id: &str,
    client_id: &str,
    redirect_uri: Option<&str>,
    assistant_origin: &str,
    integration_id: &str,
    who: &str,
) -> ConsentHandOff {
    match redirect_uri {
        Some(_) => ConsentHandOff {
            url: admin_consent_url(
                authority_origin,
                graph_resource,
                tenant_id,
                client_id,
                redirect_uri,
            ),
            who: who.to_owned(),
            how: "Microsoft's admin consent page: they sign in, review the permissions and accept.".into(),
        },
        None => ConsentHandOff {
            url: finish_link(assistant_origin, integration_id, client_id, tenant_id),
            who: who.to_owned(),
            how: "This assistant's setup page in finish mode: they sign in, review, and apply; it grants only what is missing and keeps the registration and its secret as they are. (Or, in the Microsoft Entra admin center: Entra ID > App registrations > the app > API permissions > Grant admin consent.)".into(),
        },
    }
}

/// `{assistant}/setup/{integration}?finish={client id}&tenant={tenant id}`.
pub fn finish_link(
    assistant_origin: &str,
    integration_id: &str,
    client_id: &str,
    tenant_id: &str,
) -> String {
    format!(
        "{}/setup/{}?{FINISH_PARAM}={}&tenant={}",
        assistant_origin.trim_end_matches('/'),
        query_escape(integration_id),
        query_escape(client_id),
        query_escape(tenant_id)
    )
}

/// What a hand-off link names: the client ID to finish and the tenant it lives in.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct FinishLink {
    pub client_id: String,
    pub tenant_id: Option<String>,
}

impl FinishLink {
    /// From a page's query string (`?finish=…&tenant=…`); `None` when it names no valid
    /// client ID (a hand-edited link is ignored rather than half-followed).
    pub fn from_query(query: &str) -> Option<FinishLink> {
        let get = |k: &str| param(query, k).map(|v| v.to_ascii_lowercase());
        let client_id = get(FINISH_PARAM).filter(|c| crate::validate::is_guid(c))?;
        Some(FinishLink {
            client_id,
            tenant_id: get("tenant").filter(|t| !t.is_empty()),
        })
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
    fn eligible_roles_not_yet_active_are_named() {
        let active = AdminRoles::Known(vec![]);
        let note = eligible_note(&active, &[PRIVILEGED_ROLE_ADMINISTRATOR.into()]).unwrap();
        assert!(
            note.contains("Privileged Role Administrator") && note.contains("activate it in PIM"),
            "{note}"
        );
        let held = AdminRoles::Known(vec![PRIVILEGED_ROLE_ADMINISTRATOR.into()]);
        assert_eq!(
            eligible_note(&held, &[PRIVILEGED_ROLE_ADMINISTRATOR.into()]),
            None
        );
        assert_eq!(eligible_note(&active, &[]), None);
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
    fn apps_without_a_redirect_uri_are_handed_off_to_this_assistant() {
        // v1 adminconsent answers AADSTS500113 for them in real Entra.
        let h = consent_hand_off(
            "https://login.microsoftonline.com",
            "https://graph.microsoft.com",
            "t1",
            "c1",
            None,
            "https://setup.example.com/",
            "novus-calendarsync",
            WHO_GRAPH_APP_ROLES,
        );
        assert_eq!(
            h.url,
            "https://setup.example.com/setup/novus-calendarsync?finish=c1&tenant=t1"
        );
        assert!(!h.url.contains("adminconsent"));
        let h = consent_hand_off(
            "https://login.microsoftonline.com",
            "https://graph.microsoft.com",
            "t1",
            "c1",
            Some("https://api.nango.dev/oauth/callback"),
            "https://setup.example.com",
            "nango-microsoft-teams",
            WHO_OTHER_CONSENT,
        );
        assert!(
            h.url.contains("/t1/v2.0/adminconsent?client_id=c1"),
            "{}",
            h.url
        );
    }

    #[test]
    fn finish_links_round_trip_and_bad_ones_are_ignored() {
        let client = "0f6a1b2c-3d4e-4f50-8a6b-7c8d9e0f1a2b";
        let url = finish_link(
            "https://setup.example.com",
            "novus-calendarsync",
            client,
            "t1",
        );
        let query = &url[url.find('?').unwrap()..];
        assert_eq!(
            FinishLink::from_query(query),
            Some(FinishLink {
                client_id: client.into(),
                tenant_id: Some("t1".into())
            })
        );
        assert_eq!(FinishLink::from_query("?finish=not-a-guid"), None);
        assert_eq!(FinishLink::from_query(""), None);
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
