use leptos::prelude::*;

use crate::route::Route;
use crate::router::Link;

#[component]
pub fn NotFoundPage(path: String) -> impl IntoView {
    view! {
        <section class="page not-found">
            <h1>"Page not found"</h1>
            <p>"Nothing lives at " <code>{path}</code> "."</p>
            <Link to=Route::Home>"Choose an integration"</Link>
        </section>
    }
}
