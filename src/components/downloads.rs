use entra_setup_core::export::ExportFile;
use leptos::prelude::*;

use crate::browser::download;
use crate::browser::near::when_near;

/// The files a card lists: `None` while they are being prepared (the checklist's come from a
/// module loaded after the page, `pages::checklist::files`), else the files or why there are
/// none (what to fix in the plan, or that they could not be loaded).
pub type Prepared = Option<Result<Vec<ExportFile>, String>>;

/// One button per generated file, with what the admin must know before using it, or, while
/// the plan has errors, no files and what to fix (core produces no export then).
/// `on_saved` hears of each file the browser accepted, with its content (a page that holds a
/// secret decides whether the file kept it). `near` is told once when the card comes within
/// a screen of the viewport (a checklist loads what writes its files then).
#[component]
pub fn Downloads(
    #[prop(into)] files: Signal<Prepared>,
    #[prop(optional)] on_saved: Option<Callback<String>>,
    #[prop(optional)] near: Option<Callback<()>>,
) -> impl IntoView {
    let (failed, set_failed) = signal(None::<String>);
    let card = NodeRef::<leptos::html::Section>::new();
    if let Some(near) = near {
        // Dropped with the card, which stops the watch.
        let watch = StoredValue::new_local(None);
        Effect::new(move |_| {
            if let Some(card) = card.get() {
                watch.set_value(when_near(&card, move || near.run(())));
            }
        });
    }
    view! {
        <section class="card downloads" data-testid="downloads" node_ref=card aria-busy=move || if files.with(Option::is_none) { "true" } else { "false" }>
            <h2>"Downloads"</h2>
            {move || files.with(|f| match f {
                None => Some(view! { <p class="note" data-testid="downloads-preparing">"Preparing the files…"</p> }.into_any()),
                Some(Err(why)) => Some(view! {
                    <p class="error" role="alert" data-testid="downloads-refused">{why.clone()}</p>
                }.into_any()),
                Some(Ok(_)) => None,
            })}
            <ul class="download-list">
                {move || {
                    files
                        .get()
                        .and_then(Result::ok)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|file| {
                            let ExportFile { filename, mime, content, notes } = file;
                            let name = filename.clone();
                            let save = move |_| {
                                match download::save(&name, &mime, &content) {
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
