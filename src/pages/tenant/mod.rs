//! `/tenant`: tenant health. Signed in with read-only permissions (asked for incrementally),
//! the page reads the tenant's registrations, service principals and grants through core's
//! `health_read` and shows core's `health::assess` report: one row per registration that
//! serves a catalog integration, grouped by vendor, with links to repair and rotate.

mod report_view;

use entra_setup_core::automation::health_read;
use entra_setup_core::automation::host::Host;
use entra_setup_core::health::{self, Report};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::pages::setup::auth::{self, HOST};
use crate::pages::setup::gate::{Gate, GateView, Stage};
use crate::pages::setup::provision_graph;
use crate::pages::setup::sign_in_view::SignedInFor;
use crate::route::Route;
use crate::router::Link;

/// The read, from nothing to a report.
#[derive(Clone, PartialEq)]
pub(crate) enum Reading {
    Idle,
    InProgress,
    Read(Box<Report>),
    Failed(String),
}

#[component]
pub fn TenantPage() -> impl IntoView {
    crate::pages::set_title("Tenant health");
    let gate = Gate::new(Route::Tenant.path());
    let session = auth::use_session();
    let reading = RwSignal::new(Reading::Idle);
    let wanted = Signal::derive(move || health_read::scopes(auth::cloud()));

    let read = move || {
        let (Some(env), Some(signed_in)) = (gate.env.get_untracked(), session.get_untracked())
        else {
            return;
        };
        reading.set(Reading::InProgress);
        spawn_local(async move {
            let tokens = auth::tokens(env, signed_in);
            let graph = provision_graph(env, &tokens);
            let snapshot = health_read::read_tenant(&graph).await;
            session.set(Some(tokens.session()));
            reading.set(match snapshot {
                Ok(snapshot) => Reading::Read(Box::new(health::assess(&snapshot, HOST.now_ms()))),
                Err(why) => Reading::Failed(why.to_string()),
            });
        });
    };
    // Read as soon as the session may: the page is for looking, and reading changes nothing.
    Effect::new(move |_| {
        let ready = gate.stage.with(|s| *s == Stage::SignedIn) && session.grants(&wanted.get());
        if ready && reading.with_untracked(|r| *r == Reading::Idle) {
            read();
        }
    });

    view! {
        <section class="page tenant">
            <p class="crumbs no-print"><Link to=Route::Home>"All integrations"</Link></p>
            <h1>"Tenant health"</h1>
            <p class="lede">
                "Every app registration in the tenant that this assistant manages or that looks like one of its integrations: "
                "whether its secret still works, what it was granted against what the integration needs, and whether its redirect URI fits the vendor's. "
                "Reading changes nothing."
            </p>
            <GateView gate integration=None wanted>
                <SignedInFor wanted sign_in=gate.sign_in lands="Reading "
                    purpose="To read the tenant's app registrations".to_owned()/>
                <report_view::ReportView reading read=Callback::new(move |()| read())/>
            </GateView>
        </section>
    }
}
