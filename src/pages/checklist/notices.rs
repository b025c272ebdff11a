//! What the guide gets wrong or leaves out, with our fix, and for the errata that allow
//! it, a switch to follow the guide literally instead.

use entra_setup_core::catalog::ErratumKind;
use entra_setup_core::checklist::{Checklist, Notice, NoticeKind};
use entra_setup_core::plan::Options;
use leptos::either::Either;
use leptos::prelude::*;

use crate::saved_inputs::SavedInputs;

/// Picks one flag out of the plan options.
type OptionFlag = fn(&mut Options) -> &mut bool;

/// The option that follows the guide literally for a kind of notice, with its label.
fn literal_switch(kind: NoticeKind) -> Option<(&'static str, OptionFlag)> {
    match kind {
        NoticeKind::Erratum(ErratumKind::RetiredApi) => Some((
            "Follow the guide literally: leave out the Microsoft Graph equivalents",
            |o| &mut o.literal_retired_apis,
        )),
        NoticeKind::Erratum(ErratumKind::PermissionType) => Some((
            "Follow the guide literally: use its permission types",
            |o| &mut o.literal_permission_types,
        )),
        NoticeKind::Erratum(ErratumKind::SecretExpiry) => Some((
            "Follow the guide as closely as possible: the longest lifetime the portal allows",
            |o| &mut o.literal_secret_expiry,
        )),
        NoticeKind::LeastPrivilege => Some(("Leave out the redundant permissions", |o| {
            &mut o.drop_redundant
        })),
        _ => None,
    }
}

/// Where the notices sit in the page's outline, so their titles keep heading levels in
/// order (screen readers navigate by them; axe's `heading-order`).
#[derive(Clone, Copy)]
pub enum Placement {
    /// Right under the page's `h1`: titles are `h2`.
    UnderPageTitle,
    /// Inside a section with its own `h2`: titles are `h3`.
    InSection,
}

#[component]
pub fn Notices(
    list: Memo<Checklist>,
    progress: RwSignal<SavedInputs>,
    placement: Placement,
) -> impl IntoView {
    view! {
        {move || {
            let notices = list.with(|l| l.notices.clone());
            (!notices.is_empty()).then(|| view! {
                <section class="notices" aria-label="Notes on this guide">
                    {notices.into_iter().map(|notice| view! { <NoticeView notice progress placement/> }).collect_view()}
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
    let switch = literal_switch(notice.kind).map(|(label, flag)| {
        let checked = move || progress.with(|p| *flag(&mut p.options.clone()));
        let toggle = move |_| {
            progress.update(|p| {
                let value = flag(&mut p.options);
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
