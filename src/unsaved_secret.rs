//! A secret Value exists only in the page that created it: leaving before copying it,
//! downloading a file that holds it, or ticking "I have stored the secret" loses it. This
//! guards every way out: closing, reloading or leaving the tab for another site
//! (`beforeunload`), in-app links and Back/Forward within the app (the shell's router asks
//! [`confirm_leave`] first, and puts the page back on "Stay"), and signing out.
//!
//! The flag lives on `window` because the shell and the page module are separate wasm
//! modules that share only the page.

use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};

const FLAG: &str = "__entraUnsavedSecret";

fn set(unsaved: bool) {
    let _ = js_sys::Reflect::set(
        &window(),
        &JsValue::from_str(FLAG),
        &JsValue::from_bool(unsaved),
    );
}

fn is_set() -> bool {
    js_sys::Reflect::get(&window(), &JsValue::from_str(FLAG)).is_ok_and(|v| v.is_truthy())
}

/// Whether in-app navigation may go ahead: asks the admin when a secret would be lost.
pub fn confirm_leave() -> bool {
    if !is_set() {
        return true;
    }
    let leave = window()
        .confirm_with_message("The client secret has not been copied or downloaded, and cannot be shown again. Leave anyway?")
        .unwrap_or(true);
    if leave {
        set(false);
    }
    leave
}

/// Guards while `saved` is false, for as long as the calling component lives.
pub fn guard(saved: RwSignal<bool>) {
    Effect::new(move |_| set(!saved.get()));
    let handle = window_event_listener_untyped("beforeunload", move |event| {
        // The flag, not `saved`: a leave the admin already confirmed does not ask twice.
        if is_set() {
            event.prevent_default();
            if let Some(event) = event.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                event.set_return_value("unsaved secret");
            }
        }
    });
    on_cleanup(move || {
        handle.remove();
        set(false);
    });
}
