//! The app's URL space, as a pure mapping between paths and routes.
//!
//! Kept free of browser types so it is tested natively.

/// A page of the app, decoded from the URL path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    /// `/`: choose an integration.
    Home,
    /// `/checklist/:integration`: the offline, step-by-step portal checklist.
    Checklist(String),
    /// `/setup/:integration`: the automated, signed-in run.
    Setup(String),
    /// `/tenant`: the health of every registration in the tenant that serves an integration.
    Tenant,
    /// Anything else; carries the path for the message.
    NotFound(String),
}

impl Route {
    /// Decodes a URL path (no query or fragment).
    pub fn parse(path: &str) -> Route {
        let trimmed = path.trim_end_matches('/');
        let segments: Vec<&str> = trimmed.split('/').skip(1).collect();
        match segments.as_slice() {
            [] | [""] => Route::Home,
            ["checklist", id] if is_slug(id) => Route::Checklist((*id).to_owned()),
            ["setup", id] if is_slug(id) => Route::Setup((*id).to_owned()),
            ["tenant"] => Route::Tenant,
            _ => Route::NotFound(path.to_owned()),
        }
    }

    /// Whether this page signs in (the automated-setup module's pages): a sign-in response
    /// the shell takes out of the URL belongs to it.
    pub fn signs_in(&self) -> bool {
        matches!(self, Route::Setup(_) | Route::Tenant)
    }

    /// The canonical path of this route.
    pub fn path(&self) -> String {
        match self {
            Route::Home => "/".to_owned(),
            Route::Checklist(id) => format!("/checklist/{id}"),
            Route::Setup(id) => format!("/setup/{id}"),
            Route::Tenant => "/tenant".to_owned(),
            Route::NotFound(path) => path.clone(),
        }
    }
}

/// Integration ids are kebab-case; anything else cannot name one, so it is not a route.
fn is_slug(segment: &str) -> bool {
    !segment.is_empty()
        && segment
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_setup_and_tenant_pages_sign_in_and_no_other() {
        assert!(Route::parse("/setup/novus-calendarsync").signs_in());
        assert!(Route::parse("/tenant").signs_in());
        for path in ["/", "/checklist/novus-calendarsync", "/nowhere"] {
            assert!(!Route::parse(path).signs_in(), "{path}");
        }
    }

    #[test]
    fn decodes_the_four_pages() {
        assert_eq!(Route::parse("/"), Route::Home);
        assert_eq!(Route::parse(""), Route::Home);
        assert_eq!(
            Route::parse("/checklist/nango-microsoft-teams"),
            Route::Checklist("nango-microsoft-teams".into())
        );
        assert_eq!(
            Route::parse("/setup/novus-calendarsync/"),
            Route::Setup("novus-calendarsync".into())
        );
        assert_eq!(Route::parse("/tenant/"), Route::Tenant);
    }

    #[test]
    fn rejects_paths_that_cannot_name_an_integration() {
        for path in [
            "/checklist",
            "/checklist/",
            "/setup/A_B",
            "/setup/x/y",
            "/nope",
            "/setup/%2e%2e",
            "/tenant/x",
        ] {
            assert_eq!(Route::parse(path), Route::NotFound(path.into()), "{path}");
        }
    }

    #[test]
    fn paths_round_trip() {
        for route in [
            Route::Home,
            Route::Checklist("kinde-microsoft-365".into()),
            Route::Setup("custom".into()),
            Route::Tenant,
        ] {
            assert_eq!(Route::parse(&route.path()), route);
        }
    }
}
