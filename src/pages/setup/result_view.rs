//! The result: the values laid out as the vendor's console names them, the secret Value
//! shown once (never stored), downloads, the consent link when someone else must consent,
//! and "Verify", which re-reads the tenant check by check.

use entra_setup_core::automation::provision::{self, Check, Report, SetupResult};
use entra_setup_core::catalog::Integration;
use entra_setup_core::checklist;
use entra_setup_core::export;
use entra_setup_core::plan::Plan;
use entra_setup_core::time;
use entra_setup_core::validate;
use entra_setup_core::values::Values;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::{auth, inputs_for, provision_graph, Work};
use crate::components::copy_button::CopyButton;
use crate::components::downloads::Downloads;
use crate::components::export_card::ExportCardView;
use crate::saved_inputs::SavedInputs;
use crate::unsaved_secret;

#[component]
pub fn ResultView(
    integration: &'static Integration,
    plan: Memo<Plan>,
    saved: RwSignal<SavedInputs>,
    work: RwSignal<Work>,
    sign_in: Callback<Vec<String>>,
    env: RwSignal<Option<&'static auth::Env>>,
) -> impl IntoView {
    move || match work.get() {
        Work::Finished(_, report) => {
            Some(view! { <Finished integration plan saved report=*report sign_in env/> })
        }
        _ => None,
    }
}

#[component]
fn Finished(
    integration: &'static Integration,
    plan: Memo<Plan>,
    saved: RwSignal<SavedInputs>,
    report: Report,
    sign_in: Callback<Vec<String>>,
    env: RwSignal<Option<&'static auth::Env>>,
) -> impl IntoView {
    if let Some(why) = report.paused.clone() {
        return view! {
            <section class="card paused" role="alert" data-testid="paused">
                <h2>"Sign in again to finish"</h2>
                <p>{why}</p>
                <p>"Run the setup again after signing in: what is already done is recognised, not repeated."</p>
                <button type="button" on:click=move |_| sign_in.run(plan.with_untracked(|p| entra_setup_core::automation::auth::scopes::for_run(p, auth::cloud())))>
                    "Sign in again"
                </button>
            </section>
        }
        .into_any();
    }
    let Some(result) = report.result.clone() else {
        let why = report
            .stopped
            .clone()
            .unwrap_or_else(|| "The run stopped before it finished.".into());
        return view! {
            <section class="card stopped error" role="alert" data-testid="stopped">
                <p>{why}</p>
                <p>"Fix what the failed step says, then review and apply again: nothing done so far is repeated."</p>
            </section>
        }
        .into_any();
    };
    view! { <Values integration plan saved result env/> }.into_any()
}

#[component]
fn Values(
    integration: &'static Integration,
    plan: Memo<Plan>,
    saved: RwSignal<SavedInputs>,
    result: SetupResult,
    env: RwSignal<Option<&'static auth::Env>>,
) -> impl IntoView {
    let secret = result.secret.clone();
    // The run's values, plus the vendor's extra fields typed on this page.
    let from_run = result.to_values();
    let expires = from_run.secret_expires.clone();
    let values = Memo::new(move |_| Values {
        extra: saved.with(|s| s.values("").extra),
        ..from_run.clone()
    });
    let findings =
        Memo::new(move |_| plan.with(|p| values.with(|v| validate::values(integration, p, v))));
    let card = checklist::card(integration);

    // The Value exists only in this page: warn before it is left without a copy.
    let has_secret = secret.is_some();
    let saved_secret = RwSignal::new(!has_secret);
    unsaved_secret::guard(saved_secret);
    let mark_saved = Callback::new(move |()| saved_secret.set(true));

    let files = move || {
        plan.with(|p| {
            values.with(|v| {
                let mut files = vec![
                    export::values_env(integration, p, v),
                    export::values_json(integration, p, v),
                ];
                if let Some(s) = &secret {
                    files.push(export::secret_reminder_ics(
                        integration,
                        &p.display_name,
                        &v.client_id,
                        &v.tenant_id,
                        s.expires_at_ms,
                        js_sys::Date::now() as i64,
                    ));
                }
                files
            })
        })
    };

    let secret_note = match &result.secret {
        Some(s) => {
            let mut note = format!(
                "The client secret below is its Value (not the Secret ID {}). It is shown only now and is never stored: copy it or download the values file. It expires on {}.",
                s.key_id,
                time::UtcDateTime::from_unix_ms(s.expires_at_ms).date()
            );
            if let Some(asked) = s.shortened_from_days {
                note.push_str(&format!(
                    " Your tenant's policy refused {asked} days, so it lasts {} days.",
                    s.lifetime_days
                ));
            }
            note
        }
        None => "No new secret was added: the registration already has a valid one from this assistant. Tick \"Add a new secret\" and run again if you need its Value.".to_owned(),
    };

    view! {
        <section class="card result" data-testid="result">
            <h2>"Done: your values"</h2>
            <p class="secret-note" data-testid="secret-note">{secret_note}</p>
            {result.consent_url.clone().map(|url| view! {
                <div class="consent-link notice erratum" data-testid="consent-link">
                    <h3>"Admin consent still needed"</h3>
                    <p>{format!("Send this link to {}; once they accept, select Verify.", result.consent_who.clone().unwrap_or_default())}</p>
                    <p><a href=url.clone() target="_blank" rel="noopener noreferrer"><code>{url.clone()}</code></a></p>
                </div>
            })}
            <dl class="result-extras">
                {result.redirect_uri.clone().map(|uri| view! {
                    <dt>"Redirect URI"</dt>
                    <dd><code data-testid="redirect-uri">{uri.clone()}</code> <CopyButton value=Signal::derive(move || uri.clone()) label="Redirect URI"/></dd>
                })}
                {(!expires.is_empty()).then(|| view! {
                    <dt>"Secret expires"</dt>
                    <dd><code data-testid="secret-expires">{expires.clone()}</code></dd>
                })}
                <dt>"Scopes"</dt>
                <dd><code data-testid="scopes">{result.scopes.clone()}</code></dd>
            </dl>
        </section>
        <ExportCardView card values findings on_secret_copied=mark_saved/>
        <Downloads files=Signal::derive(files) on_saved=mark_saved/>
        <Verify plan env/>
    }
}

#[component]
fn Verify(plan: Memo<Plan>, env: RwSignal<Option<&'static auth::Env>>) -> impl IntoView {
    let checks = RwSignal::new(None::<Result<Vec<Check>, String>>);
    let running = RwSignal::new(false);
    let verify = move |_| {
        let (Some(env), Some(session)) = (env.get_untracked(), auth::session()) else {
            return;
        };
        let plan = plan.get_untracked();
        let inputs = inputs_for(&plan, &session, "verify", false);
        running.set(true);
        spawn_local(async move {
            let tokens = auth::tokens(env, session);
            let graph = provision_graph(env, &tokens);
            let result = provision::verify(&graph, &plan, &inputs)
                .await
                .map_err(|e| e.to_string());
            auth::set_session(Some(tokens.session()));
            checks.set(Some(result));
            running.set(false);
        });
    };
    view! {
        <section class="card verify" data-testid="verify">
            <h2>"Verify"</h2>
            <p class="hint">"Re-reads the registration and checks it against the catalog."</p>
            <button type="button" class="secondary" on:click=verify disabled=running>"Verify"</button>
            {move || checks.get().map(|result| match result {
                Err(why) => view! { <p class="error" role="alert">{why}</p> }.into_any(),
                Ok(checks) => {
                    let all_ok = checks.iter().all(|c| c.ok);
                    view! {
                        <p class="verify-summary" data-testid="verify-summary" data-ok=all_ok.to_string()>
                            {if all_ok { "Everything matches." } else { "Some checks failed:" }}
                        </p>
                        <ul class="checks">
                            {checks.into_iter().map(|c| view! {
                                <li class:ok=c.ok class:failed=!c.ok data-check=c.key>
                                    {if c.ok { "✓ " } else { "✗ " }} <strong>{c.title}</strong> ": " {c.detail}
                                </li>
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            })}
        </section>
    }
}
