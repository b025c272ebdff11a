//! The frame around every page: header with the sign-in state, footer with the version.

use entra_setup_core::version::{PRODUCT_NAME, VERSION};
use leptos::prelude::*;

use crate::route::Route;
use crate::router::Link;

/// The event the page module sends when the admin signs in or out: `detail` is who is
/// signed in, as a sentence, or null. Tokens never leave the page module.
pub const SESSION_EVENT: &str = "entra-setup-session";

/// Tells the header who is signed in (`None`: nobody).
pub fn announce_session(who: Option<&str>) {
    let init = web_sys::CustomEventInit::new();
    init.set_detail(&who.map_or(wasm_bindgen::JsValue::NULL, wasm_bindgen::JsValue::from_str));
    if let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(SESSION_EVENT, &init) {
        let _ = window().dispatch_event(&event);
    }
}

#[component]
pub fn Header() -> impl IntoView {
    let (who, set_who) = signal(None::<String>);
    let handle = window_event_listener_untyped(SESSION_EVENT, move |event| {
        let detail = wasm_bindgen::JsCast::dyn_ref::<web_sys::CustomEvent>(&event)
            .and_then(|e| e.detail().as_string());
        set_who.set(detail);
    });
    on_cleanup(move || handle.remove());
    let lost = crate::sign_in_return::lost_sign_in();
    view! {
        <header class="site-header">
            <Link to=Route::Home class="brand">{PRODUCT_NAME}</Link>
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
