//! One module per top-level route. `home` and `not_found` are part of the shell's first
//! load; `checklist` is rendered by the checklist module (`src/bin/checklist.rs`), `setup`
//! and `tenant` by the automated-setup module (`src/bin/automated.rs`).

pub mod checklist;
pub mod home;
pub mod not_found;
pub mod setup;
pub mod tenant;

/// Sets the tab's title, so history, bookmarks and printouts name the page.
pub fn set_title(page: &str) {
    let title = format!("{page} · Entra Setup Assistant");
    #[cfg(not(target_arch = "wasm32"))]
    TITLE.set(Some(title));
    #[cfg(target_arch = "wasm32")]
    if let Some(document) = leptos::prelude::window().document() {
        document.set_title(&title);
    }
}

// Natively, the title a page set, for the prerendered HTML (`crate::prerender`).
#[cfg(not(target_arch = "wasm32"))]
thread_local! {
    static TITLE: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// The title the page rendered last set, once.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) fn take_title() -> Option<String> {
    TITLE.take()
}
