//! Incremental consent: ask for the least at sign-in, more only when a run needs it.

use crate::catalog::PermissionType;
use crate::plan::Plan;

const GRAPH_PREFIX: &str = "https://graph.microsoft.com/";
/// OpenID Connect scopes: not Graph permissions, and not always echoed in `scope`.
const OIDC: [&str; 4] = ["openid", "profile", "offline_access", "email"];

/// Whether `scope` is an OpenID Connect scope rather than a resource's permission.
pub(crate) fn is_oidc(scope: &str) -> bool {
    OIDC.contains(&scope)
}

/// What the sign-in asks for: enough to read the admin's profile and stay signed in.
pub fn sign_in() -> Vec<String> {
    ["openid", "profile", "offline_access", "User.Read"]
        .map(str::to_owned)
        .to_vec()
}

/// What a provisioning run needs for this plan, on top of [`sign_in`].
///
/// `RoleManagement.Read.Directory` is there because `/me/memberOf` with only `User.Read`
/// may omit `roleTemplateId` (graph-facts §2.1), and without it we cannot say up front what
/// the admin can do.
pub fn for_run(plan: &Plan) -> Vec<String> {
    let mut out = sign_in();
    out.push("Application.ReadWrite.All".into());
    out.push("RoleManagement.Read.Directory".into());
    let has = |kind| plan.permissions.iter().any(|p| p.kind == kind);
    if has(PermissionType::Delegated) {
        out.push("DelegatedPermissionGrant.ReadWrite.All".into());
    }
    if has(PermissionType::Application) {
        // Assigning app roles needs both (graph-facts §2.1).
        out.push("AppRoleAssignment.ReadWrite.All".into());
        out.push("Application.Read.All".into());
    }
    out
}

/// The Graph scopes of `wanted` that `granted` (a token response's `scope`) lacks;
/// OIDC scopes are ignored, names compare case-insensitively with or without the Graph
/// resource prefix.
pub fn missing(granted: &[String], wanted: &[String]) -> Vec<String> {
    let norm = |s: &str| {
        s.strip_prefix(GRAPH_PREFIX)
            .unwrap_or(s)
            .to_ascii_lowercase()
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
        for_run(&Plan::new(catalog::by_id(id).unwrap(), &Options::default()))
    }

    #[test]
    fn asks_only_for_what_the_integration_needs() {
        let teams = run("nango-microsoft-teams"); // delegated only
        assert!(teams.contains(&"DelegatedPermissionGrant.ReadWrite.All".to_owned()));
        assert!(!teams.contains(&"AppRoleAssignment.ReadWrite.All".to_owned()));

        let novus = run("novus-calendarsync"); // application permissions
        assert!(novus.contains(&"AppRoleAssignment.ReadWrite.All".to_owned()));
        assert!(novus.contains(&"Application.Read.All".to_owned()));

        for scopes in [&teams, &novus] {
            assert!(scopes.contains(&"Application.ReadWrite.All".to_owned()));
            for s in sign_in() {
                assert!(scopes.contains(&s));
            }
        }
        assert!(!sign_in().iter().any(|s| s.contains(".All")));
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
            missing(&granted, &wanted),
            ["AppRoleAssignment.ReadWrite.All"]
        );
    }
}
