//! The numbered steps, each with a checkbox, and the permission tables inside them.

use entra_setup_core::checklist::{Checklist, PermissionItem, Step};
use leptos::prelude::*;

use crate::components::rich::RichText;
use crate::saved_inputs::SavedInputs;

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
            {move || list.with(|l| l.steps.clone()).into_iter().map(|step| view! { <StepView step progress/> }).collect_view()}
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
