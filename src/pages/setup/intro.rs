//! The top of the setup page, the same before and after sign-in: what the integration is,
//! and what the page was opened for (finishing someone's setup, adopting a registration,
//! rotating a secret). The signed-out page (`signed_out.rs`, in the small sign-in module)
//! and the full page (`mod.rs`) both render it, so nothing moves when one replaces the other.

use entra_setup_core::automation::provision::FinishLink;
use entra_setup_core::catalog::Integration;
use leptos::prelude::*;

use super::mode;
use crate::route::Route;
use crate::router::Link;

#[component]
pub(crate) fn SetupIntro(
    integration: &'static Integration,
    /// Finish mode's hand-off link, when the page was opened with one.
    finish: Option<FinishLink>,
    adopt: RwSignal<Option<String>>,
    rotate: bool,
    /// The admin left adopt mode ("Create a new registration instead").
    on_new_instead: Callback<()>,
) -> impl IntoView {
    let id = integration.id;
    view! {
        <p class="crumbs no-print"><Link to=Route::Home>"All integrations"</Link></p>
        <h1>"Automated setup"</h1>
        <p class="subtitle">{format!("{}: {}", integration.vendor, integration.name)}</p>
        <p class="lede">{integration.purpose}</p>
        {finish.map(|f| view! {
            <div class="notice" role="note" data-testid="finish-mode">
                <p><strong>"You were asked to finish this setup."</strong>
                {format!(" An administrator registered {} (client ID {}) and needs someone with a higher role to add what they could not: service principals and admin consent.", integration.name, f.client_id)}</p>
                <p>{match &f.tenant_id {
                    Some(t) => format!("Sign in to tenant {t}, review, and apply. The registration and its secret stay as they are."),
                    None => "Sign in, review, and apply. The registration and its secret stay as they are.".to_owned(),
                }}</p>
            </div>
        })}
        <p class="source">
            "Sign in as an administrator of the tenant, review what will change, and apply it in one step. "
            <Link to=Route::Checklist(id.into())>"Use the offline checklist instead"</Link>
        </p>
        {move || adopt.get().map(|client_id| view! {
            <div class="notice" role="note" data-testid="adopt-mode">
                <p><strong>{format!("Adopting the registration with client ID {client_id}.")}</strong>
                " Review shows what it lacks against the catalog: only that is added, nothing is removed unless you tick it, its name and working secret stay, "
                "and it gets this assistant's unique name and tags so later runs, Verify and rotation find it."</p>
                <button type="button" class="link-button" on:click=move |_| {
                    adopt.set(None);
                    mode::done(id);
                    on_new_instead.run(());
                }>"Create a new registration instead"</button>
            </div>
        })}
        {rotate.then(|| view! {
            <div class="notice" role="note" data-testid="rotate-mode">
                <p><strong>"Rotating the client secret."</strong>
                " The run adds a new secret and keeps the old ones working; once the vendor has the new Value, confirm below the values to remove the old ones."</p>
            </div>
        })}
    }
}
