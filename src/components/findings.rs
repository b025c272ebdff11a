use entra_setup_core::validate::{Field, Finding, Severity};
use leptos::prelude::*;

/// The findings about one field, errors first, each with its own message.
#[component]
pub fn FieldFindings(#[prop(into)] findings: Signal<Vec<Finding>>, field: Field) -> impl IntoView {
    let mine = move || {
        let mut mine: Vec<Finding> =
            findings.with(|all| all.iter().filter(|f| f.field == field).cloned().collect());
        mine.sort_by_key(|f| std::cmp::Reverse(f.severity));
        mine
    };
    view! {
        <ul class="findings" aria-live="polite">
            {move || {
                mine()
                    .into_iter()
                    .map(|f| {
                        let class = match f.severity {
                            Severity::Error => "finding error",
                            Severity::Warning => "finding warning",
                        };
                        view! { <li class=class data-code=f.code.as_str()>{f.message}</li> }
                    })
                    .collect_view()
            }}
        </ul>
    }
}

/// Whether any finding about `field` is an error.
pub fn has_error(findings: &[Finding], field: &Field) -> bool {
    findings
        .iter()
        .any(|f| &f.field == field && f.severity == Severity::Error)
}
