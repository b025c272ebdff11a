use entra_setup_core::export::{ExportError, ExportFile};
use leptos::prelude::*;

use crate::browser::download;

/// One button per generated file, with what the admin must know before using it, or, while
/// the plan has errors, no files and what to fix (core produces no export then).
/// `on_saved` hears of each file the browser accepted, with its content (a page that holds a
/// secret decides whether the file kept it).
#[component]
pub fn Downloads(
    #[prop(into)] files: Signal<Result<Vec<ExportFile>, ExportError>>,
    #[prop(optional)] on_saved: Option<Callback<String>>,
) -> impl IntoView {
    let (failed, set_failed) = signal(None::<String>);
    view! {
        <section class="card downloads" data-testid="downloads">
            <h2>"Downloads"</h2>
            {move || files.with(|f| f.as_ref().err().map(|why| view! {
                <p class="error" role="alert" data-testid="downloads-refused">{why.to_string()}</p>
            }))}
            <ul class="download-list">
                {move || {
                    files
                        .get()
                        .unwrap_or_default()
                        .into_iter()
                        .map(|file| {
                            let ExportFile { filename, mime, content, notes } = file;
                            let name = filename.clone();
                            let save = move |_| {
                                match download::save(&name, mime, &content) {
                                    Ok(()) => {
                                        if let Some(callback) = on_saved {
                                            callback.run(content.clone());
                                        }
                                    }
                                    Err(_) => set_failed.set(Some(format!("The browser refused to save {name}."))),
                                }
                            };
                            view! {
                                <li>
                                    <button type="button" class="secondary" on:click=save>{format!("Download {filename}")}</button>
                                    {notes.into_iter().map(|n| view! { <p class="note">{n}</p> }).collect_view()}
                                </li>
                            }
                        })
                        .collect_view()
                }}
            </ul>
            {move || failed.get().map(|why| view! { <p class="error" role="alert">{why}</p> })}
        </section>
    }
}
