//! Plan first: read the tenant, show what will be created, changed or left alone, and who
//! can do what; apply on one click.

use entra_setup_core::automation::auth::scopes;
use entra_setup_core::automation::provision::{Action, Diff, DiffItem};
use entra_setup_core::plan::Plan;
use entra_setup_core::validate;
use leptos::prelude::*;

use super::{auth, Work};
use crate::components::focus::focus_when_shown;

#[component]
pub fn PlanView(
    plan: Memo<Plan>,
    work: RwSignal<Work>,
    review: Callback<()>,
    apply: Callback<Box<Diff>>,
    /// A run of this integration was cut short in this tab (e.g. to sign in again).
    interrupted: bool,
) -> impl IntoView {
    let session = auth::use_session();
    let ready = move || {
        let wanted = plan.with(|p| scopes::for_run(p, auth::cloud()));
        let consented = session.grants(&wanted);
        consented && !plan.with(|p| validate::has_errors(&validate::plan(p)))
    };
    let busy = move || matches!(work.get(), Work::Reading | Work::Running(_));
    view! {
        <section class="card plan" data-testid="plan">
            <h2>"Review the changes"</h2>
            {move || (interrupted && matches!(work.get(), Work::Idle)).then(|| view! {
                <p class="notice" data-testid="resume">
                    "An earlier run was interrupted. Review and apply to finish it: what it already created is recognised, not created again."
                </p>
            })}
            <button type="button" on:click=move |_| review.run(()) disabled=move || !ready() || busy()>
                {move || if matches!(work.get(), Work::Idle | Work::Reading) { "Review changes" } else { "Review again" }}
            </button>
            {move || match work.get() {
                Work::Reading => view! { <p class="loading" aria-live="polite">"Reading your tenant…"</p> }.into_any(),
                // The button is disabled while the tenant is read, which takes its focus away:
                // focus goes to what the review found.
                Work::Failed(why) => view! { <p class="error" role="alert" tabindex="-1" node_ref=focus_when_shown()>{why}</p> }.into_any(),
                Work::Planned(diff) => view! { <DiffView diff apply/> }.into_any(),
                _ => ().into_any(),
            }}
        </section>
    }
}

#[component]
fn DiffView(diff: Box<Diff>, apply: Callback<Box<Diff>>) -> impl IntoView {
    let blocked = diff.is_blocked();
    let label = if diff.nothing_to_do() {
        "Nothing to change: show the values"
    } else {
        "Apply these changes"
    };
    let items: Vec<DiffItem> = diff
        .items
        .iter()
        .filter(|i| i.action != Action::Skip)
        .cloned()
        .collect();
    let to_apply = diff.clone();
    view! {
        <p class="capabilities" data-testid="capabilities" tabindex="-1" node_ref=focus_when_shown()>{diff.capability_summary.clone()}</p>
        {(!diff.blocking.is_empty()).then(|| view! {
            <div class="error" role="alert" data-testid="blocking">
                <p>"The run cannot start:"</p>
                <ul>{diff.blocking.iter().map(|b| view! { <li>{b.to_string()}</li> }).collect_view()}</ul>
            </div>
        })}
        <ul class="diff" data-testid="diff">
            {items.into_iter().map(|item| {
                let (class, label) = (item.action.key(), item.action.to_string());
                view! {
                    <li class=format!("diff-item {class}") data-step=item.step.key() data-action=class>
                        <span class="badge">{label}</span> " " {item.title}
                        {(!item.details.is_empty()).then(|| view! {
                            <ul class="details">{item.details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                        })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {(!diff.notes.is_empty()).then(|| view! {
            <ul class="diff-notes">{diff.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
        })}
        <button type="button" class="apply" disabled=blocked on:click=move |_| apply.run(to_apply.clone())>{label}</button>
    }
}
