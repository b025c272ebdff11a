//! What every page module (`src/bin/*.rs`) shares beside its own `mount`: how a page goes
//! into the shell's page host ([`mount_page`]), and the rest of the seam `lazy.rs` declares:
//! `unmount`, `confirmLeave`, the handle of the page on screen, and `main`. The exports are
//! one definition expanded into each module: `#[wasm_bindgen]` exports must be defined in the
//! binary that exports them.

use std::any::Any;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use crate::components::later::Parts;

/// Mounts a module's page in the shell's page host `host`, replacing what the host shows, and
/// returns what keeps it mounted (for `keep_mounted`).
///
/// A host that shows the build's prerendered page (`crate::prerender`, `inert` until now)
/// keeps showing it while the module's page is built out of the document, in parts
/// ([`Parts`]: one task each, so input is never blocked for long); then, in one task, the page
/// replaces it and is live. An empty host gets the page in one task: nothing stands in for it
/// meanwhile, so that is the quickest way to a page.
pub fn mount_page<V>(host: web_sys::HtmlElement, page: impl FnOnce() -> V + 'static) -> impl Any
where
    V: IntoView + 'static,
{
    if !host.has_child_nodes() {
        return (leptos::mount::mount_to(host, page), None);
    }
    let parts = Parts::new();
    let staging: web_sys::HtmlElement = document()
        .create_element("div")
        .expect("a document creates a div")
        .unchecked_into();
    let handle = leptos::mount::mount_to(staging.clone(), {
        let parts = parts.clone();
        move || {
            provide_context(parts);
            page()
        }
    });
    // Unmounting (leaving the page) drops `alive`, and the building stops.
    let alive = Rc::new(());
    let still_mounted = Rc::downgrade(&alive);
    spawn_local(async move {
        loop {
            // A task of its own for each part; its render effects run before the task ends.
            TimeoutFuture::new(0).await;
            if still_mounted.upgrade().is_none() {
                return;
            }
            match parts.next() {
                Some(part) => parts.build(part),
                None => break,
            }
        }
        host.set_inner_html("");
        let _ = host.remove_attribute("inert");
        while let Some(node) = staging.first_child() {
            let _ = host.append_child(&node);
        }
    });
    (handle, Some(alive))
}

/// Expands to `unmount` and `confirmLeave` (exported), `keep_mounted(handle)` for the
/// module's `mount`, and `main`.
#[macro_export]
macro_rules! page_module_exports {
    () => {
        ::std::thread_local! {
            static MOUNTED: ::std::cell::RefCell<Option<Box<dyn ::std::any::Any>>> =
                const { ::std::cell::RefCell::new(None) };
        }

        /// Keeps the page `mount` rendered until `unmount` (dropping the handle unmounts it).
        fn keep_mounted(handle: impl ::std::any::Any) {
            MOUNTED.set(Some(Box::new(handle)));
        }

        /// Removes the mounted page, running its cleanups.
        #[::wasm_bindgen::prelude::wasm_bindgen]
        pub fn unmount() {
            drop(MOUNTED.take());
        }

        /// Whether in-app navigation may leave the mounted page: asks when a secret would be
        /// lost (only the automated setup holds one).
        #[::wasm_bindgen::prelude::wasm_bindgen(js_name = confirmLeave)]
        pub fn confirm_leave() -> bool {
            $crate::unsaved_secret::confirm_leave()
        }

        fn main() {
            ::console_error_panic_hook::set_once();
        }
    };
}
