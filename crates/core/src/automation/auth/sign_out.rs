//! Signing out of Microsoft too, not only of this page: on a shared machine, the next
//! person must not find the admin's Entra session waiting (OpenID Connect RP-Initiated
//! Logout; Microsoft identity platform, "Send a sign-out request":
//! `GET {end_session_endpoint}?post_logout_redirect_uri=…`).

use oauth2::url::Url;

use crate::automation::config::secure_or_loopback;

/// The URL that ends the Microsoft session and comes back to `post_logout_redirect_uri`
/// (the site's root: a registered redirect URI of the assistant, which Entra requires).
/// `end_session_endpoint` is the discovery document's; it must be https (http only on
/// loopback) and on the same origin as `authorization_endpoint`, so a tampered document
/// cannot send the admin somewhere else on sign-out.
pub fn logout_url(
    end_session_endpoint: &str,
    authorization_endpoint: &str,
    post_logout_redirect_uri: &str,
) -> Result<String, String> {
    let mut url = Url::parse(end_session_endpoint)
        .map_err(|e| format!("end_session_endpoint is not a URL: {e}"))?;
    if !secure_or_loopback(&url) {
        return Err(format!(
            "end_session_endpoint must use https: {end_session_endpoint}"
        ));
    }
    let authorize = Url::parse(authorization_endpoint)
        .map_err(|e| format!("authorization_endpoint is not a URL: {e}"))?;
    if url.origin() != authorize.origin() {
        return Err(format!(
            "end_session_endpoint {end_session_endpoint} is not on the sign-in service's origin"
        ));
    }
    let back = Url::parse(post_logout_redirect_uri)
        .map_err(|e| format!("post_logout_redirect_uri is not a URL: {e}"))?;
    if !matches!(back.scheme(), "https" | "http") {
        return Err(format!(
            "post_logout_redirect_uri must be a web address: {post_logout_redirect_uri}"
        ));
    }
    url.set_fragment(None);
    url.query_pairs_mut()
        .append_pair("post_logout_redirect_uri", back.as_str());
    Ok(url.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    const AUTHORIZE: &str = "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize";

    #[test]
    fn comes_back_to_the_site_root() {
        let url = logout_url(
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/logout",
            AUTHORIZE,
            "https://setup.example.com/",
        )
        .unwrap();
        assert_eq!(url, "https://login.microsoftonline.com/organizations/oauth2/v2.0/logout?post_logout_redirect_uri=https%3A%2F%2Fsetup.example.com%2F");
    }

    #[test]
    fn keeps_a_query_the_provider_put_there() {
        let url = logout_url(
            "https://login.microsoftonline.com/t/oauth2/v2.0/logout?p=b2c_1_signin#x",
            AUTHORIZE,
            "https://setup.example.com/",
        )
        .unwrap();
        assert!(
            url.contains("?p=b2c_1_signin&post_logout_redirect_uri="),
            "{url}"
        );
        assert!(!url.contains('#'));
    }

    #[test]
    fn a_local_simulator_works_over_http() {
        let url = logout_url(
            "http://127.0.0.1:4000/organizations/oauth2/v2.0/logout",
            "http://127.0.0.1:4000/organizations/oauth2/v2.0/authorize",
            "http://127.0.0.1:8080/",
        )
        .unwrap();
        assert!(url.starts_with("http://127.0.0.1:4000/organizations/oauth2/v2.0/logout?post_logout_redirect_uri=http%3A%2F%2F127.0.0.1%3A8080%2F"));
    }

    #[test]
    fn refuses_elsewhere_plain_http_and_non_web_returns() {
        for (end, back) in [
            ("https://evil.example/logout", "https://setup.example.com/"),
            (
                "http://login.microsoftonline.com/o/oauth2/v2.0/logout",
                "https://setup.example.com/",
            ),
            ("not a url", "https://setup.example.com/"),
            (
                "https://login.microsoftonline.com/o/oauth2/v2.0/logout",
                "javascript:alert(1)",
            ),
        ] {
            assert!(logout_url(end, AUTHORIZE, back).is_err(), "{end} {back}");
        }
    }
}
