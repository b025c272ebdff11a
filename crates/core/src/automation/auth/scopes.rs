//! Incremental consent: ask for the least at sign-in, more only when a run needs it.
//!
//! Graph permissions are asked for by name (`User.Read`) in the global cloud and qualified
//! with the configured cloud's Graph resource elsewhere (`https://graph.microsoft.us/User.Read`):
//! "Any permission scope value (including the `.default` scope) that contains the Microsoft
//! Graph domain MUST use the domain of the Microsoft Graph service root endpoint for the
//! national cloud deployment. The shortened permission scope names, such as `User.Read` ...
//! are also valid" (microsoft-graph-docs-contrib `concepts/sdks/national-clouds.md`). The
//! short names are documented as equivalent only for US Government L4 and a bare name means
//! `https://graph.microsoft.com` in the v2 endpoint's scope parameter, so outside the global
//! cloud the assistant never leaves the resource to be guessed (DoD's Graph is a different
//! host from L4's on the same sign-in service). The global cloud and entra-sim keep the short
//! names, as MSAL.js samples do.

use crate::catalog::PermissionType;
use crate::cloud::Cloud;
use crate::plan::Plan;

/// OpenID Connect scopes: not Graph permissions, and not always echoed in `scope`.
const OIDC: [&str; 4] = ["openid", "profile", "offline_access", "email"];

/// Whether `scope` is an OpenID Connect scope rather than a resource's permission.
pub(crate) fn is_oidc(scope: &str) -> bool {
    OIDC.contains(&scope)
}

/// A Graph permission as the sign-in asks for it in `cloud` (`None`: entra-sim): the bare
/// name in the global cloud, `{graph resource}/{name}` in the others. OIDC scopes and scopes
/// that already name a resource are left alone.
pub fn graph_scope(permission: &str, cloud: Option<Cloud>) -> String {
    match cloud {
        Some(c) if c != Cloud::Global && !is_oidc(permission) && !permission.contains("://") => {
            format!("{}/{permission}", c.graph_resource())
        }
        _ => permission.to_owned(),
    }
}

fn graph_scopes<'a>(names: impl IntoIterator<Item = &'a str>, cloud: Option<Cloud>) -> Vec<String> {
    names.into_iter().map(|n| graph_scope(n, cloud)).collect()
}

/// What the sign-in asks for: enough to read the admin's profile and stay signed in.
pub fn sign_in(cloud: Option<Cloud>) -> Vec<String> {
    graph_scopes(["openid", "profile", "offline_access", "User.Read"], cloud)
}

/// What a provisioning run needs for this plan, on top of [`sign_in`].
///
/// `RoleManagement.Read.Directory` is there because `/me/memberOf` with only `User.Read`
/// may omit `roleTemplateId` (graph-facts §2.1), and without it we cannot say up front what
/// the admin can do.
pub fn for_run(plan: &Plan, cloud: Option<Cloud>) -> Vec<String> {
    let mut names = vec!["Application.ReadWrite.All", "RoleManagement.Read.Directory"];
    let has = |kind| plan.permissions.iter().any(|p| p.kind == kind);
    if has(PermissionType::Delegated) {
        names.push(GRANT_WRITE);
    }
    if has(PermissionType::Application) {
        // Assigning app roles needs this and Application.Read.All, which the
        // Application.ReadWrite.All above covers (graph-facts §2.1).
        names.push(ASSIGNMENT_WRITE);
    }
    request(&graph_scopes(names, cloud), cloud)
}

/// Graph's write permission on tenant-wide delegated grants.
pub const GRANT_WRITE: &str = "DelegatedPermissionGrant.ReadWrite.All";
/// Graph's write permission on app role assignments (application permissions granted).
pub const ASSIGNMENT_WRITE: &str = "AppRoleAssignment.ReadWrite.All";

/// What repairing (adopt mode) needs: a run's scopes, and both consent-writing ones
/// whatever the plan uses, since the registration may hold consent beyond its entry of
/// either type, which the admin may tick for removal.
pub fn for_repair(plan: &Plan, cloud: Option<Cloud>) -> Vec<String> {
    let mut out = for_run(plan, cloud);
    out.extend(graph_scopes([GRANT_WRITE, ASSIGNMENT_WRITE], cloud));
    request(&out, cloud)
}

/// What one sign-in asks for: [`sign_in`] and `extra`, each scope once (names compare
/// case-insensitively), in that order.
pub fn request(extra: &[String], cloud: Option<Cloud>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for scope in sign_in(cloud).into_iter().chain(extra.iter().cloned()) {
        if !out.iter().any(|s| s.eq_ignore_ascii_case(&scope)) {
            out.push(scope);
        }
    }
    out
}

/// The Graph scopes of `wanted` that `granted` (a token response's `scope`) lacks in
/// `cloud` (`None`: entra-sim, which plays the global Graph). OIDC scopes are ignored; names
/// compare case-insensitively, bare or prefixed with that cloud's Graph resource (the token
/// endpoint may echo either). Another cloud's prefix is another resource, never a match.
pub fn missing(granted: &[String], wanted: &[String], cloud: Option<Cloud>) -> Vec<String> {
    let prefix = format!("{}/", cloud.unwrap_or_default().graph_resource());
    let norm = |s: &str| {
        let lower = s.to_ascii_lowercase();
        match lower.strip_prefix(&prefix) {
            Some(name) => name.to_owned(),
            None => lower,
        }
    };
    let have: Vec<String> = granted.iter().map(|s| norm(s)).collect();
    wanted
        .iter()
        .filter(|w| !is_oidc(w))
        .filter(|w| !have.contains(&norm(w)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;
    use crate::plan::Options;

    fn run(id: &str) -> Vec<String> {
        run_in(id, Some(Cloud::Global))
    }

    fn run_in(id: &str, cloud: Option<Cloud>) -> Vec<String> {
        for_run(
            &Plan::new(catalog::by_id(id).unwrap(), &Options::default()),
            cloud,
        )
    }

    #[test]
    fn asks_only_for_what_the_integration_needs() {
        let teams = run("nango-microsoft-teams"); // delegated only
        assert!(teams.contains(&"DelegatedPermissionGrant.ReadWrite.All".to_owned()));
        assert!(!teams.contains(&"AppRoleAssignment.ReadWrite.All".to_owned()));

        let novus = run("novus-calendarsync"); // application permissions
        assert!(novus.contains(&"AppRoleAssignment.ReadWrite.All".to_owned()));

        for scopes in [&teams, &novus] {
            assert!(scopes.contains(&"Application.ReadWrite.All".to_owned()));
            for s in sign_in(Some(Cloud::Global)) {
                assert!(scopes.contains(&s));
            }
        }
        assert!(!sign_in(None).iter().any(|s| s.contains(".All")));
        // The global cloud and entra-sim ask by short name.
        assert_eq!(run_in("novus-calendarsync", None), novus);
    }

    #[test]
    fn a_run_asks_for_each_scope_once_and_for_none_another_covers() {
        for i in catalog::ALL.iter() {
            let plan = Plan::new(i, &Options::default());
            for cloud in [None, Some(Cloud::Global), Some(Cloud::China)] {
                let wanted = for_run(&plan, cloud);
                // What the sign-in sends: the run's scopes on top of the sign-in's.
                let sent = request(&wanted, cloud);
                assert_eq!(sent, wanted, "{}", i.id);
                let lower: Vec<String> = sent.iter().map(|s| s.to_ascii_lowercase()).collect();
                for (n, s) in lower.iter().enumerate() {
                    assert!(!lower[..n].contains(s), "{}: {s} twice in {sent:?}", i.id);
                }
                let names: Vec<&str> = sent.iter().map(|s| s.rsplit('/').next().unwrap()).collect();
                for narrower in &names {
                    assert!(
                        !names
                            .iter()
                            .any(|b| crate::least_privilege::covers(b, narrower)),
                        "{}: {narrower} is covered by another scope in {sent:?}",
                        i.id
                    );
                }
            }
        }
        // The sign-in's own scopes are not repeated when the run's are added to them.
        let novus = run("novus-calendarsync");
        assert_eq!(
            request(&novus, Some(Cloud::Global)).join(" "),
            "openid profile offline_access User.Read Application.ReadWrite.All \
             RoleManagement.Read.Directory DelegatedPermissionGrant.ReadWrite.All \
             AppRoleAssignment.ReadWrite.All"
        );
    }

    #[test]
    fn missing_ignores_oidc_and_the_resource_prefix() {
        let granted = vec![
            "https://graph.microsoft.com/User.Read".to_owned(),
            "application.readwrite.all".to_owned(),
        ];
        let wanted = vec![
            "openid".to_owned(),
            "offline_access".to_owned(),
            "User.Read".to_owned(),
            "Application.ReadWrite.All".to_owned(),
            "AppRoleAssignment.ReadWrite.All".to_owned(),
        ];
        assert_eq!(
            missing(&granted, &wanted, Some(Cloud::Global)),
            ["AppRoleAssignment.ReadWrite.All"]
        );
        assert_eq!(
            missing(&granted, &wanted, None),
            ["AppRoleAssignment.ReadWrite.All"]
        );
    }

    #[test]
    fn national_clouds_ask_for_their_own_graph() {
        let sign_in_scopes = |c| sign_in(Some(c)).join(" ");
        assert_eq!(
            sign_in_scopes(Cloud::Global),
            "openid profile offline_access User.Read"
        );
        assert_eq!(
            sign_in_scopes(Cloud::UsGovHigh),
            "openid profile offline_access https://graph.microsoft.us/User.Read"
        );
        assert_eq!(
            sign_in_scopes(Cloud::UsGovDod),
            "openid profile offline_access https://dod-graph.microsoft.us/User.Read"
        );
        assert_eq!(
            sign_in_scopes(Cloud::China),
            "openid profile offline_access https://microsoftgraph.chinacloudapi.cn/User.Read"
        );
        let dod = run_in("novus-calendarsync", Some(Cloud::UsGovDod));
        assert_eq!(
            dod,
            [
                "openid",
                "profile",
                "offline_access",
                "https://dod-graph.microsoft.us/User.Read",
                "https://dod-graph.microsoft.us/Application.ReadWrite.All",
                "https://dod-graph.microsoft.us/RoleManagement.Read.Directory",
                "https://dod-graph.microsoft.us/DelegatedPermissionGrant.ReadWrite.All",
                "https://dod-graph.microsoft.us/AppRoleAssignment.ReadWrite.All",
            ]
        );
        assert_eq!(
            graph_scope("https://graph.microsoft.us/.default", Some(Cloud::China)),
            "https://graph.microsoft.us/.default"
        );
    }

    #[test]
    fn missing_compares_within_the_configured_cloud() {
        let owned = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for cloud in Cloud::ALL {
            let wanted = for_run(
                &Plan::new(
                    catalog::by_id("nango-microsoft-teams").unwrap(),
                    &Options::default(),
                ),
                Some(cloud),
            );
            // The token endpoint's echo: bare names, or the cloud's prefix in any case.
            let bare = owned(&[
                "User.Read",
                "Application.ReadWrite.All",
                "RoleManagement.Read.Directory",
                "DelegatedPermissionGrant.ReadWrite.All",
            ]);
            assert!(missing(&bare, &wanted, Some(cloud)).is_empty(), "{cloud}");
            let prefixed: Vec<String> = bare
                .iter()
                .map(|s| format!("{}/{s}", cloud.graph_resource().to_ascii_uppercase()))
                .collect();
            assert!(
                missing(&prefixed, &wanted, Some(cloud)).is_empty(),
                "{cloud}"
            );
            // Only the scopes really lacking are named, as they were asked for.
            let partial = owned(&["User.Read"]);
            assert_eq!(
                missing(&partial, &wanted, Some(cloud)),
                wanted[4..].to_vec(),
                "{cloud}"
            );
        }
        // A grant for another cloud's Graph is not this cloud's.
        let global_grant = owned(&["https://graph.microsoft.com/User.Read"]);
        let dod = sign_in(Some(Cloud::UsGovDod));
        assert_eq!(
            missing(&global_grant, &dod, Some(Cloud::UsGovDod)),
            ["https://dod-graph.microsoft.us/User.Read"]
        );
        let l4_grant = owned(&["https://graph.microsoft.us/User.Read"]);
        assert_eq!(
            missing(&l4_grant, &dod, Some(Cloud::UsGovDod)),
            ["https://dod-graph.microsoft.us/User.Read"]
        );
    }
}
