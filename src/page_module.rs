//! What every page module (`src/bin/*.rs`) exports beside its own `mount`, the rest of the
//! seam `lazy.rs` declares: `unmount`, `confirmLeave`, the handle of the page on screen, and
//! `main`. One definition, expanded into each module: `#[wasm_bindgen]` exports must be
//! defined in the binary that exports them.

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
