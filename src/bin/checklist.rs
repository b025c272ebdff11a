//! The checklist module (`entra-setup-checklist`): the `/checklist/:id` pages, loaded by the
//! shell when an admin goes to a checklist from another page. A module of its own so that a
//! checklist, which needs no sign-in and no network, is usable without the automated mode's
//! weight (`oauth2`, Graph, provisioning): `cargo xtask bench` fails if it links `oauth2`. A
//! deep link to a checklist loads the checklist app instead (`src/bin/checklist_app.rs`: the
//! shell with these pages built in). This file is the module's side of the seam; its exports
//! have the types `src/lazy.rs` declares, the same as `src/bin/automated.rs`'s.

use entra_setup_assistant::pages::checklist;
use entra_setup_assistant::route::Route;
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
    keep_mounted(checklist::mount(host, Route::parse(path), cloud.as_deref()));
}

entra_setup_assistant::page_module_exports!();
