//! What the run registers: name, the vendor's callback URL, secret lifetime, the guide's
//! errata switches and added permissions. Kept with the checklist's inputs for the same
//! integration, so switching modes loses nothing.

use entra_setup_core::catalog::Integration;
use entra_setup_core::checklist;
use entra_setup_core::plan::{Plan, MAX_SECRET_DAYS};
use entra_setup_core::validate;
use leptos::prelude::*;

use crate::components::registration_fields::RegistrationFields;
use crate::pages::checklist::added_permissions::AddedPermissions;
use crate::pages::checklist::notices::{Notices, Placement};
use crate::saved_inputs::SavedInputs;

/// The portal's own choices, plus its 24-month maximum.
const LIFETIMES: [(u16, &str); 5] = [
    (90, "90 days (3 months)"),
    (180, "180 days (6 months, recommended)"),
    (365, "365 days (12 months)"),
    (545, "545 days (18 months)"),
    (MAX_SECRET_DAYS, "730 days (24 months, the longest allowed)"),
];

#[component]
pub fn InputsForm(
    integration: &'static Integration,
    saved: RwSignal<SavedInputs>,
    lifetime: RwSignal<u16>,
    new_secret: RwSignal<bool>,
    plan: Memo<Plan>,
) -> impl IntoView {
    let list = Memo::new(move |_| plan.with(|p| checklist::build(integration, p)));
    let findings = Memo::new(move |_| {
        let mut all = plan.with(validate::plan);
        plan.with(|p| {
            if let Some(uri) = &p.redirect_uri {
                let rule = entra_setup_core::catalog::RedirectRule {
                    platform: p.platform,
                    ..integration.redirect
                };
                all.extend(validate::redirect_uri(uri, &rule, p.sign_in_audience));
            }
        });
        all
    });
    view! {
        <section class="card setup-inputs">
            <h2>"What to register"</h2>
            <RegistrationFields integration saved findings callback_can_wait=true/>
            {integration.needs_secret().then(|| view! {
                <label class="text-field">
                    <span class="label">"Client secret lifetime"</span>
                    <select on:change=move |ev| {
                        if let Ok(days) = event_target_value(&ev).parse() { lifetime.set(days) }
                    }>
                        {LIFETIMES.iter().map(|(days, label)| view! {
                            <option value=days.to_string() selected=move || lifetime.get() == *days>{*label}</option>
                        }).collect_view()}
                    </select>
                    <span class="hint">
                        "Microsoft allows at most 24 months and recommends less than 12. If your tenant's policy allows less, "
                        "the assistant uses the longest it allows and tells you."
                    </span>
                </label>
                <label class="inline">
                    <input type="checkbox" prop:checked=new_secret on:change=move |_| new_secret.update(|n| *n = !*n)/>
                    " Add a new secret even if the registration already has a valid one from this assistant"
                </label>
            })}
            <Notices list progress=saved placement=Placement::InSection fold_errata=true/>
            {(integration.custom || !integration.permissions_complete)
                .then(|| view! { <AddedPermissions integration progress=saved/> })}
        </section>
    }
}
