//! What the guide gets wrong or leaves out, with our fix, and for the errata that allow
//! it, a switch to follow the guide literally instead.

use entra_setup_core::checklist::{Checklist, Notice, NoticeKind};
use leptos::either::Either;
use leptos::prelude::*;

use crate::saved_inputs::SavedInputs;

/// Where the notices sit in the page's outline, so their titles keep heading levels in
/// order (screen readers navigate by them; axe's `heading-order`).
#[derive(Clone, Copy)]
pub enum Placement {
    /// Right under the page's `h1`: titles are `h2`.
    UnderPageTitle,
    /// Inside a section with its own `h2`: titles are `h3`.
    InSection,
}

/// The notices, each where the admin reads it. With `fold_errata` (automated mode, where
/// the assistant does the portal work the errata are about) the errata fold into one
/// disclosure; the checklist keeps them inline, where the admin acts on them.
#[component]
pub fn Notices(
    list: Memo<Checklist>,
    progress: RwSignal<SavedInputs>,
    placement: Placement,
    #[prop(optional)] fold_errata: bool,
) -> impl IntoView {
    view! {
        {move || {
            let notices = list.with(|l| l.notices.clone());
            let (errata, others): (Vec<Notice>, Vec<Notice>) = notices
                .into_iter()
                .partition(|n| fold_errata && matches!(n.kind, NoticeKind::Erratum(_)));
            let folded = (!errata.is_empty()).then(|| {
                let count = errata.len();
                view! {
                    <details class="guide-differences" data-testid="guide-differences">
                        <summary>{format!("Differences from the vendor's guide ({count})")}</summary>
                        {errata.into_iter().map(|notice| view! { <NoticeView notice progress placement/> }).collect_view()}
                    </details>
                }
            });
            (folded.is_some() || !others.is_empty()).then(|| view! {
                <section class="notices" aria-label="Notes on this guide">
                    {folded}
                    {others.into_iter().map(|notice| view! { <NoticeView notice progress placement/> }).collect_view()}
                </section>
            })
        }}
    }
}

#[component]
fn NoticeView(
    notice: Notice,
    progress: RwSignal<SavedInputs>,
    placement: Placement,
) -> impl IntoView {
    let class = match notice.kind {
        NoticeKind::Erratum(_) => "notice erratum",
        NoticeKind::LeastPrivilege => "notice least-privilege",
        NoticeKind::Skipped => "notice skipped",
        NoticeKind::Info => "notice info",
    };
    let switch = notice.kind.switch().map(|switch| {
        let label = switch.label();
        let checked = move || progress.with(|p| switch.is_on(&p.options));
        let toggle = move |_| {
            progress.update(|p| {
                let value = switch.flag(&mut p.options);
                *value = !*value;
            })
        };
        view! {
            <label class="switch no-print">
                <input type="checkbox" prop:checked=checked on:change=toggle/>
                " " {label}
            </label>
        }
    });
    view! {
        <aside class=class data-notice=notice.key>
            {match placement {
                Placement::UnderPageTitle => Either::Left(view! { <h2>{notice.title}</h2> }),
                Placement::InSection => Either::Right(view! { <h3>{notice.title}</h3> }),
            }}
            <p>{notice.text}</p>
            {switch}
        </aside>
    }
}
