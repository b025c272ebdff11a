//! Back from the sign-in page: Entra redirects to the app's root (the one redirect URI the
//! assistant registers), with the result in the URL fragment. Before anything else loads
//! (routing, the page module, `config.json`, discovery), the shell takes the response
//! (`code`, `state` and the rest: core's [`response::split`]) out of the URL with
//! `history.replaceState`, so the code is in neither the address bar nor history even when
//! something later fails to load. The response is kept in this module's memory and handed
//! to the page module when it mounts its first page (`lazy.rs`, [`hand_over`]; that module
//! keeps it in its own instance of this module until the setup page takes it with
//! [`take_response`]): a reload forgets it, as it forgets tokens.
//!
//! The return entry is then kept at `/` and the page that started the sign-in is pushed
//! after it, so Back from that page stays in the app (and meets the unsaved-secret guard)
//! instead of leaving for the sign-in pages. The pending sign-in itself stays in
//! sessionStorage for the page module to check (state first) and delete. A return this tab
//! did not start (another tab or browser profile started it, or sessionStorage was
//! cleared) cannot be finished: the header says why ([`lost_sign_in`]).

use std::cell::{Cell, RefCell};

use entra_setup_core::automation::auth::response;
use entra_setup_core::automation::auth::{SignInProblem, PENDING_KEY};
use wasm_bindgen::prelude::*;

use crate::route::Route;

thread_local! {
    static LOST: Cell<bool> = const { Cell::new(false) };
    static RESPONSE: RefCell<Option<String>> = const { RefCell::new(None) };
}

#[wasm_bindgen]
extern "C" {
    /// The pending sign-in as stored in sessionStorage (core's `PendingSignIn`), read by the
    /// browser's JSON parser so the shell stays free of serde_json: only the field the shell
    /// needs.
    type StoredPending;
    #[wasm_bindgen(method, getter)]
    fn return_path(this: &StoredPending) -> Option<String>;
}

/// What to tell the admin when this page load was a sign-in return with no sign-in pending
/// in this tab (core's message), once.
pub fn lost_sign_in() -> Option<String> {
    LOST.take()
        .then(|| SignInProblem::PendingMissing.to_string())
}

/// The sign-in response the shell took out of the URL on this page load (`?…` or `#…`),
/// once: it is gone once read.
pub fn take_response() -> Option<String> {
    RESPONSE.take()
}

/// Whether a sign-in response is waiting to be handed to a page module (the shell then loads
/// the automated-setup module, which finishes the sign-in).
pub fn has_response() -> bool {
    RESPONSE.with_borrow(Option::is_some)
}

/// Keeps a response handed over from the shell (the page module's side of [`take_response`]).
pub fn hand_over(response: String) {
    RESPONSE.set(Some(response));
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
        // Nothing pending in this tab: a setup or tenant page reports it itself; anywhere
        // else (the redirect URI is the root) the header does.
        None => Route::parse(&path).signs_in(),
    };
    if hand_on {
        hand_over(split.response.clone());
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
    // Reading a field of `null` would throw: only an object has one.
    pending
        .is_object()
        .then(|| pending.unchecked_into::<StoredPending>().return_path())?
}
