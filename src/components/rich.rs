use entra_setup_core::text::{Rich, Span};
use leptos::prelude::*;

/// Core's rich text: portal labels in bold (what to look for on screen), code monospace.
#[component]
pub fn RichText(text: Rich) -> impl IntoView {
    text.0
        .into_iter()
        .map(|span| match span {
            Span::Text(s) => view! { {s.into_owned()} }.into_any(),
            Span::Ui(s) => view! { <strong class="ui">{s.into_owned()}</strong> }.into_any(),
            Span::Code(s) => view! { <code>{s.into_owned()}</code> }.into_any(),
        })
        .collect_view()
}
