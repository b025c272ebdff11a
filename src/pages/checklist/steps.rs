//! The numbered steps, each with a checkbox, and the permission tables inside them.

use entra_setup_core::checklist::{Checklist, PermissionItem, Step};
use leptos::prelude::*;

use crate::components::later::Later;
use crate::components::rich::RichText;
use crate::saved_inputs::SavedInputs;

/// How many steps' worth of work a part of the page holds (`Later`): a plain step is 3, and
/// each row of a permission table 1 more, so a long table gets a part to itself.
const WORK_PER_PART: usize = 12;

/// The part each step is built in, from 2 (the page's first part is what comes before the
/// steps): steps in order, about `WORK_PER_PART` in each.
fn parts(steps: &[Step]) -> Vec<u16> {
    let (mut part, mut work) = (2, 0);
    steps
        .iter()
        .map(|step| {
            let this = 3 + step.permissions.len();
            if work > 0 && work + this > WORK_PER_PART {
                (part, work) = (part + 1, 0);
            }
            work += this;
            part
        })
        .collect()
}

/// The first part after the steps' (`Later`), for the rest of the page.
pub fn after(list: &Checklist) -> u16 {
    parts(&list.steps).last().map_or(2, |last| last + 1)
}

fn toggle(progress: RwSignal<SavedInputs>, key: String) {
    progress.update(|p| {
        if !p.ticked.remove(&key) {
            p.ticked.insert(key);
        }
    });
}

#[component]
pub fn Steps(list: Memo<Checklist>, progress: RwSignal<SavedInputs>) -> impl IntoView {
    view! {
        <ol class="steps">
            {move || {
                let steps = list.with(|l| l.steps.clone());
                let parts = parts(&steps);
                steps.into_iter().zip(parts).map(|(step, part)| view! {
                    <Later part><StepView step=step.clone() progress/></Later>
                }).collect_view()
            }}
        </ol>
    }
}

#[component]
fn StepView(step: Step, progress: RwSignal<SavedInputs>) -> impl IntoView {
    let key = step.key.clone();
    let done = {
        let key = key.clone();
        Signal::derive(move || progress.with(|p| p.ticked.contains(&key)))
    };
    let on_change = move |_| toggle(progress, key.clone());
    view! {
        <li class="step" class:done=done data-step=step.key.clone() value=step.number>
            <label class="step-head">
                <input type="checkbox" prop:checked=done on:change=on_change/>
                <span class="step-number">{step.number}". "</span>
                <span class="place">{step.place}</span>
            </label>
            {step.menu_path.map(|path| view! { <p class="menu-path">{path}</p> })}
            <p class="step-text"><RichText text=step.text/></p>
            {step.details.into_iter().map(|d| view! { <p class="step-detail"><RichText text=d/></p> }).collect_view()}
            {(!step.permissions.is_empty()).then(|| view! { <PermissionTable items=step.permissions progress/> })}
            {step.warning.map(|w| view! { <p class="step-warning"><RichText text=w/></p> })}
        </li>
    }
}

#[component]
fn PermissionTable(items: Vec<PermissionItem>, progress: RwSignal<SavedInputs>) -> impl IntoView {
    view! {
        <table class="permissions">
            <thead>
                <tr>
                    <th scope="col"><span class="visually-hidden">"Added"</span></th>
                    <th scope="col">"API"</th>
                    <th scope="col">"Permission"</th>
                    <th scope="col">"Type"</th>
                    <th scope="col">"Admin consent"</th>
                </tr>
            </thead>
            <tbody>
                {items.into_iter().map(|item| view! { <PermissionRow item progress/> }).collect_view()}
            </tbody>
        </table>
    }
}

#[component]
fn PermissionRow(item: PermissionItem, progress: RwSignal<SavedInputs>) -> impl IntoView {
    let key = item.key.clone();
    let done = {
        let key = key.clone();
        Signal::derive(move || progress.with(|p| p.ticked.contains(&key)))
    };
    let on_change = move |_| toggle(progress, key.clone());
    let label = format!("{} {} ({})", item.api_name, item.value, item.kind.as_str());
    view! {
        <tr class:done=done data-permission=item.key.clone()>
            <td><input type="checkbox" aria-label=label prop:checked=done on:change=on_change/></td>
            <td>{item.api_name}</td>
            <td>
                <code>{item.value}</code>
                {(!item.description.is_empty()).then(|| view! { <span class="description">{item.description}</span> })}
                {item.note.map(|n| view! { <span class="note">{n}</span> })}
            </td>
            <td>{item.kind.as_str()}</td>
            <td>{if item.admin_consent_required { "Yes" } else { "No" }}</td>
        </tr>
    }
}

#[cfg(test)]
mod tests {
    use entra_setup_core::catalog;
    use entra_setup_core::checklist;

    use super::{after, parts, WORK_PER_PART};
    use crate::saved_inputs::SavedInputs;

    /// Every catalog entry's checklist: its steps are built in order, after the page's first
    /// part, a few at a time, and a step with a long permission table has a part to itself,
    /// so no part is much more work than `WORK_PER_PART`.
    #[test]
    fn steps_are_built_in_order_a_few_at_a_time() {
        for integration in catalog::ALL {
            let list = checklist::build(integration, &SavedInputs::default().plan(integration));
            let parts = parts(&list.steps);
            assert_eq!(parts.len(), list.steps.len(), "{}", integration.id);
            assert_eq!(parts.first(), Some(&2), "{}", integration.id);
            assert!(parts.windows(2).all(|w| w[1] == w[0] || w[1] == w[0] + 1));
            // A part of several steps holds no more than `WORK_PER_PART`; only a step that
            // is more work on its own has a part to itself.
            for part in parts.iter().copied() {
                let work: Vec<usize> = list
                    .steps
                    .iter()
                    .zip(&parts)
                    .filter(|(_, p)| **p == part)
                    .map(|(step, _)| 3 + step.permissions.len())
                    .collect();
                assert!(
                    work.len() == 1 || work.iter().sum::<usize>() <= WORK_PER_PART,
                    "{}: part {part} holds {work:?}",
                    integration.id
                );
            }
            assert_eq!(after(&list), parts.last().unwrap() + 1);
        }
        let long = catalog::by_id("nango-microsoft-defender").unwrap();
        let list = checklist::build(long, &SavedInputs::default().plan(long));
        assert!(
            parts(&list.steps).last().unwrap() > &3,
            "a long checklist has several parts"
        );
    }
}
