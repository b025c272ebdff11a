//! `/checklist/:integration`: the offline checklist. No sign-in and no network: the steps
//! come from the catalog, ticks and typed IDs survive a reload, the secret does not.

pub(crate) mod added_permissions;
pub mod files;
pub(crate) mod notices;
mod steps;
pub(crate) mod values_form;

use entra_setup_core::catalog::{Integration, Trouble};
use entra_setup_core::checklist;
use entra_setup_core::validate;
use leptos::prelude::*;

use crate::components::downloads::Downloads;
use crate::components::later::Later;
use crate::components::unknown_integration::for_integration;
use crate::components::values_card::ValuesCardView;
use crate::route::Route;
use crate::router::Link;
use crate::saved_inputs::SavedInputs;

/// Renders the checklist page for `route` into the page host `host` (`page_module::mount_page`:
/// it replaces the prerendered page when built) and returns what keeps it mounted. `cloud`:
/// the cloud config.json names, once the automated-setup module has read it (the downloads
/// use its hosts). Anything but `/checklist/:id` renders nothing. Both the checklist module
/// (`src/bin/checklist.rs`) and the checklist app (`src/bin/checklist_app.rs`, as its
/// root, `ChecklistApp`) mount it.
pub fn mount(
    host: web_sys::HtmlElement,
    route: Route,
    cloud: Option<&str>,
) -> Box<dyn std::any::Any> {
    crate::configured_cloud::learn(cloud);
    // An `Option`, not an erased view: `AnyView` would add its own build and rebuild code
    // for the page's type (a few hundred bytes, measured).
    Box::new(crate::page_module::mount_page(host, move || match route {
        Route::Checklist(id) => Some(view! { <ChecklistPage id/> }),
        _ => None,
    }))
}

/// The guide's troubleshooting table, when it has one.
#[component]
fn Troubleshooting(rows: &'static [Trouble]) -> impl IntoView {
    (!rows.is_empty()).then(|| {
        view! {
            <section class="card troubleshooting">
                <h2>"Troubleshooting"</h2>
                <table>
                    <thead>
                        <tr><th scope="col">"Problem"</th><th scope="col">"What to check"</th></tr>
                    </thead>
                    <tbody>
                        {rows.iter().map(|t| view! {
                            <tr><td>{t.problem}</td><td>{t.what_to_check}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        }
    })
}

/// The page for an integration id, or the list of valid ids.
#[component]
pub fn ChecklistPage(id: String) -> impl IntoView {
    for_integration(id, |integration| view! { <Checklist integration/> })
}

#[component]
fn Checklist(integration: &'static Integration) -> impl IntoView {
    let id = integration.id;
    crate::pages::set_title(&format!(
        "Checklist: {} ({})",
        integration.name, integration.vendor
    ));
    let progress = RwSignal::new(SavedInputs::load(id));
    Effect::new(move |_| progress.with(|p| p.save(id)));
    // Memory only: never part of `SavedInputs`.
    let secret = RwSignal::new(String::new());

    let plan = Memo::new(move |_| progress.with(|p| p.plan(integration)));
    // The configured cloud (config.json as a setup page read it, or as the build did).
    let cloud = crate::configured_cloud::for_checklist();
    let list = Memo::new(move |_| plan.with(|p| checklist::build_in(integration, p, cloud)));
    let values = Memo::new(move |_| progress.with(|p| p.values(&secret.get())));
    let findings = Memo::new(move |_| {
        let mut all = plan.with(validate::plan);
        all.extend(plan.with(|p| values.with(|v| validate::values(integration, p, v))));
        // An empty box is not a mistake yet; the card shows what is missing.
        all.retain(validate::Finding::is_mistake);
        all
    });
    let (files, load_files) = files::prepared(id, progress, secret, cloud);

    // The rest of the page is built after the steps (`Later`).
    let after = list.with_untracked(steps::after);
    let total = move || list.with(|l| l.keys().len());
    let done = move || {
        list.with(|l| progress.with(|p| l.keys().iter().filter(|k| p.ticked.contains(*k)).count()))
    };
    let reset = move |_| {
        let confirmed = window()
            .confirm_with_message("Clear the ticks and the values typed for this checklist?")
            .unwrap_or(false);
        if confirmed {
            SavedInputs::clear(id);
            progress.set(SavedInputs::default());
            secret.set(String::new());
        }
    };

    view! {
        <section class="page checklist" data-integration=id>
            <p class="crumbs no-print"><Link to=Route::Home>"All integrations"</Link></p>
            <h1>"Checklist"</h1>
            <p class="subtitle">{move || list.with(|l| l.title.clone())}</p>
            <p class="lede">{integration.purpose}</p>
            <p class="source">
                "From the vendor's guide: " <cite>{integration.guide.title}</cite>
                ". Prefer not to click through the portal? "
                <Link to=Route::Setup(id.into())>"Prefer the automated setup?"</Link>
            </p>
            <div class="progress-bar no-print" data-testid="progress">
                <progress max=total value=done></progress>
                <span>{move || format!("{} of {} done", done(), total())}</span>
                <button type="button" class="secondary" on:click=move |_| { let _ = window().print(); }>"Print"</button>
                <button type="button" class="secondary" on:click=reset>"Reset progress"</button>
            </div>
            <Later part=1>
                <notices::Notices list progress placement=notices::Placement::UnderPageTitle/>
                <values_form::BeforeYouStart integration progress findings/>
                {(integration.custom || !integration.permissions_complete)
                    .then(|| view! { <added_permissions::AddedPermissions integration progress/> })}
            </Later>
            <steps::Steps list progress/>
            <Later part=after>
                <values_form::PastedValues integration progress secret findings/>
                {move || list.with(|l| view! { <ValuesCardView card=l.card.clone() values findings/> })}
                <section class="card next-step">
                    <h2>"Then, in " {integration.console.name}</h2>
                    <p>{move || list.with(|l| l.next_step.clone())}</p>
                </section>
                <Troubleshooting rows=list.with_untracked(|l| l.troubleshooting)/>
                <Downloads files near=load_files/>
            </Later>
        </section>
    }
}
