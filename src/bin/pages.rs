//! The page module: the checklist and automated-setup pages, loaded by the shell on first
//! use (see `src/lazy.rs`). It runs its own reactive runtime inside the element the shell
//! gives it, and navigates through the History API like the shell does.

use std::any::Any;
use std::cell::RefCell;

use entra_setup_assistant::pages::page_for;
use entra_setup_assistant::route::Route;
use wasm_bindgen::prelude::*;

thread_local! {
    static MOUNTED: RefCell<Option<Box<dyn Any>>> = const { RefCell::new(None) };
}

/// Renders the page for `path` into `element`, replacing any page mounted before.
#[wasm_bindgen]
pub fn mount(element: web_sys::HtmlElement, path: &str) {
    unmount();
    let route = Route::parse(path);
    let handle = leptos::mount::mount_to(element, move || page_for(route));
    MOUNTED.set(Some(Box::new(handle)));
}

/// Removes the mounted page, running its cleanups.
#[wasm_bindgen]
pub fn unmount() {
    drop(MOUNTED.take());
}

fn main() {
    console_error_panic_hook::set_once();
}
