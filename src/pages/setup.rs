use leptos::prelude::*;

use crate::route::Route;
use crate::router::Link;

/// `/setup/:integration`: the automated mode.
#[component]
pub fn SetupPage(id: String) -> impl IntoView {
    view! {
        <section class="page setup">
            <p class="crumbs"><Link to=Route::Home>"All integrations"</Link></p>
            <h1>"Automated setup"</h1>
            <p class="integration-id" data-testid="integration-id">{id.clone()}</p>
            <p class="notice">"You are not signed in. Sign in with a Microsoft Entra admin account to continue."</p>
            <Link to=Route::Checklist(id)>"Use the offline checklist instead"</Link>
        </section>
    }
}
