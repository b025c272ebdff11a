//! Back from the sign-in page: Entra redirects to the app's root (the one redirect URI the
//! assistant registers), with the result in the URL fragment. Before anything else loads
//! (routing, the page module, `config.json`, discovery), the shell takes the response
//! (`code`, `state` and the rest: core's [`response::split`]) out of the URL with
//! `history.replaceState`, so the code is in neither the address bar nor history even when
//! something later fails to load. The response is handed to the page module in memory only
//! (a property of `window`, the one thing both wasm modules share; see [`take_response`]):
//! a reload forgets it, as it forgets tokens.
//!
//! The return entry is then kept at `/` and the page that started the sign-in is pushed
//! after it, so Back from that page stays in the app (and meets the unsaved-secret guard)
//! instead of leaving for the sign-in pages. The pending sign-in itself stays in
//! sessionStorage for the page module to check (state first) and delete. A return this tab
//! did not start (another tab or browser profile started it, or sessionStorage was
//! cleared) cannot be finished: the header says why ([`lost_sign_in`]).

use std::cell::Cell;

use entra_setup_core::automation::auth::response;
use entra_setup_core::automation::auth::{SignInProblem, PENDING_KEY};
use wasm_bindgen::JsValue;

use crate::route::Route;

thread_local! {
    static LOST: Cell<bool> = const { Cell::new(false) };
}

/// Where the shell leaves a sign-in response for the page module.
const RESPONSE_KEY: &str = "__entraSignInResponse";

/// What to tell the admin when this page load was a sign-in return with no sign-in pending
/// in this tab (core's message), once.
pub fn lost_sign_in() -> Option<String> {
    LOST.take()
        .then(|| SignInProblem::PendingMissing.to_string())
}

/// The sign-in response the shell took out of the URL on this page load (`?…` or `#…`),
/// once: it is deleted as it is read.
pub fn take_response() -> Option<String> {
    let window = web_sys::window()?;
    let key = JsValue::from_str(RESPONSE_KEY);
    let value = js_sys::Reflect::get(&window, &key).ok()?.as_string();
    let _ = js_sys::Reflect::delete_property(&window, &key);
    value
}

/// Takes a sign-in response out of the URL and moves to the page that started the sign-in.
/// Called once, before the app mounts.
pub fn restore_path() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let location = window.location();
    let (hash, search) = (
        location.hash().unwrap_or_default(),
        location.search().unwrap_or_default(),
    );
    let Some(split) = response::split(&search, &hash) else {
        return;
    };
    let Ok(history) = window.history() else {
        return;
    };
    let path = location.pathname().unwrap_or_else(|_| "/".to_owned());
    let clean = |path: &str| format!("{path}{}{}", split.search, split.hash);
    // First of all: the code leaves the address bar and this history entry.
    let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&clean(&path)));

    let return_path = pending_return_path(&window)
        // Only a page of this app: the stored value is ours, but never trust it as a URL.
        .filter(|p| !matches!(Route::parse(p), Route::NotFound(_)));
    let hand_on = match &return_path {
        Some(_) => true,
        // Nothing pending in this tab: a setup page reports it itself; anywhere else (the
        // redirect URI is the root) the header does.
        None => matches!(Route::parse(&path), Route::Setup(_)),
    };
    if hand_on {
        let _ = js_sys::Reflect::set(
            &window,
            &JsValue::from_str(RESPONSE_KEY),
            &JsValue::from_str(&split.response),
        );
    } else {
        LOST.set(true);
    }
    if let Some(return_path) = return_path.filter(|p| *p != path) {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&clean(&return_path)));
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
