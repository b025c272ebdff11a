//! One module per top-level route. `home` and `not_found` are part of the shell's first
//! load; `checklist` is rendered by the checklist module (`src/bin/checklist.rs`), `setup`
//! and `tenant` by the automated-setup module (`src/bin/automated.rs`).

pub mod checklist;
pub mod home;
pub mod not_found;
pub mod setup;
pub mod tenant;

use leptos::prelude::*;

/// Sets the tab's title, so history, bookmarks and printouts name the page.
pub fn set_title(page: &str) {
    if let Some(document) = window().document() {
        document.set_title(&format!("{page} · Entra Setup Assistant"));
    }
}
