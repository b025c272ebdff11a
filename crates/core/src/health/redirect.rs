//! A registration's redirect URIs against the vendor's pattern.

use serde::Serialize;

use crate::catalog::{Integration, Platform};
use crate::graph_model::Application;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RedirectState {
    /// A redirect URI fits the vendor's pattern.
    Matches,
    /// There are redirect URIs and none fits.
    Differs,
    /// The integration needs one and there is none.
    Missing,
    /// The guide gives no pattern to check against.
    NotChecked,
    /// The integration uses no redirect URI.
    NotUsed,
}

impl std::fmt::Display for RedirectState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RedirectState::Matches => "matches the vendor's pattern",
            RedirectState::Differs => "does not fit the vendor's pattern",
            RedirectState::Missing => "missing",
            RedirectState::NotChecked => "not checked (the guide gives no pattern)",
            RedirectState::NotUsed => "not used",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RedirectHealth {
    pub state: RedirectState,
    pub uris: Vec<String>,
    /// The vendor's pattern, placeholders in angle brackets.
    pub pattern: Option<&'static str>,
}

pub(super) fn assess(app: &Application, integration: &Integration) -> RedirectHealth {
    let rule = &integration.redirect;
    let uris = app.redirect_uris(rule.platform).to_vec();
    let state = match (rule.platform, rule.pattern) {
        (Platform::None, _) => RedirectState::NotUsed,
        (_, None) => RedirectState::NotChecked,
        (_, Some(_)) if uris.is_empty() => RedirectState::Missing,
        (_, Some(pattern)) if uris.iter().any(|u| fits(pattern, u)) => RedirectState::Matches,
        (_, Some(_)) => RedirectState::Differs,
    };
    RedirectHealth {
        state,
        uris,
        pattern: rule.pattern,
    }
}

/// Whether `uri` fits `pattern`: its text literally (Entra compares redirect URIs exactly), each `<placeholder>` standing for one
/// or more characters that are not `/`, `?`, `#` or whitespace (a host name or a path
/// segment), so `https://evil.example/x.kinde.com/connected_apps/callback` does not fit
/// `https://<your Kinde domain>/connected_apps/callback`.
pub(crate) fn fits(pattern: &str, uri: &str) -> bool {
    match pattern.find('<') {
        None => pattern == uri,
        Some(open) => {
            let Some(close) = pattern[open..].find('>').map(|c| open + c) else {
                return pattern == uri;
            };
            let (literal, rest) = (&pattern[..open], &pattern[close + 1..]);
            let Some(tail) = uri.strip_prefix(literal) else {
                return false;
            };
            let stop = tail
                .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
                .unwrap_or(tail.len());
            (1..=stop).any(|n| tail.is_char_boundary(n) && fits(rest, &tail[n..]))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::fits;

    const KINDE: &str = "https://<your Kinde domain>/connected_apps/callback";

    #[test]
    fn a_placeholder_stands_for_one_host_or_segment() {
        assert!(fits(
            KINDE,
            "https://contoso.kinde.com/connected_apps/callback"
        ));
        assert!(fits(
            KINDE,
            "https://auth.contoso.com/connected_apps/callback"
        ));
        assert!(!fits(KINDE, "https://contoso.kinde.com/callback"));
        assert!(!fits(KINDE, "https:///connected_apps/callback"));
        assert!(!fits(
            KINDE,
            "https://evil.example/x.kinde.com/connected_apps/callback"
        ));
        assert!(!fits(
            KINDE,
            "http://contoso.kinde.com/connected_apps/callback"
        ));
        // Entra compares redirect URIs exactly, path case included.
        assert!(!fits(
            KINDE,
            "https://contoso.kinde.com/Connected_Apps/callback"
        ));
    }
}
