use entra_setup_core::catalog::index::{self, Summary};
use leptos::prelude::*;

use crate::route::Route;
use crate::router::Link;

/// `/`: choose an integration, grouped by vendor, with a search box.
#[component]
pub fn HomePage() -> impl IntoView {
    let (query, set_query) = signal(String::new());
    let groups = move || group_by_vendor(query.with(|q| index::search(q).collect()));
    view! {
        <section class="page home">
            <h1>"Choose an integration"</h1>
            <p class="lede">
                "Register a Microsoft Entra ID app for a SaaS product: follow the offline checklist, "
                "or sign in and let the assistant create and verify it for you."
            </p>
            <label class="search">
                <span class="visually-hidden">"Search integrations"</span>
                <input
                    type="search"
                    placeholder="Search by product, vendor or purpose"
                    prop:value=query
                    on:input=move |ev| set_query.set(event_target_value(&ev))
                />
            </label>
            {move || {
                let groups = groups();
                if groups.is_empty() {
                    view! {
                        <p class="empty" data-testid="no-results">
                            "No integration matches. Try fewer words, or use "
                            <Link to=Route::Checklist("custom".into())>"Custom"</Link>
                            " to pick APIs and permissions yourself."
                        </p>
                    }
                        .into_any()
                } else {
                    groups.into_iter().map(|(vendor, items)| view! { <VendorGroup vendor items/> }).collect_view().into_any()
                }
            }}
        </section>
    }
}

#[component]
fn VendorGroup(vendor: &'static str, items: Vec<&'static Summary>) -> impl IntoView {
    view! {
        <section class="vendor-group" data-vendor=vendor>
            <h2>{vendor}</h2>
            <ul class="integration-list">
                {items
                    .into_iter()
                    .map(|s| {
                        view! {
                            <li data-integration=s.id>
                                <div class="integration-text">
                                    <span class="name">{s.name}</span>
                                    <span class="purpose">{s.purpose}</span>
                                </div>
                                <div class="integration-actions">
                                    <Link to=Route::Checklist(s.id.into()) class="button secondary">"Checklist"</Link>
                                    <Link to=Route::Setup(s.id.into()) class="button">"Automated setup"</Link>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
    }
}

/// Consecutive runs of one vendor (the index is already in vendor order).
fn group_by_vendor(items: Vec<&'static Summary>) -> Vec<(&'static str, Vec<&'static Summary>)> {
    let mut groups: Vec<(&'static str, Vec<&'static Summary>)> = Vec::new();
    for item in items {
        match groups.last_mut() {
            Some((vendor, members)) if *vendor == item.vendor => members.push(item),
            _ => groups.push((item.vendor, vec![item])),
        }
    }
    groups
}
