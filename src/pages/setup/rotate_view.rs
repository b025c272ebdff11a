//! Rotation's second half: after a run added a new secret, the old ones keep working until
//! the admin confirms the vendor has the new Value; then the ticked ones are removed (by
//! default those this assistant made: another may be what the vendor's connection uses).

use entra_setup_core::automation::provision::rotate::{self, OldSecret, Removal};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{auth, provision_graph};
use crate::components::focus::focus_when_shown;

#[component]
pub fn RemoveOldSecrets(
    app_object_id: String,
    /// The registration's name, for what to do when a removal fails.
    app_name: String,
    new_key_id: String,
    env: RwSignal<Option<&'static auth::Env>>,
) -> impl IntoView {
    let session = auth::use_session();
    let offered = RwSignal::new(None::<Result<Vec<(OldSecret, RwSignal<bool>)>, String>>);
    let confirmed = RwSignal::new(false);
    let removing = RwSignal::new(false);
    let removals = RwSignal::new(None::<Vec<(String, Removal)>>);
    let object_id = StoredValue::new(app_object_id);
    let name = StoredValue::new(app_name);

    if let (Some(env), Some(signed_in)) = (env.get_untracked(), session.get_untracked()) {
        let object_id = object_id.get_value();
        spawn_local(async move {
            let tokens = auth::tokens(env, signed_in);
            let graph = provision_graph(env, &tokens);
            let read = rotate::offered(&graph, &object_id, &new_key_id).await;
            session.set(Some(tokens.session()));
            offered.set(Some(
                read.map(|old| {
                    old.into_iter()
                        .map(|s| {
                            let ticked = RwSignal::new(s.made_here);
                            (s, ticked)
                        })
                        .collect()
                })
                .map_err(|e| e.to_string()),
            ));
        });
    }

    let ticked = move || -> Vec<OldSecret> {
        offered.with(|o| match o {
            Some(Ok(all)) => all
                .iter()
                .filter(|(_, t)| t.get())
                .map(|(s, _)| s.clone())
                .collect(),
            _ => Vec::new(),
        })
    };
    // Done once every ticked secret is gone; after a failure the admin may try again (what
    // was removed meanwhile answers "already gone").
    let all_removed = move || {
        removals.with(|r| {
            r.as_ref()
                .is_some_and(|done| done.iter().all(|(_, r)| !matches!(r, Removal::Failed(_))))
        })
    };
    let remove = move |_| {
        let (Some(env), Some(signed_in)) = (env.get_untracked(), session.get_untracked()) else {
            return;
        };
        let chosen = ticked();
        removing.set(true);
        spawn_local(async move {
            let tokens = auth::tokens(env, signed_in);
            let graph = provision_graph(env, &tokens);
            let done =
                rotate::remove_old(&graph, &object_id.get_value(), &name.get_value(), &chosen)
                    .await;
            session.set(Some(tokens.session()));
            removals.set(Some(done));
            removing.set(false);
        });
    };

    view! {
        <section class="card rotate" data-testid="rotate">
            <h2>"Remove the old secrets once the vendor has the new Value"</h2>
            <p>
                "Until then every secret keeps working, so the vendor's connection does not break. Paste the new Value into the vendor's "
                "console, check the connection there, then confirm here."
            </p>
            {move || match offered.get() {
                None => view! { <p class="loading">"Reading the registration's secrets…"</p> }.into_any(),
                Some(Err(why)) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
                Some(Ok(all)) if all.is_empty() => view! {
                    <p data-testid="no-old-secrets">"The registration has no other secret: nothing to remove."</p>
                }.into_any(),
                Some(Ok(all)) => view! {
                    <fieldset>
                        <legend>"Old secrets to remove (those this assistant made are ticked)"</legend>
                        <ul class="old-secrets">
                            {all.into_iter().map(|(secret, ticked)| view! {
                                <li>
                                    <label class="inline">
                                        <input type="checkbox" data-key-id=secret.key_id().to_owned() prop:checked=ticked
                                            on:change=move |ev| ticked.set(event_target_checked(&ev))/>
                                        " " {secret.to_string()}
                                    </label>
                                </li>
                            }).collect_view()}
                        </ul>
                    </fieldset>
                    <label class="inline">
                        <input type="checkbox" data-testid="vendor-has-new-value" prop:checked=confirmed
                            on:change=move |ev| confirmed.set(event_target_checked(&ev))/>
                        " The vendor now has the new Value, and its connection works with it"
                    </label>
                    <p>
                        <button type="button" data-testid="remove-old-secrets" on:click=remove
                            disabled=move || !confirmed.get() || removing.get() || ticked().is_empty() || all_removed()>
                            {move || if removals.with(Option::is_some) { "Try the removal again" } else { "Remove the ticked secrets" }}
                        </button>
                    </p>
                }.into_any(),
            }}
            {move || removals.get().map(|done| {
                let all_ok = done.iter().all(|(_, r)| !matches!(r, Removal::Failed(_)));
                view! {
                    <div data-testid="removals" data-ok=all_ok.to_string() tabindex="-1" node_ref=focus_when_shown()
                        role=(!all_ok).then_some("alert")>
                        <ul>
                            {done.into_iter().map(|(key, removal)| view! {
                                <li data-removal=removal.code() data-key-id=key.clone()>{format!("Secret ID {key}: {removal}")}</li>
                            }).collect_view()}
                        </ul>
                    </div>
                }
            })}
        </section>
    }
}
