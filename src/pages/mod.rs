//! One module per top-level route. `home` and `not_found` are part of the shell's first
//! load; `checklist`, `setup` and `tenant` are rendered by the page module (`src/bin/pages.rs`).

pub mod checklist;
pub mod home;
pub mod not_found;
pub mod setup;
pub mod tenant;

use leptos::prelude::*;

use crate::route::Route;

/// The page module's view of a route.
pub fn page_for(route: Route) -> AnyView {
    match route {
        Route::Checklist(id) => view! { <checklist::ChecklistPage id/> }.into_any(),
        Route::Setup(id) => view! { <setup::SetupPage id/> }.into_any(),
        Route::Tenant => view! { <tenant::TenantPage/> }.into_any(),
        Route::Home | Route::NotFound(_) => ().into_any(),
    }
}

/// Sets the tab's title, so history, bookmarks and printouts name the page.
pub fn set_title(page: &str) {
    if let Some(document) = window().document() {
        document.set_title(&format!("{page} · Entra Setup Assistant"));
    }
}
