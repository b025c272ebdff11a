//! Plan first: read the tenant, show what will be created, changed or left alone, and who
//! can do what; apply on one click.

use entra_setup_core::automation::provision::extras::Extra;
use entra_setup_core::automation::provision::{Action, Diff, DiffItem, StepId};
use entra_setup_core::plan::Plan;
use entra_setup_core::validate;
use leptos::prelude::*;

use super::{auth, Work};
use crate::components::focus::focus_when_shown;

#[component]
pub fn PlanView(
    plan: Memo<Plan>,
    /// What the page's sign-in asks for.
    wanted: Signal<Vec<String>>,
    work: RwSignal<Work>,
    review: Callback<()>,
    apply: Callback<Box<Diff>>,
    /// A run of this integration was cut short in this tab (e.g. to sign in again).
    interrupted: bool,
) -> impl IntoView {
    let session = auth::use_session();
    let ready = move || {
        let consented = wanted.with(|w| session.grants(w));
        consented && !plan.with(|p| validate::has_errors(&validate::plan(p)))
    };
    let busy = move || matches!(work.get(), Work::Reading(_) | Work::Running(_));
    view! {
        <section class="card plan" data-testid="plan">
            <h2>"Review the changes"</h2>
            {move || (interrupted && matches!(work.get(), Work::Idle)).then(|| view! {
                <p class="notice" data-testid="resume">
                    "An earlier run was interrupted. Review and apply to finish it: what it already created is recognised, not created again."
                </p>
            })}
            <button type="button" on:click=move |_| review.run(()) disabled=move || !ready() || busy()>
                {move || if matches!(work.get(), Work::Idle | Work::Reading(_)) { "Review changes" } else { "Review again" }}
            </button>
            {move || match work.get() {
                Work::Reading(waiting) => view! {
                    <p class="loading" aria-live="polite">
                        "Reading your tenant…"
                        {waiting.map(|notice| view! { <span class="waiting" data-testid="reading-wait">" " {notice.to_string()}</span> })}
                    </p>
                }.into_any(),
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
    let nothing_to_do = diff.nothing_to_do();
    // Permissions beyond the catalog entry the admin ticked for removal.
    let ticked = RwSignal::new(Vec::<StepId>::new());
    let label = move || {
        if nothing_to_do && ticked.with(Vec::is_empty) {
            "Nothing to change: show the values"
        } else {
            "Apply these changes"
        }
    };
    let items: Vec<DiffItem> = diff
        .items
        .iter()
        .filter(|i| i.action != Action::Skip)
        .cloned()
        .collect();
    let extras = diff.extras.clone();
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
                let extra = extras.iter().find(|e| e.step() == item.step).cloned();
                let (step, planned) = (item.step.clone(), item.action);
                // An extra says Remove once ticked.
                let action = Memo::new(move |_| {
                    if ticked.with(|t| t.contains(&step)) { Action::Remove } else { planned }
                });
                view! {
                    <li class=move || format!("diff-item {}", action.get().key()) data-step=item.step.key() data-action=move || action.get().key()>
                        <span class="badge">{move || action.get().to_string()}</span> " " {item.title}
                        {(!item.details.is_empty()).then(|| view! {
                            <ul class="details">{item.details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
                        })}
                        {extra.map(|e| view! { <RemoveTick extra=e ticked/> })}
                    </li>
                }
            }).collect_view()}
        </ul>
        {(!diff.notes.is_empty()).then(|| view! {
            <ul class="diff-notes">{diff.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}</ul>
        })}
        <button type="button" class="apply" disabled=blocked
            on:click=move |_| apply.run(Box::new(to_apply.removing(&ticked.get_untracked())))>{label}</button>
    }
}

/// The tick that removes a permission beyond the catalog entry; disabled, with why, when
/// this sign-in lacks the permission the removal needs.
#[component]
fn RemoveTick(extra: Extra, ticked: RwSignal<Vec<StepId>>) -> impl IntoView {
    let session = auth::use_session();
    let needs = extra.needs_scope();
    let allowed = move || needs.is_none_or(|s| session.grants(&[s.to_owned()]));
    let step = extra.step();
    let key = step.key();
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        let step = step.clone();
        ticked.update(|t| {
            t.retain(|s| s != &step);
            if on {
                t.push(step);
            }
        });
    };
    view! {
        <label class="remove-extra">
            <input type="checkbox" data-testid="remove-extra" data-step=key disabled=move || !allowed() on:change=toggle/>
            {format!(" Remove {}", extra.name())}
        </label>
        {move || (!allowed()).then(|| view! {
            <p class="hint">{format!(
                "Removing it needs the {} permission, which this sign-in did not ask for: take the registration over above (\"Take over a registration made elsewhere\", with its client ID), which asks for it.",
                needs.unwrap_or_default()
            )}</p>
        })}
    }
}
