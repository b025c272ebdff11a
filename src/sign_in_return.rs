//! Back from the sign-in page: Entra redirects to the app's root (the one redirect URI the
//! assistant registers), with the result in the URL fragment. Before routing, the shell
//! moves that URL to the page that started the sign-in, so the page module finds the
//! result where it expects it. The pending sign-in itself stays in sessionStorage for the
//! page module to check (state first) and delete. A return this tab did not start (another
//! tab or browser profile started it, or sessionStorage was cleared) cannot be finished: its
//! code is dropped from the address bar and the header says why ([`lost_sign_in`]).

use std::cell::Cell;

use entra_setup_core::automation::auth::{SignInProblem, PENDING_KEY};
use wasm_bindgen::JsValue;

thread_local! {
    static LOST: Cell<bool> = const { Cell::new(false) };
}

/// What to tell the admin when this page load was a sign-in return with no sign-in pending
/// in this tab (core's message), once.
pub fn lost_sign_in() -> Option<String> {
    LOST.take()
        .then(|| SignInProblem::PendingMissing.to_string())
}

use crate::route::Route;

/// Restores the path a sign-in started from, when this page load is its return.
pub fn restore_path() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (hash, search) = (
        location.hash().unwrap_or_default(),
        location.search().unwrap_or_default(),
    );
    if !hash.contains("state=") && !search.contains("state=") {
        return;
    }
    let Some(return_path) = pending_return_path(&window) else {
        // At the redirect URI (the root) nothing else will read it; elsewhere the page
        // module reports it.
        if location.pathname().as_deref() == Ok("/") {
            if let Ok(history) = window.history() {
                let _ = history.replace_state_with_url(&JsValue::NULL, "", Some("/"));
            }
            LOST.set(true);
        }
        return;
    };
    // Only a page of this app: the stored value is ours, but never trust it as a URL.
    if matches!(Route::parse(&return_path), Route::NotFound(_)) {
        return;
    }
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &JsValue::NULL,
            "",
            Some(&format!("{return_path}{search}{hash}")),
        );
    }
}

fn pending_return_path(window: &web_sys::Window) -> Option<String> {
    let stored = window
        .session_storage()
        .ok()??
        .get_item(PENDING_KEY)
        .ok()??;
    // The browser's JSON parser: the shell stays free of serde_json.
    let pending = js_sys::JSON::parse(&stored).ok()?;
    js_sys::Reflect::get(&pending, &JsValue::from_str("return_path"))
        .ok()?
        .as_string()
}
