//! The boxes the admin types or pastes into: the name and the vendor's callback URL before
//! registering (shared with automated mode), then what the portal shows (IDs, the secret
//! Value, the vendor's extra fields), each validated as it is typed.

use entra_setup_core::catalog::Integration;
use entra_setup_core::validate::{Field, Finding};
use leptos::prelude::*;

use crate::components::registration_fields::RegistrationFields;
use crate::components::text_field::TextField;
use crate::saved_inputs::SavedInputs;

/// A callback that edits one field of the stored progress.
fn edit(progress: RwSignal<SavedInputs>, set: fn(&mut SavedInputs, String)) -> Callback<String> {
    Callback::new(move |value| progress.update(|p| set(p, value)))
}

#[component]
pub fn BeforeYouStart(
    integration: &'static Integration,
    progress: RwSignal<SavedInputs>,
    findings: Memo<Vec<Finding>>,
) -> impl IntoView {
    view! {
        <section class="card before-you-start">
            <h2>"Before you start"</h2>
            <RegistrationFields integration saved=progress findings/>
        </section>
    }
}

#[component]
pub fn PastedValues(
    integration: &'static Integration,
    progress: RwSignal<SavedInputs>,
    secret: RwSignal<String>,
    findings: Memo<Vec<Finding>>,
) -> impl IntoView {
    let client_id = Signal::derive(move || progress.with(|p| p.client_id.clone()));
    let tenant_id = Signal::derive(move || progress.with(|p| p.tenant_id.clone()));
    let expires = Signal::derive(move || progress.with(|p| p.secret_expires.clone()));
    view! {
        <section class="card pasted-values">
            <h2>"Paste what Entra shows you"</h2>
            <p class="hint">
                "IDs are kept in this browser so a reload does not lose them. The secret is never stored: "
                "it is gone when you leave or reload this page."
            </p>
            <TextField
                label="Application (client) ID"
                value=client_id
                on_input=edit(progress, |p, v| p.client_id = v)
                field=Field::ClientId
                findings
                hint="Overview page of the app registration."
            />
            <TextField
                label="Directory (tenant) ID"
                value=tenant_id
                on_input=edit(progress, |p, v| p.tenant_id = v)
                field=Field::TenantId
                findings
                hint="Overview page of the app registration."
            />
            {integration.needs_secret().then(|| view! {
                <TextField
                    label="Client secret Value (not the Secret ID)"
                    value=secret
                    on_input=Callback::new(move |v| secret.set(v))
                    field=Field::SecretValue
                    findings
                    secret=true
                    hint="Certificates & secrets: the Value column, shown only right after you create the secret."
                />
                <TextField
                    label="Secret expires"
                    value=expires
                    on_input=edit(progress, |p, v| p.secret_expires = v)
                    field=Field::SecretLifetime
                    findings
                    hint="The Expires column, so the values file reminds you when to rotate it."
                />
            })}
            {integration
                .extra_fields
                .iter()
                .map(|extra| {
                    let key = extra.key;
                    let value = Signal::derive(move || progress.with(|p| p.extra.get(key).cloned().unwrap_or_default()));
                    view! {
                        <TextField
                            label=extra.label
                            value
                            on_input=Callback::new(move |v| progress.update(|p| { p.extra.insert(key.to_owned(), v); }))
                            field=Field::Extra(key.to_owned())
                            findings
                            hint=extra.description
                            placeholder=extra.example
                        />
                    }
                })
                .collect_view()}
        </section>
    }
}
