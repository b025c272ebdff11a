use leptos::prelude::*;

use crate::route::Route;
use crate::router::Link;

/// `/`: choose an integration.
#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <section class="page home">
            <h1>"Choose an integration"</h1>
            <p class="lede">
                "Register a Microsoft Entra ID app for a SaaS product: follow the offline checklist, "
                "or sign in and let the assistant create and verify it for you."
            </p>
            <ul class="integration-list">
                <li>
                    <span class="name">"Custom"</span>
                    " "
                    <Link to=Route::Checklist("custom".into())>"Checklist"</Link>
                    " "
                    <Link to=Route::Setup("custom".into())>"Automated setup"</Link>
                </li>
            </ul>
        </section>
    }
}
