//! Adopt mode without the tenant health page: the admin names a registration made by hand or
//! by an older script by its client ID (the health page lists only those that look like an
//! integration). The review then shows what it lacks; applying adds only that.

use entra_setup_core::automation::provision::Arrival;
use leptos::prelude::*;

use super::Work;

#[component]
pub fn AdoptForm(
    integration_id: &'static str,
    adopt: RwSignal<Option<String>>,
    work: RwSignal<Work>,
) -> impl IntoView {
    let (value, set_value) = signal(String::new());
    let (problem, set_problem) = signal(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match Arrival::adopting_typed(&value.get_untracked()) {
            Ok(arrival) => {
                set_problem.set(None);
                super::mode::keep(integration_id, &arrival);
                adopt.set(arrival.adopt);
                // A plan reviewed before is not the adoption's: review again.
                work.set(Work::Idle);
            }
            Err(why) => set_problem.set(Some(why.to_string())),
        }
    };
    view! {
        <details class="card adopt" data-testid="adopt-form">
            <summary>"Take over a registration made elsewhere (in the portal, or by an older script)"</summary>
            <p>
                "Instead of creating a registration, adopt the existing one: review shows what it lacks, only that is added, "
                "nothing is removed unless you tick it (permissions beyond the integration are listed), and it gets this assistant's unique name and tags so later runs, Verify and rotation find it."
            </p>
            <form on:submit=submit>
                <label class="text-field">
                    <span class="label">"Application (client) ID of the registration to adopt"</span>
                    <input type="text" autocomplete="off" data-testid="adopt-client-id" prop:value=value
                        on:input=move |ev| set_value.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="secondary">"Adopt it"</button>
            </form>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
        </details>
    }
}
