//! Signing in before a page that calls Graph: configuration, the client ID, the tenant, the
//! return from the sign-in page and the session. The setup page and the tenant health page
//! both stand behind it; each asks for its own scopes when it needs them (incremental
//! consent), through the one `sign_in` callback.

use entra_setup_core::automation::auth::tenant::Tenant;
use entra_setup_core::automation::auth::{scopes, SignInFailure, SignInProblem};
use entra_setup_core::automation::config::AppConfig;
use entra_setup_core::catalog::Integration;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::auth::{self, Configured, Env, EnvError};
use super::sign_in_view;

/// Where the page is, from loading to signed in.
#[derive(Clone, PartialEq)]
pub(crate) enum Stage {
    Loading,
    Unavailable(String),
    NeedsClientId(AppConfig),
    SignedOut {
        error: Option<SignInFailure>,
    },
    /// The tenant the admin named has no sign-in service: say so, let them change it.
    TenantUnavailable {
        tenant: Tenant,
        error: SignInFailure,
    },
    SignedIn,
}

/// A page's sign-in state, and how it signs in (with the scopes it passes, on top of the
/// sign-in's own), coming back to `return_path`.
#[derive(Clone, Copy)]
pub(crate) struct Gate {
    pub stage: RwSignal<Stage>,
    /// config.json as this browser completes it: the sign-in card needs no more.
    pub configured: RwSignal<Option<&'static Configured>>,
    /// With the sign-in service's endpoints: what signing in needs.
    pub env: RwSignal<Option<&'static Env>>,
    pub sign_in: Callback<Vec<String>>,
}

impl Gate {
    /// Loads the configuration and finishes a sign-in this page load returns from.
    pub fn new(return_path: String) -> Gate {
        let session = auth::use_session();
        // Nobody signed in and no sign-in to finish: the page is the sign-in card (the
        // page's largest text), and its buttons wait for config.json and the discovery
        // document, which comes from another origin (issue 10: LCP on a slow phone).
        let signed_out =
            move || session.get_untracked().is_none() && !crate::sign_in_return::has_response();
        // With a client ID known, the card paints at once, as the prerendered page shows it
        // (`crate::prerender`); without, config.json may call for the client ID form instead.
        let stage = RwSignal::new(if signed_out() && auth::client_id_expected() {
            Stage::SignedOut { error: None }
        } else {
            Stage::Loading
        });
        let configured = RwSignal::new(None::<&'static Configured>);
        let env = RwSignal::new(None::<&'static Env>);
        // Setting a stage the page is at already would build its view again, and an admin
        // typing in the sign-in card would lose the box they are in. The loading below may
        // outlive the page (the admin left it): then there is nothing to set (`try_`).
        let reach = move |next: Stage| {
            if stage.try_with_untracked(|now| *now != next) == Some(true) {
                stage.try_set(next);
            }
        };
        let unavailable = move |error: EnvError| match error {
            EnvError::NoClientId { config } => reach(Stage::NeedsClientId(config)),
            EnvError::Failed(why) => reach(Stage::Unavailable(why)),
            EnvError::Tenant { tenant, why } => reach(Stage::TenantUnavailable {
                error: SignInFailure {
                    details: Some(why),
                    ..SignInFailure::new(SignInProblem::TenantNotFound)
                },
                tenant,
            }),
        };
        spawn_local(async move {
            match auth::configured().await {
                Err(error) => return unavailable(error),
                Ok(read) => {
                    configured.try_set(Some(read));
                }
            }
            // config.json named the client ID the page could not know before: the card
            // shows now, without waiting for the discovery document.
            if signed_out() {
                reach(Stage::SignedOut { error: None });
            }
            match auth::env().await {
                Err(error) => unavailable(error),
                Ok(loaded) => {
                    env.try_set(Some(loaded));
                    match auth::finish_sign_in(loaded).await {
                        Some(Ok(signed_in)) => {
                            session.set(Some(signed_in));
                            reach(Stage::SignedIn);
                        }
                        Some(Err(error)) => reach(Stage::SignedOut { error: Some(error) }),
                        None if session.get_untracked().is_some() => reach(Stage::SignedIn),
                        None => reach(Stage::SignedOut { error: None }),
                    }
                }
            }
        });
        let sign_in = Callback::new(move |extra_scopes: Vec<String>| {
            let Some(env) = env.get_untracked() else {
                return;
            };
            let wanted = scopes::request(&extra_scopes, env.config().cloud);
            let hint = session
                .get_untracked()
                .and_then(|s| s.claims.preferred_username);
            if let Err(why) = auth::start_sign_in(env, wanted, &return_path, hint) {
                let error = SignInFailure {
                    details: Some(why),
                    ..SignInFailure::new(SignInProblem::Other)
                };
                stage.set(Stage::SignedOut { error: Some(error) });
            }
        });
        Gate {
            stage,
            configured,
            env,
            sign_in,
        }
    }
}

/// The page before sign-in (loading, configuration problems, the sign-in card), and
/// `children` once signed in. `integration`: the one a setup page registers (`None`: the
/// tenant health page); `wanted`: the scopes the page needs, asked for at sign-in.
#[component]
pub(crate) fn GateView(
    gate: Gate,
    integration: Option<&'static Integration>,
    wanted: Signal<Vec<String>>,
    children: ChildrenFn,
) -> impl IntoView {
    let Gate {
        stage,
        configured,
        env,
        sign_in,
    } = gate;
    let ready = Signal::derive(move || env.with(Option::is_some));
    move || {
        match stage.get() {
        Stage::Loading => view! { <p class="loading">"Loading…"</p> }.into_any(),
        Stage::Unavailable(why) => view! {
            <div class="error" role="alert">
                <p>"Automated mode is not available here: " {why}</p>
                <p>"The offline checklists work without it."</p>
            </div>
        }
        .into_any(),
        Stage::NeedsClientId(config) => view! { <sign_in_view::ClientIdForm config/> }.into_any(),
        Stage::SignedOut { error } => view! {
            <sign_in_view::SignedOut integration wanted error sign_in configured=configured.into() ready/>
        }
        .into_any(),
        Stage::TenantUnavailable { tenant, error } => view! {
            <sign_in_view::SignedOut integration wanted error=Some(error) sign_in
                configured=configured.into() ready=Signal::stored(false) tenant/>
        }
        .into_any(),
        Stage::SignedIn => children().into_any(),
    }
    }
}
