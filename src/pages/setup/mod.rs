//! `/setup/:integration`: automated mode. Sign in (Authorization Code + PKCE), review what
//! will change in the tenant, apply it in one click, and leave with the values the vendor's
//! console asks for. Every Graph call is made from this page with the admin's own token.

mod adopt_form;
pub mod auth;
pub(crate) mod gate;
mod inputs_form;
mod intro;
mod mode;
mod plan_view;
mod result_view;
mod rotate_view;
mod run_view;
pub(crate) mod sign_in_view;
mod signed_out;

pub use signed_out::SetupSignedOutPage;

use entra_setup_core::automation::auth::scopes;
use entra_setup_core::automation::graph::RetryNotice;
use entra_setup_core::automation::host::Host;
use entra_setup_core::automation::provision::{
    self, Admin, Diff, ExecOptions, FinishLink, Inputs, Outcome, Report,
};
use entra_setup_core::catalog::Integration;
use entra_setup_core::plan::Plan;
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::browser::host::random_bytes;
use crate::browser::session_storage;
use crate::components::unknown_integration::for_integration;
use crate::route::Route;
use crate::saved_inputs::SavedInputs;
use auth::{Env, HOST};
use gate::{Gate, GateView};

#[component]
pub fn SetupPage(id: String) -> impl IntoView {
    for_integration(id, |integration| view! { <Setup integration/> })
}

/// What the run part of the page shows.
#[derive(Clone, PartialEq)]
pub(crate) enum Work {
    Idle,
    /// The tenant is being read; the wait before a call is sent again, when there is one.
    Reading(Option<RetryNotice>),
    Planned(Box<Diff>),
    Running(Box<Diff>),
    Finished(Box<Diff>, Box<Report>),
    Failed(String),
}

/// The run id survives a new sign-in in the middle of a run (not a secret), so the resumed
/// run recognises what the first attempt created.
fn run_id_key(integration_id: &str) -> String {
    format!("entra-setup-assistant.run/{integration_id}")
}

/// Whether a run of this integration started in this tab and has not finished (a pause
/// for a new sign-in, or a page reload in the middle).
pub(crate) fn run_interrupted(integration_id: &str) -> bool {
    session_storage::get::<String>(&run_id_key(integration_id)).is_some()
}

fn finish_key(integration_id: &str) -> String {
    format!("entra-setup-assistant.finish/{integration_id}")
}

/// Finish mode: the hand-off link (`?finish=<client id>&tenant=<tenant id>`) an
/// administrator opened. Kept in sessionStorage (not a secret) so that it survives the
/// sign-in round trip, which returns without the query.
fn finish_link(integration_id: &str) -> Option<FinishLink> {
    match FinishLink::from_query(&crate::browser::query()) {
        Some(link) => {
            let _ = session_storage::put(&finish_key(integration_id), &link);
            Some(link)
        }
        None => session_storage::get(&finish_key(integration_id)),
    }
}

/// The interrupted run's id, to finish it, or a fresh one. It is remembered once the run
/// starts (see `apply`), not when a plan is only reviewed.
fn run_id(integration_id: &str) -> Result<String, String> {
    if let Some(existing) = session_storage::get(&run_id_key(integration_id)) {
        return Ok(existing);
    }
    Ok(provision::execute::run_id_from_random(&random_bytes(12)?))
}

/// The tab's title on the setup page, signed in or not.
fn set_setup_title(integration: &Integration) {
    crate::pages::set_title(&format!(
        "Automated setup: {} ({})",
        integration.name, integration.vendor
    ));
}

/// What the setup page's sign-in asks for: a run's scopes, and when repairing a registration
/// (adopt mode) what removing consent beyond its entry needs.
pub(crate) fn wanted_scopes(plan: &Plan, adopting: bool) -> Vec<String> {
    if adopting {
        scopes::for_repair(plan, auth::cloud())
    } else {
        scopes::for_run(plan, auth::cloud())
    }
}

/// The plan for this page: the saved inputs with the chosen secret lifetime.
pub(crate) fn plan_of(
    integration: &'static Integration,
    saved: &SavedInputs,
    lifetime_days: u16,
) -> Plan {
    let mut plan = saved.plan(integration);
    if plan.secret_lifetime_days.is_some() {
        plan.secret_lifetime_days = Some(lifetime_days);
    }
    plan
}

#[component]
fn Setup(integration: &'static Integration) -> impl IntoView {
    let id = integration.id;
    set_setup_title(integration);
    let saved = RwSignal::new(SavedInputs::load(id));
    Effect::new(move |_| saved.with(|s| s.save(id)));
    let lifetime = RwSignal::new(entra_setup_core::plan::DEFAULT_SECRET_DAYS);
    let arrival = mode::arrival(id);
    // Once adopted, the registration is managed: later runs find it by its unique name.
    let adopt = RwSignal::new(arrival.adopt.clone());
    // Rotation is a run that adds a new secret; the old ones go once the admin confirms.
    let new_secret = RwSignal::new(arrival.rotate);
    let work = RwSignal::new(Work::Idle);
    // The Secret ID (not secret) of the last secret a run on this page added, and when: the
    // next review waits for the directory to show it instead of adding a second one, while
    // replication may still be behind it.
    let recent_secret = StoredValue::new(None::<(String, i64)>);
    let steps = RwSignal::new(Vec::<provision::Progress>::new());
    let plan = Memo::new(move |_| saved.with(|s| plan_of(integration, s, lifetime.get())));
    let finish = finish_link(id);
    let finish_for = finish.as_ref().map(|f| f.client_id.clone());
    let finishing = finish.is_some();
    let session = auth::use_session();

    let wanted =
        Signal::derive(move || plan.with(|p| wanted_scopes(p, adopt.with(Option::is_some))));

    let gate = Gate::new(Route::Setup(id.into()).path());
    let Gate { env, sign_in, .. } = gate;

    let review = Callback::new(move |()| {
        let (Some(env), Some(signed_in)) = (env.get_untracked(), session.get_untracked()) else {
            return;
        };
        let plan = plan.get_untracked();
        let run_id = match run_id(id) {
            Ok(run_id) => run_id,
            Err(why) => return work.set(Work::Failed(why)),
        };
        let mut inputs = inputs_for(&plan, &signed_in, &run_id, new_secret.get_untracked());
        inputs.finish_for = finish_for.clone();
        inputs.adopt = adopt.get_untracked();
        if let Some((key_id, at)) = recent_secret.get_value() {
            inputs.recent_secrets = vec![key_id];
            inputs.recent_secrets_at_ms = Some(at);
        }
        work.set(Work::Reading(None));
        spawn_local(async move {
            let tokens = auth::tokens(env, signed_in);
            let graph = provision_graph(env, &tokens);
            // A wait (throttling, or a replica not showing the secret the last run added,
            // which can take minutes) is said, not hidden behind "Reading your tenant…".
            let waiting = |notice| work.set(Work::Reading(Some(notice)));
            let observed = provision::observe_with(&graph, &plan, &inputs, &waiting).await;
            session.set(Some(tokens.session()));
            work.set(match observed {
                Ok(observed) => Work::Planned(Box::new(provision::diff(&plan, &inputs, &observed))),
                Err(why) => Work::Failed(why.to_string()),
            });
        });
    });

    let apply = Callback::new(move |diff: Box<Diff>| {
        let (Some(env), Some(signed_in)) = (env.get_untracked(), session.get_untracked()) else {
            return;
        };
        if let Err(why) = session_storage::put(&run_id_key(id), &diff.desired.run_id) {
            return work.set(Work::Failed(why));
        }
        work.set(Work::Running(diff.clone()));
        steps.set(Vec::new());
        spawn_local(async move {
            let tokens = auth::tokens(env, signed_in);
            let graph = provision_graph(env, &tokens);
            let origin = web_sys::window()
                .and_then(|w| w.location().origin().ok())
                .unwrap_or_default();
            let options = ExecOptions::new(env.config()).with_assistant_origin(origin);
            let publish = |progress: &provision::Progress| {
                steps.update(
                    |all| match all.iter_mut().find(|p| p.step == progress.step) {
                        Some(existing) => *existing = progress.clone(),
                        None => all.push(progress.clone()),
                    },
                );
            };
            let report = provision::execute(&graph, &diff, &options, &publish).await;
            if let Some(secret) = report.result().and_then(|r| r.secret.as_ref()) {
                recent_secret.set_value(Some((secret.key_id.clone(), HOST.now_ms())));
            }
            session.set(Some(tokens.session()));
            if !matches!(report.outcome, Outcome::Paused(_)) {
                // Done with this run: the next one starts afresh.
                session_storage::remove(&run_id_key(id));
            }
            if report.completed() {
                session_storage::remove(&finish_key(id));
                mode::done(id);
                adopt.set(None);
            }
            work.set(Work::Finished(diff, Box::new(report)));
        });
    });

    view! {
        <section class="page setup" data-integration=id>
            <intro::SetupIntro integration finish=finish.clone() adopt rotate=arrival.rotate
                on_new_instead=Callback::new(move |()| work.set(Work::Idle))/>
            <GateView gate integration=Some(integration) wanted>
                <sign_in_view::SignedInAs integration wanted sign_in/>
                // Finish mode keeps the registration as its admin made it: nothing to choose.
                {(!finishing).then(|| view! { <inputs_form::InputsForm integration saved lifetime new_secret plan/> })}
                {move || (!finishing && adopt.with(Option::is_none)).then(|| view! { <adopt_form::AdoptForm integration_id=id adopt work env/> })}
                <plan_view::PlanView plan wanted work review apply interrupted=run_interrupted(id)/>
                <run_view::RunView work steps/>
                <result_view::ResultView integration plan wanted saved work sign_in review env finishing new_secret/>
            </GateView>
        </section>
    }
}

/// What a run or a verification needs to know about who runs it and how.
pub(crate) fn inputs_for(
    plan: &Plan,
    session: &entra_setup_core::automation::auth::Session,
    run_id: &str,
    new_secret: bool,
) -> Inputs {
    let admin = Admin::from_claims(&session.claims);
    let mut inputs = Inputs::from_plan(plan, admin, HOST.now_ms(), run_id);
    inputs.new_secret_requested = new_secret;
    inputs.cloud = auth::cloud();
    inputs
}

pub(crate) type Tokens = entra_setup_core::automation::auth::SessionTokens<
    'static,
    auth::Fetch,
    crate::browser::host::BrowserHost,
>;

pub(crate) fn provision_graph<'a>(
    env: &'static Env,
    tokens: &'a Tokens,
) -> entra_setup_core::automation::graph::Graph<
    'a,
    auth::Fetch,
    crate::browser::host::BrowserHost,
    Tokens,
> {
    entra_setup_core::automation::graph::Graph::new(
        &env.config().graph_base_url,
        &auth::FETCH,
        &HOST,
        tokens,
    )
}
