//! Before the run: the client ID (when the host configured none), signing in, and asking
//! for the extra permissions this integration needs (incremental consent).

use entra_setup_core::automation::auth::scopes;
use entra_setup_core::automation::config::AppConfig;
use entra_setup_core::catalog::Integration;
use entra_setup_core::plan::Plan;
use leptos::prelude::*;

use super::auth;
use crate::route::Route;
use crate::router::Link;

/// Asks for the client ID of the assistant's own registration, which this host did not
/// configure. It is kept in this browser (it is not a secret).
#[component]
pub fn ClientIdForm(config: AppConfig) -> impl IntoView {
    let (value, set_value) = signal(String::new());
    let (problem, set_problem) = signal(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match auth::remember_client_id(&config, &value.get_untracked()) {
            Ok(()) => {
                let _ = window().location().reload();
            }
            Err(why) => set_problem.set(Some(why)),
        }
    };
    view! {
        <section class="card client-id">
            <h2>"One-time set-up: the assistant's own app registration"</h2>
            <p>
                "This copy of Entra Setup Assistant has no client ID configured. Register the assistant in your tenant "
                "once (a single-page application, delegated permissions only), then enter its Application (client) ID here. "
                "It is kept in this browser; it is not a secret."
            </p>
            <p><Link to=Route::Checklist("entra-setup-assistant".into())>"How to register Entra Setup Assistant (checklist)"</Link></p>
            <form on:submit=save>
                <label class="text-field">
                    <span class="label">"Application (client) ID of Entra Setup Assistant"</span>
                    <input type="text" autocomplete="off" prop:value=value on:input=move |ev| set_value.set(event_target_value(&ev))/>
                </label>
                <button type="submit">"Save"</button>
            </form>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
        </section>
    }
}

#[component]
pub fn SignedOut(
    integration: &'static Integration,
    error: Option<String>,
    sign_in: Callback<Vec<String>>,
) -> impl IntoView {
    view! {
        <section class="card sign-in">
            {error.map(|e| view! { <p class="error" role="alert" data-testid="sign-in-error">{e}</p> })}
            <h2>"Sign in"</h2>
            <p>
                "Sign in with a work account of the tenant where " {integration.vendor} " should be registered. "
                "At first the assistant only asks to read your profile ("
                <code>{scopes::sign_in(auth::cloud()).join(" ")}</code>
                "); it asks for permission to manage app registrations when you start the setup."
            </p>
            <p class="hint">"Your sign-in stays in this tab's memory: reloading the page signs you out. Nothing is sent anywhere but Microsoft."</p>
            <button type="button" on:click=move |_| sign_in.run(Vec::new())>"Sign in with Microsoft"</button>
        </section>
    }
}

/// Who is signed in, and the permissions this integration's setup still needs from them.
#[component]
pub fn SignedInAs(
    integration: &'static Integration,
    plan: Memo<Plan>,
    sign_in: Callback<Vec<String>>,
) -> impl IntoView {
    let session = auth::session();
    let who = session.as_ref().map(|s| {
        let name = s.claims.name.clone().unwrap_or_default();
        let upn = s.claims.preferred_username.clone().unwrap_or_default();
        format!("{name} ({upn}), tenant {}", s.claims.tid)
    });
    let missing = move || {
        let wanted = plan.with(|p| scopes::for_run(p, auth::cloud()));
        auth::session()
            .map(|s| s.missing_scopes(&wanted, auth::cloud()))
            .unwrap_or(wanted)
    };
    let sign_out = move |_| {
        auth::set_session(None);
        let _ = window().location().reload();
    };
    view! {
        <section class="card signed-in">
            <p>"Signed in as " <strong data-testid="signed-in-as">{who}</strong> " "
                <button type="button" class="link-button" on:click=sign_out>"Sign out"</button>
            </p>
            {move || {
                let missing = missing();
                (!missing.is_empty()).then(|| view! {
                    <div class="consent-needed" data-testid="more-permissions">
                        <p>
                            "To set up " {integration.name} ", the assistant needs you to allow: "
                            <code>{missing.join(" ")}</code>
                            ". These act only with your own rights, in this browser tab."
                        </p>
                        <button type="button" on:click=move |_| sign_in.run(plan.with_untracked(|p| scopes::for_run(p, auth::cloud())))>
                            "Allow and continue"
                        </button>
                    </div>
                })
            }}
        </section>
    }
}
