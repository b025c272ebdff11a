//! The automated-setup module (`entra-setup-automated`): the `/setup/:id` and `/tenant`
//! pages, loaded by the shell on first use. This file is the module's side of the seam (the shell's is
//! `src/lazy.rs`, which declares these exports with the same types; `src/bin/checklist.rs`
//! exports the same for the checklist pages). The module runs its own reactive runtime
//! inside the element the shell gives it, and navigates through the History API like the
//! shell does.

use std::rc::Rc;

use entra_setup_assistant::pages::setup::auth::SessionState;
use entra_setup_assistant::pages::setup::SetupPage;
use entra_setup_assistant::pages::tenant::TenantPage;
use entra_setup_assistant::route::Route;
use entra_setup_assistant::{configured_cloud, page_module, sign_in_return};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The session outlives the pages: made once, under an owner that is never disposed.
    static SESSION: (Owner, SessionState) = {
        let owner = Owner::new();
        let session = owner.with(SessionState::new);
        (owner, session)
    };
}

/// Renders the page for `path` into `host`, replacing any page mounted before.
/// `sign_in_response`: the response the shell took out of the URL (kept until the setup
/// page takes it); `on_session` is told who is signed in, as a sentence, or `null`;
/// `on_cloud` the cloud's name once config.json has been read. `cloud`: what the shell
/// knows of it (this module reads config.json itself).
#[wasm_bindgen]
pub fn mount(
    host: web_sys::HtmlElement,
    path: &str,
    sign_in_response: Option<String>,
    _cloud: Option<String>,
    on_session: js_sys::Function,
    on_cloud: js_sys::Function,
) {
    unmount();
    if let Some(response) = sign_in_response {
        sign_in_return::hand_over(response);
    }
    configured_cloud::tell_shell(Rc::new(move |cloud| {
        let _ = on_cloud.call1(&JsValue::NULL, &JsValue::from_str(cloud.name()));
    }));
    let session = SESSION.with(|(_, session)| *session);
    session.announce_to(Rc::new(move |who: Option<&str>| {
        let _ = on_session.call1(
            &JsValue::NULL,
            &who.map_or(JsValue::NULL, JsValue::from_str),
        );
    }));
    // The shell mounts only `/setup/:id` and `/tenant` here; anything else renders nothing.
    let route = Route::parse(path);
    keep_mounted(page_module::mount_page(host, move || {
        provide_context(session);
        match route {
            Route::Setup(id) => view! { <SetupPage id/> }.into_any(),
            Route::Tenant => view! { <TenantPage/> }.into_any(),
            _ => ().into_any(),
        }
    }));
}

entra_setup_assistant::page_module_exports!();
