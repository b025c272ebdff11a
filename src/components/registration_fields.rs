use entra_setup_core::catalog::{Integration, Platform};
use entra_setup_core::validate::{Field, Finding};
use leptos::prelude::*;

use crate::components::text_field::TextField;
use crate::saved_inputs::SavedInputs;

/// The two things both modes ask before registering: the app's name and the vendor's
/// callback URL. `callback_can_wait`: the run can be repeated once the vendor shows it.
#[component]
pub fn RegistrationFields(
    integration: &'static Integration,
    saved: RwSignal<SavedInputs>,
    #[prop(into)] findings: Signal<Vec<Finding>>,
    #[prop(optional)] callback_can_wait: bool,
) -> impl IntoView {
    let name = Signal::derive(move || {
        saved.with(|s| {
            s.display_name
                .clone()
                .unwrap_or_else(|| integration.suggested_display_name.to_owned())
        })
    });
    let redirect = Signal::derive(move || saved.with(|s| s.redirect_uri.clone()));
    let mut redirect_hint = match integration.redirect.pattern {
        Some(pattern) => format!(
            "Copy {}. It looks like {pattern}.",
            integration.redirect.source
        ),
        None => format!("Copy {}.", integration.redirect.source),
    };
    if callback_can_wait {
        redirect_hint.push_str(" You can leave it empty and run again once the vendor shows it.");
    }
    view! {
        <TextField
            label="Name of the app registration"
            value=name
            on_input=Callback::new(move |v| saved.update(|s| s.display_name = Some(v)))
            field=Field::DisplayName
            findings
            hint="Shown to users on consent screens and to admins in Enterprise applications."
        />
        {(integration.redirect.platform != Platform::None).then(|| view! {
            <TextField
                label="The vendor's callback URL (redirect URI)"
                value=redirect
                on_input=Callback::new(move |v| saved.update(|s| s.redirect_uri = v))
                field=Field::RedirectUri
                findings
                hint=redirect_hint
                placeholder=integration.redirect.pattern.unwrap_or("https://")
            />
        })}
    }
}
