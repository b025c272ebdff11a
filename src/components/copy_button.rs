use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::clipboard;

/// A one-click copy of `value`, which says whether it worked. `on_copied` lets a page
/// record that a secret has been copied (the setup page warns before leaving otherwise).
#[component]
pub fn CopyButton(
    #[prop(into)] value: Signal<String>,
    #[prop(into)] label: String,
    #[prop(into, optional)] disabled: Signal<bool>,
    #[prop(optional)] on_copied: Option<Callback<()>>,
) -> impl IntoView {
    let (status, set_status) = signal(None::<Result<(), String>>);
    let aria = format!("Copy {label}");
    let copy = move |_| {
        let text = value.get_untracked();
        spawn_local(async move {
            let result = clipboard::copy(&text).await;
            if result.is_ok() {
                if let Some(callback) = on_copied {
                    callback.run(());
                }
            }
            set_status.set(Some(result));
        });
    };
    // A new value has not been copied yet.
    Effect::new(move |_| {
        value.track();
        set_status.set(None);
    });
    view! {
        <button
            type="button"
            class="copy secondary"
            aria-label=aria
            disabled=move || disabled.get() || value.with(String::is_empty)
            on:click=copy
        >
            {move || if matches!(status.get(), Some(Ok(()))) { "Copied" } else { "Copy" }}
        </button>
        {move || match status.get() {
            Some(Err(why)) => Some(view! { <span class="field-error" role="alert">{why}</span> }),
            _ => None,
        }}
    }
}
