use entra_setup_core::validate::{Field, Finding};
use leptos::prelude::*;

use crate::components::findings::{has_error, FieldFindings};

/// A labelled input validated as you type: core's findings about `field` appear under it.
#[component]
pub fn TextField(
    #[prop(into)] label: String,
    #[prop(into)] value: Signal<String>,
    on_input: Callback<String>,
    field: Field,
    #[prop(into)] findings: Signal<Vec<Finding>>,
    #[prop(into, optional)] hint: String,
    #[prop(optional)] secret: bool,
    #[prop(into, optional)] placeholder: String,
) -> impl IntoView {
    let invalid = {
        let field = field.clone();
        move || findings.with(|f| has_error(f, &field)).to_string()
    };
    view! {
        <label class="text-field">
            <span class="label">{label}</span>
            // A secret is masked by CSS (`.masked`: `-webkit-text-security`) in a text input,
            // not a password input: Chrome ignores `autocomplete="off"` on password fields and
            // offers to save whatever was typed in one when the page changes, which would
            // put a client secret in the admin's password manager under this site's name.
            // A text input is never a save candidate. `data-1p-ignore`, `data-lpignore` and
            // `data-bwignore` tell 1Password, LastPass and Bitwarden the same.
            <input
                type="text"
                class:masked=secret
                autocomplete="off"
                autocapitalize="off"
                spellcheck="false"
                data-1p-ignore=secret.then_some("true")
                data-lpignore=secret.then_some("true")
                data-bwignore=secret.then_some("true")
                placeholder=placeholder
                prop:value=value
                aria-invalid=invalid
                on:input=move |ev| on_input.run(event_target_value(&ev))
            />
            {(!hint.is_empty()).then(|| view! { <span class="hint">{hint}</span> })}
            <FieldFindings findings field/>
        </label>
    }
}
