//! Redirect URIs: the rules a registered URI must follow, how a URI sent at sign-in
//! matches a registered one, and under which platform it is registered (graph-facts §3.4).

use serde_json::Value;

use super::Application;

/// Platforms a redirect URI can be registered under, in the order sign-in matches them.
pub const PLATFORMS: [&str; 3] = ["spa", "web", "publicClient"];

/// Redirect URI rules of graph-facts §3.4. Returns the reason a URI is refused.
pub fn check_redirect_uri(uri: &str, platform: &str, audience: &str) -> Result<(), String> {
    if uri.chars().count() > 256 {
        return Err("a redirect URI is at most 256 characters".into());
    }
    if let Some(c) = uri.chars().find(|c| "!$'(),;".contains(*c)) {
        return Err(format!(
            "the character '{c}' is not allowed in a redirect URI"
        ));
    }
    if uri.contains('*') {
        return Err("wildcard redirect URIs are not allowed".into());
    }
    if uri.contains('#') {
        return Err("a redirect URI cannot contain a fragment".into());
    }
    let parsed = url::Url::parse(uri).map_err(|e| format!("not an absolute URI: {e}"))?;
    if parsed.query().is_some() && audience.contains("Personal") {
        return Err(
            "query parameters are allowed only for work or school account audiences".into(),
        );
    }
    let host = parsed.host_str().unwrap_or("");
    if host == "[::1]" {
        return Err("the IPv6 loopback address is not supported".into());
    }
    match (platform, parsed.scheme()) {
        (_, "https") => Ok(()),
        (_, "http") if is_loopback_host(host) => Ok(()),
        ("web" | "spa", _) => Err("must use https, or http on localhost".into()),
        (_, "http") => Err("must use https, or http on localhost".into()),
        (_, "javascript" | "data" | "file") => Err("scheme not allowed".into()),
        _ => Ok(()),
    }
}

fn is_loopback_host(host: &str) -> bool {
    host.eq_ignore_ascii_case("localhost") || host == "127.0.0.1"
}

/// Does a redirect URI sent at sign-in match a registered one? Exact match, except that
/// the port of a loopback URI is ignored (graph-facts §3.4); the path is case-sensitive.
pub fn redirect_uri_matches(registered: &str, requested: &str) -> bool {
    if registered == requested {
        return true;
    }
    let (Ok(a), Ok(b)) = (url::Url::parse(registered), url::Url::parse(requested)) else {
        return false;
    };
    let loopback = a.host_str().is_some_and(is_loopback_host);
    loopback
        && a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.path() == b.path()
        && a.query() == b.query()
}

impl Application {
    pub fn redirect_uris(&self, platform: &str) -> Vec<String> {
        self.body
            .get(platform)
            .and_then(|p| p.get("redirectUris"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The platform (`spa`, `web`, `publicClient`) under which `requested` is registered.
    /// Exact matches win over loopback port-insensitive ones; among equals, `spa` first.
    pub fn redirect_platform(&self, requested: &str) -> Option<&'static str> {
        PLATFORMS
            .iter()
            .find(|p| self.redirect_uris(p).iter().any(|r| r == requested))
            .or_else(|| {
                PLATFORMS.iter().find(|p| {
                    self.redirect_uris(p)
                        .iter()
                        .any(|r| redirect_uri_matches(r, requested))
                })
            })
            .copied()
    }
}
