//! Redundant grants: a permission that a broader one in the same list already covers
//! (`Files.ReadWrite` next to `Files.ReadWrite.All`, `X.Read.All` next to `X.ReadWrite.All`).
//!
//! We only flag them: the vendor asked for its list, and dropping one is the admin's call
//! (`Options::drop_redundant`).

use crate::catalog::PermissionType;

/// A permission covered by a broader one on the same API and of the same type.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Redundancy {
    pub api_app_id: String,
    pub api_name: String,
    pub kind: PermissionType,
    /// The narrower permission, e.g. `Files.ReadWrite`.
    pub redundant: String,
    /// The broader permission that covers it, e.g. `Files.ReadWrite.All`.
    pub covered_by: String,
}

impl Redundancy {
    /// One sentence for the least-privilege note.
    pub fn message(&self) -> String {
        format!(
            "{} ({}, {}) is covered by {}: the vendor lists both; granting only {} gives the same access.",
            self.redundant,
            self.api_name,
            self.kind.as_str(),
            self.covered_by,
            self.covered_by
        )
    }
}

/// Access levels in the order they include each other.
fn access_rank(segment: &str) -> Option<u8> {
    match segment {
        "ReadBasic" => Some(0),
        "Read" => Some(1),
        "ReadUpdate" => Some(2),
        "ReadWrite" => Some(3),
        _ => None,
    }
}

/// Whether `broader` grants everything `narrower` does, judged from the names:
/// `Resource.Access[.Scope]`, where a higher access level covers a lower one on the same
/// scope, and `.All` covers the scope-less (signed-in user's own) form.
pub fn covers(broader: &str, narrower: &str) -> bool {
    // User.Read is the sign-in scope every app needs; User.Read.All does not replace it in
    // the consent prompt, so it is never called redundant.
    if broader == narrower || narrower == "User.Read" {
        return false;
    }
    let b: Vec<&str> = broader.split('.').collect();
    let n: Vec<&str> = narrower.split('.').collect();
    if b.len() < 2 || n.len() < 2 || b[0] != n[0] {
        return false;
    }
    let (Some(rank_b), Some(rank_n)) = (access_rank(b[1]), access_rank(n[1])) else {
        return false;
    };
    let (scope_b, scope_n) = (&b[2..], &n[2..]);
    let wider_scope = scope_n.is_empty() && scope_b == ["All"];
    rank_b >= rank_n && (scope_b == scope_n || wider_scope)
}

/// Narrower permissions that Microsoft names as the least-privileged pair of another, so
/// they are never called redundant next to that partner: assigning an app role needs
/// "AppRoleAssignment.ReadWrite.All and Application.Read.All" (Graph,
/// serviceprincipal-post-approleassignedto and serviceprincipal-post-approleassignments,
/// Permissions table; graph-facts §2.1), whatever broader Application permission is listed.
const DOCUMENTED_PAIRS: [(&str, &str); 1] =
    [("Application.Read.All", "AppRoleAssignment.ReadWrite.All")];

/// Every permission in `items` that another on the same API and of the same type covers,
/// in list order, each reported once against the first permission that covers it.
/// Items are (api app ID, api name, value, type).
pub fn find<'a>(
    items: impl IntoIterator<Item = (&'a str, &'a str, &'a str, PermissionType)>,
) -> Vec<Redundancy> {
    let items: Vec<_> = items.into_iter().collect();
    let mut out = Vec::new();
    for &(app_id, api_name, value, kind) in &items {
        let partner_listed = |partner: &str| {
            items
                .iter()
                .any(|&(other_app, _, other_value, other_kind)| {
                    other_app.eq_ignore_ascii_case(app_id)
                        && other_kind == kind
                        && other_value == partner
                })
        };
        if DOCUMENTED_PAIRS
            .iter()
            .any(|&(narrower, partner)| narrower == value && partner_listed(partner))
        {
            continue;
        }
        let cover = items
            .iter()
            .find(|&&(other_app, _, other_value, other_kind)| {
                other_app.eq_ignore_ascii_case(app_id)
                    && other_kind == kind
                    && covers(other_value, value)
            });
        if let Some(&(_, _, covered_by, _)) = cover {
            out.push(Redundancy {
                api_app_id: app_id.to_owned(),
                api_name: api_name.to_owned(),
                kind,
                redundant: value.to_owned(),
                covered_by: covered_by.to_owned(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documented_pair_is_not_redundant() {
        let g = "00000003-0000-0000-c000-000000000000";
        let d = PermissionType::Delegated;
        let with_pair = [
            (g, "Microsoft Graph", "Application.ReadWrite.All", d),
            (g, "Microsoft Graph", "AppRoleAssignment.ReadWrite.All", d),
            (g, "Microsoft Graph", "Application.Read.All", d),
        ];
        assert_eq!(find(with_pair), []);
        // Without the partner it is covered as usual.
        assert_eq!(find([with_pair[0], with_pair[2]]).len(), 1);
    }

    #[test]
    fn the_issue_examples_are_redundant() {
        assert!(covers("Files.ReadWrite.All", "Files.ReadWrite"));
        assert!(covers("Directory.ReadWrite.All", "Directory.Read.All"));
        assert!(covers("Mail.ReadWrite", "Mail.Read"));
        assert!(covers(
            "Calendars.ReadWrite.Shared",
            "Calendars.Read.Shared"
        ));
        assert!(covers("User.Read.All", "User.ReadBasic.All"));
    }

    #[test]
    fn different_scopes_or_actions_are_not() {
        // Shared calendars are not the user's own calendar, nor the other way round.
        assert!(!covers("Calendars.ReadWrite.Shared", "Calendars.Read"));
        assert!(!covers("Calendars.Read", "Calendars.Read.Shared"));
        // Reading all messages in channels is not implied by writing one's own.
        assert!(!covers(
            "ChannelMessage.ReadWrite",
            "ChannelMessage.Read.All"
        ));
        assert!(!covers("Policy.Read.All", "Policy.Read.ConditionalAccess"));
        assert!(!covers("Files.Read.All", "Files.ReadWrite"));
        assert!(!covers("Sites.Read.All", "Sites.ReadWrite.All"));
        assert!(!covers("User.Read.All", "User.Read"));
        assert!(!covers("Mail.Send", "Mail.Read"));
    }

    #[test]
    fn only_same_api_and_type_count() {
        let graph = "00000003-0000-0000-c000-000000000000";
        let sharepoint = "00000003-0000-0ff1-ce00-000000000000";
        let found = find([
            (
                graph,
                "Microsoft Graph",
                "Sites.Read.All",
                PermissionType::Delegated,
            ),
            (
                sharepoint,
                "SharePoint",
                "Sites.ReadWrite.All",
                PermissionType::Delegated,
            ),
            (
                graph,
                "Microsoft Graph",
                "Mail.Read",
                PermissionType::Delegated,
            ),
            (
                graph,
                "Microsoft Graph",
                "Mail.ReadWrite",
                PermissionType::Application,
            ),
        ]);
        assert!(found.is_empty(), "{found:?}");
        let found = find([
            (
                graph,
                "Microsoft Graph",
                "Sites.Read.All",
                PermissionType::Delegated,
            ),
            (
                graph,
                "Microsoft Graph",
                "Sites.ReadWrite.All",
                PermissionType::Delegated,
            ),
        ]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].redundant, "Sites.Read.All");
        assert_eq!(found[0].covered_by, "Sites.ReadWrite.All");
    }
}
