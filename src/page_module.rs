//! What every page module (`src/bin/*.rs`) shares beside its own `mount`: how a page goes
//! into the shell's page host ([`mount_page`]), and the rest of the seam `lazy.rs` declares:
//! `unmount`, `confirmLeave`, the handle of the page on screen, and `main`. The exports are
//! one definition expanded into each module: `#[wasm_bindgen]` exports must be defined in the
//! binary that exports them.

use std::any::Any;
use std::cell::RefCell;
use std::rc::Rc;

use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
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
    // One `mount_to` for both ways: each instance would carry its own copy of the page's
    // view code.
    let parts = host.has_child_nodes().then(Parts::new);
    let page = {
        let parts = parts.clone();
        move || {
            if let Some(parts) = parts {
                provide_context(parts);
            }
            page()
        }
    };
    let Some(parts) = parts else {
        return Rc::new(RefCell::new(Some(leptos::mount::mount_to(host, page))));
    };
    let staging: web_sys::HtmlElement = document()
        .create_element("div")
        .expect("a document creates a div")
        .unchecked_into();
    // What keeps the page mounted; unmounting (leaving the page) drops it, and the building
    // stops.
    let mounted = Rc::new(RefCell::new(None));
    let still_mounted = Rc::downgrade(&mounted);
    // wasm-bindgen's executor, not Leptos's: Leptos sets its own up in `mount_to`, below.
    wasm_bindgen_futures::spawn_local(async move {
        // A task of its own for the page's first part, and for each part after it: the first
        // is not added to the task that instantiated the module.
        TimeoutFuture::new(0).await;
        let Some(mounted) = still_mounted.upgrade() else {
            return;
        };
        *mounted.borrow_mut() = Some(leptos::mount::mount_to(staging.clone(), page));
        drop(mounted);
        loop {
            // Its render effects run before the task ends.
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
    mounted
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
