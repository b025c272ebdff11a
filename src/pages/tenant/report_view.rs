//! Core's health report, as rows grouped by vendor. Every sentence comes from core's
//! `Display`s; this file only lays them out and links repair and rotation.

use entra_setup_core::automation::provision::Arrival;
use entra_setup_core::health::{Report, Row, VendorGroup};
use leptos::prelude::*;

use super::Reading;
use crate::components::focus::focus_when_shown;
use crate::route::Route;
use crate::router::Link;

#[component]
pub fn ReportView(reading: RwSignal<Reading>, read: Callback<()>) -> impl IntoView {
    move || match reading.get() {
        Reading::Idle => ().into_any(),
        Reading::InProgress => view! { <Loading/> }.into_any(),
        Reading::Failed(why) => view! { <ReadFailed why read/> }.into_any(),
        Reading::Read(report) => view! { <Health report=*report read/> }.into_any(),
    }
}

#[component]
fn Loading() -> impl IntoView {
    view! { <p class="loading" data-testid="reading">"Reading the tenant…"</p> }
}

#[component]
fn ReadFailed(why: String, read: Callback<()>) -> impl IntoView {
    view! {
        <div class="error" role="alert" data-testid="read-failed" tabindex="-1" node_ref=focus_when_shown()>
            <p>{why}</p>
            <button type="button" on:click=move |_| read.run(())>"Read again"</button>
        </div>
    }
}

#[component]
fn Health(report: Report, read: Callback<()>) -> impl IntoView {
    let summary = report.to_string();
    let now = report.now.clone();
    let vendors = StoredValue::new(report.vendors);
    let query = RwSignal::new(String::new());
    // The groups with the rows the search finds (all of them for an empty search).
    let shown = move || {
        let q = query.get();
        vendors.with_value(|all| {
            all.iter()
                .map(|g| VendorGroup {
                    vendor: g.vendor,
                    rows: g.rows.iter().filter(|r| r.matches(&q)).cloned().collect(),
                })
                .filter(|g| !g.rows.is_empty())
                .collect::<Vec<_>>()
        })
    };
    view! {
        <section class="card health-summary" data-testid="health">
            <p data-testid="health-summary" tabindex="-1" node_ref=focus_when_shown()>{summary}</p>
            <p class="hint">{format!("Secrets judged at {now}.")}</p>
            <label class="search">
                <span class="label">"Find a registration by name or client ID"</span>
                <input type="search" data-testid="health-search" prop:value=query
                    on:input=move |ev| query.set(event_target_value(&ev))/>
            </label>
            <button type="button" class="secondary" on:click=move |_| read.run(())>"Read again"</button>
        </section>
        {move || {
            let groups = shown();
            if groups.is_empty() {
                view! { <p class="empty" data-testid="health-none-found">"No listed registration matches. A registration the list leaves out can be adopted from an integration's automated setup, by its client ID."</p> }.into_any()
            } else {
                groups.into_iter().map(|group| view! { <Vendor group/> }).collect_view().into_any()
            }
        }}
    }
}

#[component]
fn Vendor(group: VendorGroup) -> impl IntoView {
    view! {
        <section class="vendor-group" data-vendor=group.vendor>
            <h2>{group.vendor}</h2>
            <ul class="health-rows">
                {group.rows.into_iter().map(|row| view! { <HealthRow row/> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn HealthRow(row: Row) -> impl IntoView {
    let repair = row
        .adopt_for_repair()
        .map(Arrival::adopting)
        .unwrap_or_default()
        .to_query();
    let rotate = row.can_rotate().then(|| Arrival::rotating().to_query());
    let repair_label = row.repair_link().to_string();
    let to = Route::Setup(row.integration.to_owned());
    let lists: Vec<(String, &'static str, Vec<String>)> = row
        .permissions
        .lists()
        .into_iter()
        .map(|(kind, names)| (kind.to_string(), kind.code(), names.to_vec()))
        .collect();
    let uris = row.redirect.uris.join(", ");
    view! {
        <li class="health-row" data-app-id=row.app_id.clone() data-integration=row.integration
            data-healthy=row.healthy.to_string() data-secret=row.secret.state.to_string()>
            <h3>{row.display_name.clone()}</h3>
            <p class="hint">{format!("{} · client ID ", row.integration_name)} <code>{row.app_id.clone()}</code></p>
            <p data-testid="recognised">{row.recognised.to_string()}</p>
            {if row.healthy {
                view! { <p class="state" data-testid="healthy">"Healthy: nothing to do."</p> }.into_any()
            } else {
                view! {
                    <ul class="problems">
                        {row.problems.iter().map(|p| view! { <li data-problem=p.code()>{p.to_string()}</li> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <dl>
                <dt>"Client secret"</dt>
                <dd data-testid="secret-state">
                    {row.secret.to_string()}
                    {(row.secret.secrets.len() > 1).then(|| view! {
                        <ul>{row.secret.secrets.iter().map(|s| view! { <li>{s.to_string()}</li> }).collect_view()}</ul>
                    })}
                </dd>
                {lists.into_iter().map(|(label, code, names)| view! {
                    <dt>{label}</dt>
                    <dd data-list=code>{names.join(", ")}</dd>
                }).collect_view()}
                <dt>"Redirect URI"</dt>
                <dd data-testid="redirect-state">
                    {row.redirect.state.to_string()}
                    {(!uris.is_empty()).then(|| view! { ": " <code>{uris}</code> })}
                </dd>
            </dl>
            <p class="row-actions">
                <Link to=to.clone() query=repair class="button secondary">{repair_label}</Link>
                {rotate.map(|query| view! { <Link to=to.clone() query class="button secondary">"Rotate the secret"</Link> })}
            </p>
        </li>
    }
}
