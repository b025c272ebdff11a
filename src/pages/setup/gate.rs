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

use super::auth::{self, Env, EnvError};
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
    pub env: RwSignal<Option<&'static Env>>,
    pub sign_in: Callback<Vec<String>>,
}

impl Gate {
    /// Loads the configuration and finishes a sign-in this page load returns from.
    pub fn new(return_path: String) -> Gate {
        let stage = RwSignal::new(Stage::Loading);
        let env = RwSignal::new(None::<&'static Env>);
        let session = auth::use_session();
        spawn_local(async move {
            match auth::env().await {
                Err(EnvError::NoClientId { config }) => stage.set(Stage::NeedsClientId(config)),
                Err(EnvError::Failed(why)) => stage.set(Stage::Unavailable(why)),
                Err(EnvError::Tenant { tenant, why }) => stage.set(Stage::TenantUnavailable {
                    error: SignInFailure {
                        details: Some(why),
                        ..SignInFailure::new(SignInProblem::TenantNotFound)
                    },
                    tenant,
                }),
                Ok(loaded) => {
                    env.set(Some(loaded));
                    match auth::finish_sign_in(loaded).await {
                        Some(Ok(signed_in)) => {
                            session.set(Some(signed_in));
                            stage.set(Stage::SignedIn);
                        }
                        Some(Err(error)) => stage.set(Stage::SignedOut { error: Some(error) }),
                        None if session.get_untracked().is_some() => stage.set(Stage::SignedIn),
                        None => stage.set(Stage::SignedOut { error: None }),
                    }
                }
            }
        });
        let sign_in = Callback::new(move |extra_scopes: Vec<String>| {
            let Some(env) = env.get_untracked() else {
                return;
            };
            let wanted = scopes::request(&extra_scopes, env.config.cloud);
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
        env,
        sign_in,
    } = gate;
    move || match stage.get() {
        Stage::Loading => view! { <p class="loading">"Loading…"</p> }.into_any(),
        Stage::Unavailable(why) => view! {
            <div class="error" role="alert">
                <p>"Automated mode is not available here: " {why}</p>
                <p>"The offline checklists work without it."</p>
            </div>
        }
        .into_any(),
        Stage::NeedsClientId(config) => view! { <sign_in_view::ClientIdForm config/> }.into_any(),
        Stage::SignedOut { error } => match env.get_untracked() {
            Some(env) => {
                view! { <sign_in_view::SignedOut integration wanted error sign_in env/> }.into_any()
            }
            None => {
                view! { <sign_in_view::SignedOut integration wanted error sign_in/> }.into_any()
            }
        },
        Stage::TenantUnavailable { tenant, error } => view! {
            <sign_in_view::SignedOut integration wanted error=Some(error) sign_in tenant/>
        }
        .into_any(),
        Stage::SignedIn => children().into_any(),
    }
}
