//! The frame around every page: header with the sign-in state, footer with the version.

use entra_setup_core::version::{PRODUCT_NAME, VERSION};
use leptos::prelude::*;

use crate::route::Route;
use crate::router::Link;

#[component]
pub fn Header() -> impl IntoView {
    view! {
        <header class="site-header">
            <Link to=Route::Home class="brand">{PRODUCT_NAME}</Link>
            <span class="session-state" data-testid="session-state" title="Sign-in is only needed for automated mode">
                "Not signed in"
            </span>
        </header>
    }
}

#[component]
pub fn Footer() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <span data-testid="version">{format!("{PRODUCT_NAME} v{VERSION}")}</span>
            " · Runs entirely in your browser: secrets never leave this page."
        </footer>
    }
}
