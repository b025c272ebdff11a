//! Adopt mode without the tenant health page: the admin names a registration made by hand or
//! by an older script by its client ID, or by the start of its name and picks it from what
//! the tenant has (the health page lists only those that look like an integration). The
//! review then shows what it lacks; applying adds only that.

use entra_setup_core::automation::provision::search::{self, Matches};
use entra_setup_core::automation::provision::Arrival;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{auth, provision_graph, Work};

/// Where a search by name is.
#[derive(Clone, PartialEq)]
enum Search {
    Idle,
    Searching,
    Found { name: String, matches: Matches },
    Failed(String),
}

#[component]
pub fn AdoptForm(
    integration_id: &'static str,
    adopt: RwSignal<Option<String>>,
    work: RwSignal<Work>,
    env: RwSignal<Option<&'static auth::Env>>,
) -> impl IntoView {
    let (value, set_value) = signal(String::new());
    let (problem, set_problem) = signal(None::<String>);
    let search = RwSignal::new(Search::Idle);
    let session = auth::use_session();
    let choose = move |arrival: Arrival| {
        set_problem.set(None);
        super::mode::keep(integration_id, &arrival);
        adopt.set(arrival.adopt);
        // A plan reviewed before is not the adoption's: review again.
        work.set(Work::Idle);
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = value.get_untracked();
        if let Ok(arrival) = Arrival::adopting_typed(&typed) {
            return choose(arrival);
        }
        // Not a client ID: the start of a name.
        let name = typed.trim().to_owned();
        if name.is_empty() {
            return set_problem.set(Some(
                entra_setup_core::automation::provision::arrival::NotAClientId.to_string(),
            ));
        }
        let (Some(env), Some(signed_in)) = (env.get_untracked(), session.get_untracked()) else {
            return;
        };
        set_problem.set(None);
        search.set(Search::Searching);
        spawn_local(async move {
            let tokens = auth::tokens(env, signed_in);
            let graph = provision_graph(env, &tokens);
            let found = search::by_name(&graph, &name).await;
            session.set(Some(tokens.session()));
            search.set(match found {
                Ok(matches) => Search::Found { name, matches },
                Err(why) => Search::Failed(why.to_string()),
            });
        });
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
                    <span class="label">"Application (client) ID, or the start of the registration's name"</span>
                    <input type="text" autocomplete="off" data-testid="adopt-client-id" prop:value=value
                        on:input=move |ev| set_value.set(event_target_value(&ev))/>
                </label>
                <button type="submit" class="secondary">"Adopt it"</button>
            </form>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            {move || match search.get() {
                Search::Idle => ().into_any(),
                Search::Searching => view! { <p class="loading" aria-live="polite">"Searching your tenant…"</p> }.into_any(),
                Search::Failed(why) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
                Search::Found { name, matches } if matches.found.is_empty() => view! {
                    <p class="field-error" role="alert" data-testid="adopt-none">{format!(
                        "No registration's name starts with \u{201c}{name}\u{201d}. Check the name under App registrations > All applications, or enter its Application (client) ID."
                    )}</p>
                }.into_any(),
                Search::Found { matches, .. } => view! {
                    <div data-testid="adopt-matches" aria-live="polite">
                        <p>{if matches.more {
                            format!("The first {} registrations whose name starts with that; type more of the name to narrow it:", search::SHOWN)
                        } else {
                            "Registrations whose name starts with that:".to_owned()
                        }}</p>
                        <ul class="adopt-matches">
                            {matches.found.into_iter().map(|f| {
                                let arrival = Arrival::adopting(&f.app_id);
                                view! {
                                    <li>
                                        <button type="button" class="secondary" data-testid="adopt-pick" data-app-id=f.app_id.clone()
                                            on:click=move |_| choose(arrival.clone())>
                                            {format!("Adopt {}", f.display_name)}
                                        </button>
                                        " " <span class="muted">{format!("client ID {}", f.app_id)}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    </div>
                }.into_any(),
            }}
        </details>
    }
}
