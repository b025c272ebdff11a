//! The frame around every page: header with the sign-in state, footer with the version.

use entra_setup_core::version::{PRODUCT_NAME, VERSION};
use leptos::prelude::*;

use crate::route::Route;
use crate::router::Link;

/// Who is signed in, as a sentence (`None`: nobody), for the header. The page module, which
/// holds the session, tells the shell through the callback it gets at mount (`lazy.rs`);
/// tokens never leave the page module. One per app, given to the header and to each page
/// host.
#[derive(Clone, Copy)]
pub struct SessionLabel(pub RwSignal<Option<String>>);

#[component]
pub fn Header(session: SessionLabel) -> impl IntoView {
    let SessionLabel(who) = session;
    let lost = crate::sign_in_return::lost_sign_in();
    view! {
        <header class="site-header">
            <Link to=Route::Home class="brand">{PRODUCT_NAME}</Link>
            // Where an admin comes back after day one: what is registered, and what broke.
            <nav class="site-nav" aria-label="Site">
                <Link to=Route::Tenant class="nav-link">"Tenant health"</Link>
            </nav>
            <span class="session-state" class:signed-in=move || who.with(Option::is_some) data-testid="session-state" title="Sign-in is only needed for automated mode">
                {move || who.get().unwrap_or_else(|| "Not signed in".to_owned())}
            </span>
        </header>
        {lost.map(|m| view! { <p class="error" role="alert" data-testid="sign-in-lost">{m}</p> })}
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
