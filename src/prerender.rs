//! The build's prerendering (native only; `src/bin/prerender.rs`, run by
//! `hosting/post-build.mjs`): the HTML of every integration's checklist and setup page as it
//! first paints, in the shell's frame, so a deep link paints (and prints) from the HTML alone,
//! before any wasm has arrived (issue 10: LCP on a slow phone). The shell and the page module
//! then take the page over without moving it (`lazy.rs`). The same components render it as in
//! the browser (Leptos's `to_html`), from the same catalog, so the two cannot drift: a page
//! renders here as for an admin with nothing stored and no query (`browser::PRESENT`).

use any_spawner::{CustomExecutor, Executor, PinnedFuture, PinnedLocalFuture};
use entra_setup_core::automation::config::AppConfig;
use entra_setup_core::catalog;
use entra_setup_core::cloud::Cloud;
use leptos::prelude::*;

use crate::configured_cloud::CLOUD_META;
use crate::pages::checklist::ChecklistPage;
use crate::pages::setup::auth::{SessionState, CLIENT_ID_META};
use crate::pages::setup::SetupSignedOutPage;
use crate::route::Route;
use crate::shell::{Footer, Header, SessionLabel};

thread_local! {
    static CLIENT_ID_CONFIGURED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
    static BUILT_CLOUD: std::cell::Cell<Option<Cloud>> = const { std::cell::Cell::new(None) };
}

/// The cloud the index.html pages are rendered into names (`configured_cloud::CLOUD_META`).
pub(crate) fn built_cloud() -> Option<Cloud> {
    BUILT_CLOUD.get()
}

/// The built `index` with the cloud `config` (the built config.json) names, as
/// `<meta name="entra-setup-cloud">`, for the pages to read before any of them has read
/// config.json (`configured_cloud::for_checklist`): a checklist names that cloud's admin
/// center and hosts. Unchanged when config.json names no cloud (a loopback entra-sim, or
/// not valid: the setup page says what is wrong with it) or `index` has the meta already.
pub fn with_cloud(index: &str, config: Option<&str>) -> String {
    let cloud = config
        .and_then(|json| AppConfig::parse(json).ok())
        .and_then(|config| config.cloud);
    match cloud {
        Some(cloud) if meta_content(index, CLOUD_META).is_none() => index.replacen(
            "</head>",
            &format!("<meta name=\"{CLOUD_META}\" content=\"{cloud}\"></head>"),
            1,
        ),
        _ => index.to_owned(),
    }
}

/// The `content` of `<meta name="{name}" content="…">` as the build writes it.
fn meta_content<'a>(index: &'a str, name: &str) -> Option<&'a str> {
    let (_, rest) = index.split_once(&format!("<meta name=\"{name}\" content=\""))?;
    rest.split_once('"').map(|(content, _)| content)
}

/// Whether the index.html pages are rendered into says config.json names a client ID
/// (`pages::setup::auth::client_id_expected`).
pub(crate) fn built_with_client_id() -> bool {
    CLIENT_ID_CONFIGURED.get()
}

/// One page: where it is served, its title and its `<body>` content.
pub struct Page {
    pub route: Route,
    pub title: String,
    pub body: String,
}

/// Nothing runs after the first render, as on a server: effects and tasks (storage, the
/// configuration fetch) are the browser's.
struct FirstRenderOnly;

impl CustomExecutor for FirstRenderOnly {
    fn spawn(&self, _: PinnedFuture<()>) {}
    fn spawn_local(&self, _: PinnedLocalFuture<()>) {}
    fn poll_local(&self) {}
}

/// The routes prerendered: each integration's checklist, and its setup page before sign-in
/// (a deep link is signed out: sign-ins return to the root).
pub fn routes() -> Vec<Route> {
    catalog::ALL
        .iter()
        .flat_map(|i| [Route::Checklist(i.id.into()), Route::Setup(i.id.into())])
        .collect()
}

/// Renders `route`'s page as the shell shows it once its page module has mounted it, for
/// the built `index` (which says whether config.json names a client ID).
pub fn render(index: &str, route: Route) -> Page {
    CLIENT_ID_CONFIGURED.set(meta_content(index, CLIENT_ID_META).is_some());
    BUILT_CLOUD.set(meta_content(index, CLOUD_META).and_then(|name| name.parse().ok()));
    // Already set by an earlier page: the same executor.
    let _ = Executor::init_custom_executor(FirstRenderOnly);
    let owner = Owner::new();
    // A render reads signals once, outside any effect: by design here, so no warning.
    let _quiet = leptos::reactive::diagnostics::SpecialNonReactiveZone::enter();
    let body = owner.with(|| {
        let page = match &route {
            Route::Checklist(id) => view! { <ChecklistPage id=id.clone()/> }.into_any(),
            Route::Setup(id) => {
                // As the sign-in module provides it (`src/bin/signin.rs`).
                provide_context(SessionState::new());
                view! { <SetupSignedOutPage id=id.clone()/> }.into_any()
            }
            _ => ().into_any(),
        };
        let session = SessionLabel(RwSignal::new(None));
        view! {
            <Header session/>
            // `inert` until the page module runs (`lazy.rs`): read, not ticked.
            <main id="main"><div class="lazy-page" inert=true>{page}</div></main>
            <Footer/>
        }
        .to_html()
    });
    let title = crate::pages::take_title().unwrap_or_else(|| "Entra Setup Assistant".into());
    Page { route, title, body }
}

/// `index` (the built index.html) with `page`'s title and body.
pub fn html(index: &str, page: &Page) -> Result<String, String> {
    let (head, rest) = index
        .split_once("<title>")
        .ok_or("index.html has no <title>")?;
    let (_, rest) = rest
        .split_once("</title>")
        .ok_or("index.html's <title> is not closed")?;
    let (before_body, after_body) = rest
        .split_once("<body>")
        .ok_or("index.html has no <body>")?;
    Ok(format!(
        "{head}<title>{}</title>{before_body}<body>{}{after_body}",
        escape(&page.title),
        page.body
    ))
}

/// Text as HTML text (the catalog's names may hold `&` or `<`).
fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &str = "<!doctype html><html><head><title>Entra Setup Assistant</title><script type=module>boot()</script></head><body><noscript>Needs JavaScript.</noscript></body></html>";

    fn with_client_id() -> String {
        INDEX.replace(
            "</head>",
            &format!("<meta name=\"{CLIENT_ID_META}\" content=\"configured\"></head>"),
        )
    }

    #[test]
    fn a_checklist_is_prerendered_with_its_title_and_steps_in_the_shells_frame() {
        let page = render(INDEX, Route::Checklist("kinde-microsoft-365".into()));
        let html = html(INDEX, &page).unwrap();
        assert!(html.starts_with("<!doctype html><html><head><title>Checklist: Microsoft 365 connected app (calendar) (Kinde) · Entra Setup Assistant</title><script type=module>boot()</script></head><body><header class=\"site-header\">"), "{}", &html[..400]);
        assert!(page
            .body
            .contains("<main id=\"main\"><div inert class=\"lazy-page\"><section"));
        assert!(page.body.contains("Calendars.ReadWrite"));
        assert!(page.body.contains("<footer class=\"site-footer\">"));
        assert!(html.ends_with("</footer><noscript>Needs JavaScript.</noscript></body></html>"));
    }

    #[test]
    fn a_setup_page_is_prerendered_with_the_sign_in_card_only_when_the_build_names_a_client_id() {
        let index = with_client_id();
        let page = render(&index, Route::Setup("novus-calendarsync".into()));
        assert!(
            page.title
                .starts_with("Automated setup: CalendarSync (Novus)"),
            "{}",
            page.title
        );
        assert!(
            page.body.contains("<section class=\"card sign-in\">"),
            "{}",
            page.body
        );
        assert!(page.body.contains("Sign in with a work account that administers the tenant where Novus should be registered."));
        assert!(!page.body.contains("class=\"loading\""));

        // Without one, the page may need the one-time client ID form: it waits for config.json.
        let page = render(INDEX, Route::Setup("novus-calendarsync".into()));
        assert!(!page.body.contains("sign-in"), "{}", page.body);
        assert!(page.body.contains("<p class=\"loading\">"));
    }

    /// A national cloud's site: the build writes the cloud its config.json names into
    /// index.html, once, and a checklist rendered from it sends the admin to that cloud's
    /// admin center; a config.json that names no cloud (loopback, or not valid) adds nothing.
    #[test]
    fn a_checklist_is_written_for_the_cloud_the_built_config_names() {
        let usgov = with_cloud(INDEX, Some(r#"{"cloud": "usgov", "client_id": null}"#));
        assert!(
            usgov.contains("<meta name=\"entra-setup-cloud\" content=\"usgov\"></head>"),
            "{usgov}"
        );
        assert_eq!(with_cloud(&usgov, Some(r#"{"cloud": "china"}"#)), usgov);
        let by_urls = with_cloud(
            INDEX,
            Some(
                r#"{"authority": "https://login.microsoftonline.us/organizations/v2.0", "graph_base_url": "https://dod-graph.microsoft.us/v1.0"}"#,
            ),
        );
        assert!(by_urls.contains("content=\"usgovdod\""), "{by_urls}");
        let global = with_cloud(INDEX, Some(include_str!("../public/config.json")));
        assert!(global.contains("content=\"global\""), "{global}");
        for no_cloud in [
            None,
            Some("not json"),
            Some(
                r#"{"authority": "http://127.0.0.1:9/t/v2.0", "graph_base_url": "http://127.0.0.1:9/v1.0"}"#,
            ),
        ] {
            assert_eq!(with_cloud(INDEX, no_cloud), INDEX, "{no_cloud:?}");
        }

        let checklist = Route::Checklist("kinde-microsoft-365".into());
        assert!(render(&usgov, checklist.clone())
            .body
            .contains("https://entra.microsoft.us"));
        let page = render(INDEX, checklist).body;
        assert!(page.contains("https://entra.microsoft.com"));
        assert!(!page.contains("entra.microsoft.us"));
    }

    #[test]
    fn every_integration_has_its_checklist_and_setup_page_and_a_title_is_html_text() {
        assert_eq!(routes().len(), 2 * catalog::ALL.len());
        let page = Page {
            route: Route::Home,
            title: "R&D <tools>".into(),
            body: String::new(),
        };
        assert!(html(INDEX, &page)
            .unwrap()
            .contains("<title>R&amp;D &lt;tools&gt;</title>"));
        assert_eq!(
            html("<html><body></body></html>", &page).unwrap_err(),
            "index.html has no <title>"
        );
    }
}
