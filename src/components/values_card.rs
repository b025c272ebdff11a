use entra_setup_core::catalog::ValueSource;
use entra_setup_core::checklist::{CardField, ValuesCard};
use entra_setup_core::validate::{Field, Finding};
use entra_setup_core::values::Values;
use leptos::prelude::*;

use crate::components::copy_button::CopyButton;
use crate::components::findings::has_error;

/// The validation field a console field's value is checked as.
pub fn field_of(source: ValueSource) -> Field {
    match source {
        // config.json is built from the client ID: it is as valid as the client ID.
        ValueSource::ClientId | ValueSource::AssistantConfig => Field::ClientId,
        ValueSource::TenantId => Field::TenantId,
        ValueSource::SecretValue => Field::SecretValue,
        ValueSource::RedirectUri => Field::RedirectUri,
        ValueSource::Extra(key) => Field::Extra(key.to_owned()),
    }
}

/// The values laid out field by field as the destination console names them, in its
/// order, each with a copy button. A value with an error (a Secret ID where the Value
/// belongs) cannot be copied: pasting it into the console is the mistake this prevents.
#[component]
pub fn ValuesCardView(
    card: ValuesCard,
    #[prop(into)] values: Signal<Values>,
    #[prop(into)] findings: Signal<Vec<Finding>>,
    #[prop(optional)] on_secret_copied: Option<Callback<()>>,
) -> impl IntoView {
    let console = card.console;
    view! {
        <section class="card export-card" data-testid="export-card">
            <h2>"Paste into " {console}</h2>
            <dl class="card-fields">
                {card
                    .fields
                    .into_iter()
                    .map(|field| view! { <CardRow field values findings on_secret_copied/> })
                    .collect_view()}
            </dl>
        </section>
    }
}

#[component]
fn CardRow(
    field: CardField,
    values: Signal<Values>,
    findings: Signal<Vec<Finding>>,
    on_secret_copied: Option<Callback<()>>,
) -> impl IntoView {
    let source = field.value;
    let value = Signal::derive(move || values.with(|v| v.get(source).trim().to_owned()));
    let invalid = Signal::derive(move || findings.with(|f| has_error(f, &field_of(source))));
    let (revealed, set_revealed) = signal(false);
    let secret = field.secret;
    let shown = move || {
        let value = value.get();
        if value.is_empty() {
            "(not filled in yet)".to_owned()
        } else if secret && !revealed.get() {
            "•".repeat(value.chars().count().min(24))
        } else {
            value
        }
    };
    let on_copied = on_secret_copied.filter(|_| secret);
    view! {
        <div class="card-row" data-field=field.label>
            <dt>
                {field.label}
                {field.optional.then_some(view! { <span class="optional">" (optional)"</span> })}
            </dt>
            <dd>
                <code class="card-value" class:invalid=invalid class:empty=move || value.with(String::is_empty)>{shown}</code>
                {secret.then(|| view! {
                    <button type="button" class="link-button" on:click=move |_| set_revealed.update(|r| *r = !*r)>
                        {move || if revealed.get() { "Hide" } else { "Show" }}
                    </button>
                })}
                {match on_copied {
                    Some(callback) => view! { <CopyButton value label=field.label disabled=invalid on_copied=callback/> }.into_any(),
                    None => view! { <CopyButton value label=field.label disabled=invalid/> }.into_any(),
                }}
                {move || invalid.get().then_some(view! { <span class="field-error">"Fix the value above before copying."</span> })}
                <p class="where">{field.where_to_find}</p>
            </dd>
        </div>
    }
}
