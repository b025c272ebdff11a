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
    let route = use_location_route();
    // Props, not context: context would add its machinery to the first load.
    let session = shell::SessionLabel(RwSignal::new(None));
    view! {
        <shell::Header session/>
        <main id="main">
            {move || match route.get() {
                Route::Home => view! { <pages::home::HomePage/> }.into_any(),
                page @ (Route::Checklist(_) | Route::Setup(_) | Route::Tenant) => view! { <LazyPage route=page session/> }.into_any(),
                Route::NotFound(path) => view! { <pages::not_found::NotFoundPage path=path/> }.into_any(),
            }}
        </main>
        <shell::Footer/>
    }
}

/// Mounts the app on `<body>`. Called once from `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    sign_in_return::restore_path();
    if lazy::is_prerendered() {
        // The browser reports the prerendered page's largest paint before the shell takes it
        // over: on a fast load the shell could otherwise replace it first, and the page's
        // largest paint (LCP) would be the page module's, after every wasm download.
        let mount = wasm_bindgen::closure::Closure::once(mount);
        lazy::after_largest_paint(&mount);
        mount.forget();
    } else {
        mount();
    }
}

fn mount() {
    let prerendered = lazy::take_prerendered();
    leptos::mount::mount_to_body(App);
    if let Some(page) = prerendered {
        page.restore();
    }
}
