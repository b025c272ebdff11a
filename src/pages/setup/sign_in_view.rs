//! Before the run: the client ID (when the host configured none), signing in, and asking
//! for the extra permissions this integration needs (incremental consent).

use entra_setup_core::automation::auth::tenant::{Tenant, OVERVIEW_GUIDS};
use entra_setup_core::automation::auth::{scopes, SignInFailure};
use entra_setup_core::automation::config::AppConfig;
use entra_setup_core::catalog::Integration;
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
    let session = auth::use_session();
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let signed_in = session.get_untracked();
        match auth::remember_client_id(&config, &value.get_untracked(), signed_in.as_ref()) {
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
                "This copy of Entra Setup Assistant has no client ID configured. Register the assistant "
                "once (a multitenant single-page application, delegated permissions only), then enter its Application (client) ID here. "
                "It is kept in this browser; it is not a secret."
            </p>
            <p class="hint">{OVERVIEW_GUIDS}</p>
            <p><Link to=Route::Checklist("entra-setup-assistant".into())>"How to register Entra Setup Assistant (checklist)"</Link></p>
            <form on:submit=save>
                <label class="text-field">
                    <span class="label">"Application (client) ID of Entra Setup Assistant"</span>
                    <input type="text" autocomplete="off" data-testid="client-id-input" prop:value=value on:input=move |ev| set_value.set(event_target_value(&ev))/>
                </label>
                <button type="submit">"Save"</button>
            </form>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert">{p}</p> })}
        </section>
    }
}

/// A failed sign-in: what happened and what to do (core's message), Microsoft's own code
/// and text on a details line, and, when the client ID is the likely cause, a way to change it.
#[component]
fn SignInProblem(failure: SignInFailure, client_id_from_browser: bool) -> impl IntoView {
    let suspect = failure.problem.client_id_suspect();
    view! {
        <div class="error" role="alert" data-testid="sign-in-error">
            <p>{failure.to_string()}</p>
            {failure.details.clone().map(|d| view! { <p class="details" data-testid="sign-in-error-details">"Details from Microsoft: " <code>{d}</code></p> })}
            {(suspect && client_id_from_browser).then(|| view! {
                <button type="button" data-testid="change-client-id" on:click=move |_| change_client_id()>"Change the client ID"</button>
            })}
            {(suspect && !client_id_from_browser).then(|| view! {
                <p>"This site's config.json sets the client ID: ask whoever hosts this site to check its client_id."</p>
            })}
        </div>
    }
}

fn change_client_id() {
    auth::forget_client_id();
    let _ = window().location().reload();
}

/// The tenant to sign in to: "my organization" (config.json's authority) by default, or a
/// tenant the admin names (a guest admin or an MSP must: the sign-in otherwise lands in
/// their home tenant). Kept in this browser; the page reloads to use it.
#[component]
pub fn TenantChooser(current: Option<Tenant>) -> impl IntoView {
    let (value, set_value) = signal(
        current
            .as_ref()
            .map(|t| t.as_str().to_owned())
            .unwrap_or_default(),
    );
    let (problem, set_problem) = signal(None::<String>);
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match auth::choose_tenant(&value.get_untracked()) {
            Ok(()) => {
                let _ = window().location().reload();
            }
            Err(why) => set_problem.set(Some(why)),
        }
    };
    let now = match &current {
        Some(t) => format!("Signing in to tenant {t}."),
        None => "Signing in to your own organization (the tenant of the account you sign in with)."
            .to_owned(),
    };
    view! {
        <form class="tenant-choice" on:submit=save>
            <p data-testid="tenant-choice">{now}</p>
            <label class="text-field">
                <span class="label">"Tenant (optional)"</span>
                <input type="text" autocomplete="off" placeholder="contoso.onmicrosoft.com or tenant ID" data-testid="tenant-input"
                    prop:value=value on:input=move |ev| set_value.set(event_target_value(&ev))/>
            </label>
            <button type="submit" class="secondary">"Use this tenant"</button>
            <p class="hint">
                "Leave it empty for your own organization. A guest admin, or a partner managing a customer, enters the customer's "
                "domain (for example contoso.onmicrosoft.com) or Directory (tenant) ID: everything is then created in that tenant. "
                "Kept in this browser; not a secret."
            </p>
            {move || problem.get().map(|p| view! { <p class="field-error" role="alert" data-testid="tenant-error">{p}</p> })}
        </form>
    }
}

/// The client ID an admin typed, with a way to change it (config.json's cannot be changed here).
#[component]
fn ClientIdInBrowser(client_id: String) -> impl IntoView {
    view! {
        <p class="hint client-id-stored" data-testid="client-id-stored">
            "Assistant's client ID (kept in this browser): " <code>{client_id}</code> " "
            <button type="button" class="link-button" on:click=move |_| change_client_id()>"Change or clear"</button>
        </p>
    }
}

#[component]
pub fn SignedOut(
    /// The integration a setup page registers; `None`: the tenant health page.
    integration: Option<&'static Integration>,
    /// What the page needs: the one sign-in asks for it, since the admin came to do what the
    /// page does (issue 10: no second round trip unless they choose the minimal sign-in).
    wanted: Signal<Vec<String>>,
    error: Option<SignInFailure>,
    sign_in: Callback<Vec<String>>,
    /// config.json as this browser completes it (`None`: not read yet).
    configured: Signal<Option<&'static auth::Configured>>,
    /// Whether the sign-in service's endpoints are known: the buttons wait for them.
    ready: Signal<bool>,
    /// The chosen tenant, when its sign-in service could not be loaded.
    #[prop(optional)]
    tenant: Option<Tenant>,
) -> impl IntoView {
    let from_browser = configured.with_untracked(|c| c.is_some_and(|c| c.client_id_from_browser));
    // What this browser keeps (config.json only makes the authority tenant-specific).
    let current_tenant = tenant.or_else(auth::chosen_tenant);
    let stored_id = move || {
        configured.with(|c| {
            c.filter(|c| c.client_id_from_browser)
                .and_then(|c| c.config.client_id.clone())
        })
    };
    let (whose, what, effect) = match integration {
        Some(i) => (
            format!("Sign in with a work account that administers the tenant where {} should be registered. ", i.vendor),
            format!("Signing in also asks you to allow what setting up {} needs: ", i.name),
            ". These act only with your own rights, in this browser tab.",
        ),
        None => (
            "Sign in with a work account that can read the tenant's app registrations. ".to_owned(),
            "Signing in also asks you to allow reading app registrations and the directory: ".to_owned(),
            ". Nothing is changed.",
        ),
    };
    view! {
        <section class="card sign-in">
            {error.map(|failure| view! { <SignInProblem failure client_id_from_browser=from_browser/> })}
            <h2>"Sign in"</h2>
            <p>
                {whose} {what}
                <code data-testid="sign-in-scopes">{move || scopes::request(&wanted.get(), auth::cloud()).join(" ")}</code>
                {effect}
            </p>
            <TenantChooser current=current_tenant/>
            <p class="hint">"Your sign-in stays in this tab's memory: reloading the page signs you out. Nothing is sent anywhere but Microsoft."</p>
            <button type="button" disabled=move || !ready.get() on:click=move |_| sign_in.run(wanted.get_untracked())>
                "Sign in with Microsoft"
            </button>
            <p class="hint">
                "Or "
                <button type="button" class="link-button" data-testid="minimal-sign-in" disabled=move || !ready.get() on:click=move |_| sign_in.run(Vec::new())>
                    "sign in to read your profile only"
                </button>
                " (" <code>{scopes::sign_in(auth::cloud()).join(" ")}</code>
                "); the assistant then asks for the rest when you need it."
            </p>
            {move || stored_id().map(|client_id| view! { <ClientIdInBrowser client_id/> })}
        </section>
    }
}

/// Who is signed in, and the permissions this integration's setup still needs from them.
#[component]
pub fn SignedInAs(
    integration: &'static Integration,
    /// What the page's sign-in asks for.
    wanted: Signal<Vec<String>>,
    sign_in: Callback<Vec<String>>,
) -> impl IntoView {
    view! {
        <SignedInFor wanted sign_in lands="Everything this setup creates lands in "
            purpose=format!("To set up {}", integration.name)/>
    }
}

/// Who is signed in, where, and what `wanted` still lacks (asked for with `sign_in`).
/// `lands`: what happens in the tenant, leading its name; `purpose`: why `wanted` is asked.
#[component]
pub fn SignedInFor(
    wanted: Signal<Vec<String>>,
    sign_in: Callback<Vec<String>>,
    lands: &'static str,
    purpose: String,
) -> impl IntoView {
    let state = auth::use_session();
    let session = state.get_untracked();
    let who = session.as_ref().map(|s| {
        let name = s.claims.name.clone().unwrap_or_default();
        let upn = s.claims.preferred_username.clone().unwrap_or_default();
        format!("{name} ({upn}), tenant {}", s.claims.tid)
    });
    // Where objects will land: the ID token's tid, and the tenant the admin named.
    let chosen = auth::chosen_tenant();
    let tenant = session.as_ref().map(|s| match &chosen {
        Some(t) if t.as_str() != s.claims.tid => format!("{t} (tenant ID {})", s.claims.tid),
        _ => format!("tenant ID {}", s.claims.tid),
    });
    let home = session
        .as_ref()
        .and_then(|s| s.claims.preferred_username.clone())
        .and_then(|upn| upn.rsplit_once('@').map(|(_, d)| d.to_owned()));
    let missing = move || {
        let wanted = wanted.get();
        state.with_session(|s| match s {
            Some(s) => s.missing_scopes(&wanted, auth::cloud()),
            None => wanted,
        })
    };
    let sign_out = move |_| {
        // Asked here, with the reason, rather than by the browser's generic leave dialog.
        if crate::unsaved_secret::confirm_leave() {
            auth::sign_out(state, auth::loaded_env());
        }
    };
    view! {
        <section class="card signed-in">
            <p>"Signed in as " <strong data-testid="signed-in-as">{who}</strong> " "
                <button type="button" class="link-button" data-testid="sign-out" on:click=sign_out>"Sign out"</button>
            </p>
            <p data-testid="signed-in-tenant">
                {lands} <strong>{tenant}</strong>
                {chosen.is_some().then_some(" (the tenant you named; sign out and clear it to use your own organization)")}
                {home.map(|d| format!(". Your account: {d}."))}
            </p>
            {move || {
                let missing = missing();
                let purpose = purpose.clone();
                (!missing.is_empty()).then(|| view! {
                    <div class="consent-needed" data-testid="more-permissions">
                        <p>
                            {purpose} ", the assistant needs you to allow: "
                            <code>{missing.join(" ")}</code>
                            ". These act only with your own rights, in this browser tab."
                        </p>
                        <button type="button" on:click=move |_| sign_in.run(wanted.get_untracked())>
                            "Allow and continue"
                        </button>
                    </div>
                })
            }}
        </section>
    }
}
