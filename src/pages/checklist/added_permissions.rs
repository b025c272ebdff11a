//! Permissions the admin adds: the whole list for Custom, the missing rest where a guide's
//! list is cut off.

use entra_setup_core::catalog::{apis, Integration, PermissionType};
use leptos::prelude::*;

use crate::saved_inputs::{AddedPermission, SavedInputs};

#[component]
pub fn AddedPermissions(
    integration: &'static Integration,
    progress: RwSignal<SavedInputs>,
) -> impl IntoView {
    let usable_apis: Vec<_> = apis::ALL.iter().filter(|api| !api.retired).collect();
    let first_api = usable_apis[0].app_id;
    let (api, set_api) = signal(first_api.to_owned());
    let (value, set_value) = signal(String::new());
    let (kind, set_kind) = signal(PermissionType::Delegated);
    let (consent, set_consent) = signal(true);
    let (problem, set_problem) = signal(None::<&'static str>);

    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let permission_value = value.get_untracked().trim().to_owned();
        if permission_value.is_empty() || permission_value.contains(char::is_whitespace) {
            set_problem.set(Some(
                "Type one permission name, such as Mail.Read, with no spaces.",
            ));
            return;
        }
        let app_id = api.get_untracked();
        let api_name = apis::by_app_id(&app_id).map_or("", |a| a.name).to_owned();
        let added = AddedPermission {
            api_app_id: app_id,
            api_name,
            value: permission_value,
            kind: kind.get_untracked(),
            admin_consent_required: consent.get_untracked(),
        };
        let key = added.planned().key();
        let duplicate = progress.with_untracked(|p| {
            p.plan(integration)
                .permissions
                .iter()
                .any(|existing| existing.key() == key)
        });
        if duplicate {
            set_problem.set(Some("That permission is already in the list."));
            return;
        }
        progress.update(|p| p.added.push(added));
        set_value.set(String::new());
        set_problem.set(None);
    };

    let intro = if integration.custom {
        "Pick each API and permission the product needs. Permissions the catalog knows get their IDs and consent rules filled in."
    } else {
        "The guide's permission list is incomplete: add the rest from the vendor's current documentation."
    };
    view! {
        <section class="card added-permissions no-print">
            <h2>"Add permissions"</h2>
            <p class="hint">{intro}</p>
            <form class="add-permission" on:submit=add>
                <label>
                    <span class="label">"API"</span>
                    <select on:change=move |ev| set_api.set(event_target_value(&ev)) prop:value=api>
                        {usable_apis.iter().map(|a| view! { <option value=a.app_id>{a.name}</option> }).collect_view()}
                    </select>
                </label>
                <label>
                    <span class="label">"Permission"</span>
                    <input type="text" placeholder="e.g. Mail.Read" prop:value=value on:input=move |ev| set_value.set(event_target_value(&ev))/>
                </label>
                <label>
                    <span class="label">"Type"</span>
                    <select on:change=move |ev| set_kind.set(if event_target_value(&ev) == PermissionType::Application.as_str() {
                        PermissionType::Application
                    } else {
                        PermissionType::Delegated
                    })>
                        <option value="Delegated">{PermissionType::Delegated.portal_label()}</option>
                        <option value="Application">{PermissionType::Application.portal_label()}</option>
                    </select>
                </label>
                <label class="inline">
                    <input type="checkbox" prop:checked=consent on:change=move |_| set_consent.update(|c| *c = !*c)/>
                    " Needs admin consent"
                </label>
                <button type="submit">"Add"</button>
            </form>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
            <ul class="added-list">
                {move || {
                    progress
                        .with(|p| p.added.clone())
                        .into_iter()
                        .enumerate()
                        .map(|(i, added)| {
                            let kind = added.kind.as_str();
                            view! {
                                <li>
                                    {added.api_name} " " <code>{added.value}</code> " (" {kind} ") "
                                    <button type="button" class="link-button" on:click=move |_| progress.update(|p| { p.added.remove(i); })>"Remove"</button>
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
        </section>
    }
}
