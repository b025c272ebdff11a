use entra_setup_core::catalog::{self, index, Integration};
use leptos::prelude::*;

use crate::route::Route;
use crate::router::Link;

/// What a link to an id the catalog does not have shows: the ids that do exist.
#[component]
pub fn UnknownIntegration(id: String) -> impl IntoView {
    view! {
        <section class="page unknown-integration">
            <h1>"Unknown integration"</h1>
            <p>"There is no integration called " <code>{id}</code> ". Pick one of these:"</p>
            <ul class="id-list">
                {index::INDEX
                    .iter()
                    .map(|s| view! { <li><Link to=Route::Checklist(s.id.into())>{s.name}" ("{s.vendor}")"</Link></li> })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// The page `page` renders for the integration `id` names, or [`UnknownIntegration`].
pub fn for_integration<V: IntoView + 'static>(
    id: String,
    page: impl FnOnce(&'static Integration) -> V,
) -> AnyView {
    match catalog::by_id(&id) {
        Some(integration) => page(integration).into_any(),
        None => view! { <UnknownIntegration id/> }.into_any(),
    }
}
