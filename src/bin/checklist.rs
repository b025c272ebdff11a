//! The checklist module (`entra-setup-checklist`): the `/checklist/:id` pages, loaded by the
//! shell on first use. A module of its own so that a checklist, which needs no sign-in and no
//! network, is usable without the automated mode's weight (`oauth2`, Graph, provisioning):
//! `cargo xtask bench` reports the bytes until a checklist is usable and fails if this module
//! links `oauth2`. This file is the module's side of the seam; its exports have the types
//! `src/lazy.rs` declares, the same as `src/bin/automated.rs`'s.

use entra_setup_assistant::pages::checklist::ChecklistPage;
use entra_setup_assistant::route::Route;
use entra_setup_assistant::{configured_cloud, page_module};
use leptos::prelude::*;
use wasm_bindgen::prelude::*;

/// Renders the checklist for `path` into `host`, replacing any page mounted before. `cloud`:
/// the cloud config.json names, once the automated-setup module has read it (the downloads
/// use its hosts). A checklist never signs in, so the response and the listeners go unused.
#[wasm_bindgen]
pub fn mount(
    host: web_sys::HtmlElement,
    path: &str,
    _sign_in_response: Option<String>,
    cloud: Option<String>,
    _on_session: js_sys::Function,
    _on_cloud: js_sys::Function,
) {
    unmount();
    configured_cloud::learn(cloud.as_deref());
    // The shell mounts only `/checklist/:id` here; anything else renders nothing.
    let route = Route::parse(path);
    // An `Option`, not an erased view: `AnyView` would add its own build and rebuild code
    // for the page's type (a few hundred bytes, measured).
    keep_mounted(page_module::mount_page(host, move || match route {
        Route::Checklist(id) => Some(view! { <ChecklistPage id/> }),
        _ => None,
    }));
}

entra_setup_assistant::page_module_exports!();
