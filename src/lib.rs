//! Entra Setup Assistant, the browser app (Leptos, client-side rendered).
//!
//! Pages and components live here, with thin adapters over browser APIs. Every decision
//! that does not need the browser lives in `entra-setup-core`.

// Natively (the build's prerendering, `prerender.rs`) the checklist page's view type nests
// deeper than rustc's default limit allows when it renders to HTML.
#![recursion_limit = "256"]

pub mod browser;
pub mod components;
pub mod configured_cloud;
pub mod lazy;
pub mod page_module;
pub mod pages;
#[cfg(not(target_arch = "wasm32"))]
pub mod prerender;
pub mod route;
pub mod router;
pub mod saved_inputs;
pub mod shell;
pub mod sign_in_return;
pub mod unsaved_secret;

use leptos::prelude::*;

use crate::lazy::LazyPage;
use crate::route::Route;
use crate::router::use_location_route;

/// The application root: header, the current route's page, footer.
#[component]
pub fn App() -> impl IntoView {
    frame(|route, session| match route {
        Route::Home => view! { <pages::home::HomePage/> }.into_any(),
        page @ (Route::Checklist(_) | Route::Setup(_) | Route::Tenant) => {
            view! { <LazyPage route=page session/> }.into_any()
        }
        Route::NotFound(path) => view! { <pages::not_found::NotFoundPage path=path/> }.into_any(),
    })
}

/// The checklist app's root (`src/bin/checklist_app.rs`): the shell's frame around the
/// checklist pages, which it renders itself ([`lazy::BuiltInPage`]). Every other page belongs
/// to the shell (index.html), which a deep-linked checklist does not load: an admin who goes
/// there from a checklist gets the page from the host, as from a plain link
/// ([`router::render_in_place_only`]; the router asks about any unsaved secret first). The
/// picker, the not-found page and the page modules' loader are then not bytes a checklist
/// needs before it is usable (`cargo xtask bench`).
#[component]
pub fn ChecklistApp() -> impl IntoView {
    router::render_in_place_only(|route| matches!(route, Route::Checklist(_)));
    frame(|route, _| match route {
        page @ Route::Checklist(_) => {
            Some(view! { <lazy::BuiltInPage route=page mount=pages::checklist::mount/> })
        }
        // The router loads every other page from the host (`render_in_place_only`).
        _ => None,
    })
}

/// Header, `<main>` with the page `page` renders for the current route, footer.
fn frame<V: IntoView + 'static>(
    page: impl Fn(Route, shell::SessionLabel) -> V + Send + Sync + 'static,
) -> impl IntoView {
    let route = use_location_route();
    // Props, not context: context would add its machinery to the first load.
    let session = shell::SessionLabel(RwSignal::new(None));
    view! {
        <shell::Header session/>
        <main id="main">{move || page(route.get(), session)}</main>
        <shell::Footer/>
    }
}

/// Mounts `root` (the shell's [`App`], or the checklist app's [`ChecklistApp`]) on `<body>`.
/// Called once from `main`.
pub fn start<V: IntoView + 'static>(root: fn() -> V) {
    console_error_panic_hook::set_once();
    sign_in_return::restore_path();
    if lazy::is_prerendered() {
        // The browser reports the prerendered page's largest paint before the shell takes it
        // over: on a fast load the shell could otherwise replace it first, and the page's
        // largest paint (LCP) would be the page module's, after every wasm download.
        let mount = wasm_bindgen::closure::Closure::once(move || mount(root));
        lazy::after_largest_paint(&mount);
        mount.forget();
    } else {
        mount(root);
    }
}

fn mount<V: IntoView + 'static>(root: fn() -> V) {
    let prerendered = lazy::take_prerendered();
    leptos::mount::mount_to_body(root);
    if let Some(page) = prerendered {
        page.restore();
    }
}
