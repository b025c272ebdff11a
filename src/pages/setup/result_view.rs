//! The result: the values laid out as the vendor's console names them, the secret Value
//! shown once (never stored), downloads, the consent link when someone else must consent,
//! and "Verify", which re-reads the tenant check by check.

use entra_setup_core::automation::provision::{self, Check, Outcome, Report, SetupResult};
use entra_setup_core::catalog::Integration;
use entra_setup_core::checklist;
use entra_setup_core::export;
use entra_setup_core::plan::Plan;
use entra_setup_core::time;
use entra_setup_core::validate;
use entra_setup_core::values::Values;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::rotate_view::RemoveOldSecrets;
use super::{auth, inputs_for, provision_graph, Work};
use crate::components::copy_button::CopyButton;
use crate::components::downloads::Downloads;
use crate::components::focus::focus_when_shown;
use crate::components::values_card::ValuesCardView;
use crate::saved_inputs::SavedInputs;
use crate::unsaved_secret;

#[component]
pub fn ResultView(
    integration: &'static Integration,
    plan: Memo<Plan>,
    /// What the page's sign-in asks for.
    wanted: Signal<Vec<String>>,
    saved: RwSignal<SavedInputs>,
    work: RwSignal<Work>,
    sign_in: Callback<Vec<String>>,
    review: Callback<()>,
    env: RwSignal<Option<&'static auth::Env>>,
    /// Finish mode: an administrator completing someone else's setup (no values to hand
    /// over: the secret stays with whoever made it).
    finishing: bool,
    /// The run added a new secret on purpose (rotation): the old ones are offered for
    /// removal once the vendor has the new Value.
    new_secret: RwSignal<bool>,
) -> impl IntoView {
    move || match work.get() {
        Work::Finished(_, report) => {
            let rotating = new_secret.get_untracked();
            Some(
                view! { <Finished integration plan wanted saved report=*report sign_in review env finishing rotating/> },
            )
        }
        _ => None,
    }
}

/// What is incomplete, step by step, with Graph's words and what to do.
#[component]
fn Incomplete(report: Report, review: Callback<()>) -> impl IntoView {
    let failed: Vec<(String, String)> = report
        .failed_steps()
        .map(|p| {
            let why = match &p.status {
                provision::StepStatus::Failed(f) => format!("{} {}", f.message, f.what_to_do),
                _ => String::new(),
            };
            (p.title.clone(), why)
        })
        .collect();
    view! {
        <section class="card incomplete error" role="alert" data-testid="incomplete">
            <h2 tabindex="-1" node_ref=focus_when_shown()>"Not finished: the registration does not work yet"</h2>
            <p>{format!("{} step(s) failed:", failed.len().max(1))}</p>
            <ul class="failed-steps">
                {failed.into_iter().map(|(title, why)| view! { <li><strong>{title}</strong> ": " {why}</li> }).collect_view()}
            </ul>
            <p>"Finish the setup: it is read again and only what is missing is done; nothing is created twice."</p>
            <button type="button" data-testid="finish-setup" on:click=move |_| review.run(())>"Finish the setup"</button>
        </section>
    }
}

#[component]
fn Finished(
    integration: &'static Integration,
    plan: Memo<Plan>,
    wanted: Signal<Vec<String>>,
    saved: RwSignal<SavedInputs>,
    report: Report,
    sign_in: Callback<Vec<String>>,
    review: Callback<()>,
    env: RwSignal<Option<&'static auth::Env>>,
    finishing: bool,
    rotating: bool,
) -> impl IntoView {
    let state = match report.outcome.clone() {
        Outcome::Paused(why) => {
            return view! {
                <section class="card paused" role="alert" data-testid="paused">
                    <h2 tabindex="-1" node_ref=focus_when_shown()>"Sign in again to finish"</h2>
                    <p>{why.to_string()}</p>
                    <p>"Run the setup again after signing in: what is already done is recognised, not repeated."</p>
                    <button type="button" on:click=move |_| sign_in.run(wanted.get_untracked())>
                        "Sign in again"
                    </button>
                </section>
            }
            .into_any();
        }
        Outcome::Stopped(why) => {
            return view! {
                <section class="card stopped error" role="alert" data-testid="stopped" tabindex="-1" node_ref=focus_when_shown()>
                    <p>{why}</p>
                    <p>"Fix what it says, then review and apply again: nothing done so far is repeated."</p>
                </section>
            }
            .into_any();
        }
        Outcome::Incomplete(None) => {
            return view! { <Incomplete report review/> }.into_any();
        }
        Outcome::Incomplete(Some(result)) => (ValuesState::NotWorking, result),
        Outcome::AwaitingConsent(result) => (ValuesState::AwaitingConsent, result),
        Outcome::Completed(result) => (ValuesState::Working, result),
    };
    let (state, result) = state;
    if finishing && state == ValuesState::Working {
        return view! {
            <section class="card result finished" data-testid="finished">
                <h2 tabindex="-1" node_ref=focus_when_shown()>"Finished"</h2>
                <p>"Everything the registration needed is in place. Tell the administrator who sent you the link: they can select Verify and paste their values into the vendor's console."</p>
            </section>
            <Verify plan env/>
        }
        .into_any();
    }
    view! {
        {(state == ValuesState::NotWorking).then(|| view! { <Incomplete report=report.clone() review/> })}
        <Values integration plan saved result state env rotating/>
    }
    .into_any()
}

/// Whether the values on the card work yet, said before anyone pastes them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum ValuesState {
    Working,
    AwaitingConsent,
    NotWorking,
}

#[component]
fn Values(
    integration: &'static Integration,
    plan: Memo<Plan>,
    saved: RwSignal<SavedInputs>,
    result: SetupResult,
    state: ValuesState,
    env: RwSignal<Option<&'static auth::Env>>,
    rotating: bool,
) -> impl IntoView {
    let secret = result.secret.clone();
    let rotation = secret
        .as_ref()
        .filter(|_| rotating && state != ValuesState::NotWorking)
        .map(|s| {
            (
                result.application_object_id.clone(),
                plan.with_untracked(|p| p.display_name.clone()),
                s.key_id.clone(),
            )
        });
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
    // Only a file that holds the Value keeps it (the .env and JSON values files do; the
    // .ics reminder does not).
    let value = secret.as_ref().map(|s| s.value.expose().to_owned());
    let mark_saved_if_inside = Callback::new(move |content: String| {
        if value
            .as_deref()
            .is_some_and(|v| !v.is_empty() && content.contains(v))
        {
            saved_secret.set(true);
        }
    });

    let files = move || {
        plan.with(|p| {
            values.with(|v| {
                let mut files = vec![
                    export::values_env(integration, p, v)?,
                    export::values_json(integration, p, v)?,
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
                Ok::<_, export::ExportError>(files)
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

    // When the run is not working, the failed steps above come first and take the focus.
    let heading = match state {
        ValuesState::NotWorking => NodeRef::new(),
        ValuesState::Working | ValuesState::AwaitingConsent => focus_when_shown(),
    };
    view! {
        <section class="card result" data-testid="result" data-state=match state {
            ValuesState::Working => "working",
            ValuesState::AwaitingConsent => "awaiting-consent",
            ValuesState::NotWorking => "not-working",
        }>
            <h2 tabindex="-1" node_ref=heading>{match state {
                ValuesState::Working => "Done: your values",
                ValuesState::AwaitingConsent => "Almost done: your values, once consent is granted",
                ValuesState::NotWorking => "Not working yet: keep these values, but do not paste them into the vendor until the setup is finished",
            }}</h2>
            <p class="secret-note" data-testid="secret-note">{secret_note}</p>
            {has_secret.then(|| view! {
                <label class="inline secret-stored no-print">
                    <input type="checkbox" data-testid="secret-stored" prop:checked=saved_secret
                        on:change=move |ev| saved_secret.set(event_target_checked(&ev))/>
                    " I have stored the secret (in a password manager or the vendor's console)"
                </label>
            })}
            {result.consent.clone().map(|hand_off| view! {
                <div class="consent-link notice erratum" data-testid="consent-link">
                    <h3>"Admin consent still needed"</h3>
                    <p>{format!("Send this link to {}; once they have finished, select Verify.", hand_off.who)}</p>
                    <p><a href=hand_off.url.clone() target="_blank" rel="noopener noreferrer"><code>{hand_off.url.clone()}</code></a></p>
                    <p class="hint">{hand_off.how.clone()}</p>
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
        <ValuesCardView card values findings on_secret_copied=mark_saved/>
        <Downloads files=Signal::derive(move || Some(files().map_err(|e| e.to_string()))) on_saved=mark_saved_if_inside/>
        {rotation.map(|(app_object_id, app_name, new_key_id)| view! {
            <RemoveOldSecrets app_object_id app_name new_key_id env/>
        })}
        <Verify plan env/>
    }
}

#[component]
fn Verify(plan: Memo<Plan>, env: RwSignal<Option<&'static auth::Env>>) -> impl IntoView {
    let checks = RwSignal::new(None::<Result<Vec<Check>, String>>);
    let running = RwSignal::new(false);
    let session = auth::use_session();
    let verify = move |_| {
        let (Some(env), Some(signed_in)) = (env.get_untracked(), session.get_untracked()) else {
            return;
        };
        let plan = plan.get_untracked();
        let inputs = inputs_for(&plan, &signed_in, "verify", false);
        running.set(true);
        spawn_local(async move {
            let tokens = auth::tokens(env, signed_in);
            let graph = provision_graph(env, &tokens);
            let result = provision::verify(&graph, &plan, &inputs)
                .await
                .map_err(|e| e.to_string());
            session.set(Some(tokens.session()));
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
                // The button is disabled while checking, which takes its focus away: focus
                // goes to the answer.
                Err(why) => view! { <p class="error" role="alert" tabindex="-1" node_ref=focus_when_shown()>{why}</p> }.into_any(),
                Ok(checks) => {
                    let all_ok = checks.iter().all(|c| c.ok);
                    view! {
                        <p class="verify-summary" data-testid="verify-summary" data-ok=all_ok.to_string() tabindex="-1" node_ref=focus_when_shown()>
                            {if all_ok { "Everything matches." } else { "Some checks failed:" }}
                        </p>
                        {(!all_ok).then(|| view! {
                            <p class="hint">"Changes made in the last few minutes (by you or by the administrator you sent a link to) can take that long to reach every Microsoft Entra replica: if that is the case, select Verify again in a minute."</p>
                        })}
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
