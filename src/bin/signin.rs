//! The sign-in module (`entra-setup-signin`): `/setup/:id` before sign-in, loaded by the
//! shell instead of the automated-setup module when nobody is signed in and no sign-in
//! response is waiting (`src/lazy.rs`). The page it renders is the setup page's top and
//! sign-in card (`pages::setup::SetupSignedOutPage`); signing in leaves for Microsoft's
//! pages, and the page that comes back is the automated-setup module's, so this module never
//! holds a session and links no provisioning. Its exports have the types `src/lazy.rs`
//! declares, the same as the other page modules'.

use std::rc::Rc;

use entra_setup_assistant::pages::setup::auth::SessionState;
use entra_setup_assistant::pages::setup::SetupSignedOutPage;
use entra_setup_assistant::route::Route;
use entra_setup_assistant::{configured_cloud, page_module};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// Renders the signed-out setup page for `path` into `host`, replacing any page mounted
/// before. The shell hands a sign-in response only to the automated-setup module, and
/// nobody signs in here, so `on_session` goes unused; `on_cloud` is told the cloud once
/// config.json has been read.
#[wasm_bindgen]
pub fn mount(
    host: web_sys::HtmlElement,
    path: &str,
    _sign_in_response: Option<String>,
    _cloud: Option<String>,
    _on_session: js_sys::Function,
    on_cloud: js_sys::Function,
) {
    unmount();
    configured_cloud::tell_shell(Rc::new(move |cloud| {
        let _ = on_cloud.call1(&JsValue::NULL, &JsValue::from_str(cloud.name()));
    }));
    // The shell mounts only a signed-out `/setup/:id` here; anything else renders nothing.
    let route = Route::parse(path);
    keep_mounted(page_module::mount_page(host, move || {
        // The sign-in card reads the (empty) session: one, as the automated module has.
        provide_context(SessionState::new());
        // An `Option`, not an erased view (`src/bin/checklist.rs`).
        match route {
            Route::Setup(id) => Some(view! { <SetupSignedOutPage id/> }),
            _ => None,
        }
    }));
}

entra_setup_assistant::page_module_exports!();
