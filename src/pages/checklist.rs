use leptos::prelude::*;

use crate::route::Route;
use crate::router::Link;

/// `/checklist/:integration`: the offline checklist mode.
#[component]
pub fn ChecklistPage(id: String) -> impl IntoView {
    view! {
        <section class="page checklist">
            <p class="crumbs"><Link to=Route::Home>"All integrations"</Link></p>
            <h1>"Checklist"</h1>
            <p class="integration-id" data-testid="integration-id">{id.clone()}</p>
            <p>"No sign-in needed: follow the steps in the Microsoft Entra admin center."</p>
            <Link to=Route::Setup(id)>"Prefer the automated setup?"</Link>
        </section>
    }
}
