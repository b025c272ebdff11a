//! Entra Setup Assistant, the browser app (Leptos, client-side rendered).
//!
//! Pages and components live here, with thin adapters over browser APIs. Every decision
//! that does not need the browser lives in `entra-setup-core`.

pub mod pages;
pub mod route;
pub mod router;
pub mod shell;

use leptos::prelude::*;

use crate::route::Route;
use crate::router::{provide_router, use_route};

/// The application root: header, the current route's page, footer.
#[component]
pub fn App() -> impl IntoView {
    provide_router();
    let route = use_route();
    view! {
        <shell::Header/>
        <main id="main">
            {move || match route.get() {
                Route::Home => view! { <pages::home::HomePage/> }.into_any(),
                Route::Checklist(id) => view! { <pages::checklist::ChecklistPage id=id/> }.into_any(),
                Route::Setup(id) => view! { <pages::setup::SetupPage id=id/> }.into_any(),
                Route::NotFound(path) => view! { <pages::not_found::NotFoundPage path=path/> }.into_any(),
            }}
        </main>
        <shell::Footer/>
    }
}

/// Mounts the app on `<body>`. Called once from `main`.
pub fn start() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
