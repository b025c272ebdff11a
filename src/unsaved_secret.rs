//! A secret Value exists only in the page that created it: leaving before copying it,
//! downloading a file that holds it, or ticking "I have stored the secret" loses it. This
//! guards every way out: closing, reloading or leaving the tab for another site
//! (`beforeunload`), in-app links and Back/Forward within the app (the shell's router asks
//! [`confirm_leave`] first, and puts the page back on "Stay"), and signing out.
//!
//! The flag lives in the page module, whose pages create secrets; the shell's router asks
//! that module through the typed seam (`lazy.rs`), so one [`confirm_leave`] serves both.

use std::cell::Cell;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

thread_local! {
    static UNSAVED: Cell<bool> = const { Cell::new(false) };
}

/// Whether in-app navigation may go ahead: asks the admin when a secret would be lost. In
/// the shell, where no secret is ever created, the question goes to the page module if one
/// is loaded.
pub fn confirm_leave() -> bool {
    if !UNSAVED.get() {
        return crate::lazy::confirm_leave();
    }
    let leave = window()
        .confirm_with_message("The client secret has not been copied or downloaded, and cannot be shown again. Leave anyway?")
        .unwrap_or(true);
    if leave {
        UNSAVED.set(false);
    }
    leave
}

/// Guards while `saved` is false, for as long as the calling component lives.
pub fn guard(saved: RwSignal<bool>) {
    Effect::new(move |_| UNSAVED.set(!saved.get()));
    let handle = window_event_listener_untyped("beforeunload", move |event| {
        // The flag, not `saved`: a leave the admin already confirmed does not ask twice.
        if UNSAVED.get() {
            event.prevent_default();
            if let Some(event) = event.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                event.set_return_value("unsaved secret");
            }
        }
    });
    on_cleanup(move || {
        handle.remove();
        UNSAVED.set(false);
    });
}
