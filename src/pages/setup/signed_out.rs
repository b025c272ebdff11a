//! `/setup/:integration` before sign-in, for the sign-in module (`src/bin/signin.rs`): the
//! page as the full setup page starts (`intro.rs` and the sign-in card of `gate.rs`), without
//! the provisioning engine, so a deep link is usable after far fewer bytes. Signing in leaves
//! for Microsoft's pages; the page that comes back holds a sign-in response, which the shell
//! hands to the automated-setup module (`lazy.rs`), so this module never holds a session.

use entra_setup_core::catalog::Integration;
use entra_setup_core::plan::DEFAULT_SECRET_DAYS;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::gate::{Gate, GateView};
use super::{finish_link, intro, mode, plan_of, wanted_scopes};
use crate::components::later::Later;
use crate::components::unknown_integration::for_integration;
use crate::route::Route;
use crate::saved_inputs::SavedInputs;

#[component]
pub fn SetupSignedOutPage(id: String) -> impl IntoView {
    for_integration(id, |integration| view! { <SignedOutSetup integration/> })
}

#[component]
fn SignedOutSetup(integration: &'static Integration) -> impl IntoView {
    let id = integration.id;
    super::set_setup_title(integration);
    let plan = plan_of(integration, &SavedInputs::load(id), DEFAULT_SECRET_DAYS);
    let arrival = mode::arrival(id);
    let adopt = RwSignal::new(arrival.adopt.clone());
    let wanted = Signal::derive(move || wanted_scopes(&plan, adopt.with(Option::is_some)));
    let gate = Gate::new(Route::Setup(id.into()).path());
    // The admin reaching for the sign-in card (pointer or keyboard) is about to sign in.
    let prefetched = StoredValue::new(false);
    let prefetch = move |event: &web_sys::Event| {
        if !prefetched.get_value() && on_sign_in_card(event) {
            prefetched.set_value(true);
            prefetch_automated_module();
        }
    };
    view! {
        <section class="page setup" data-integration=id
            on:pointerover=move |ev| prefetch(&ev) on:focusin=move |ev| prefetch(&ev)>
            <intro::SetupIntro integration finish=finish_link(id) adopt rotate=arrival.rotate
                on_new_instead=Callback::new(|()| ())/>
            // Built in a task of its own (`Later`).
            <Later part=1>
                <GateView gate integration=Some(integration) wanted>
                    // Never shown: a signed-in page is the automated-setup module's.
                    <p class="loading">"Loading…"</p>
                </GateView>
            </Later>
        </section>
    }
}

/// Whether `event` happened on the sign-in card (`sign_in_view::SignedOut`).
fn on_sign_in_card(event: &web_sys::Event) -> bool {
    event
        .target()
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest(".sign-in").ok().flatten())
        .is_some()
}

/// Asks the browser to fetch the automated-setup module into its cache at low priority (its
/// file names are content hashes, so the copy stays right), so the page the sign-in returns
/// to does not wait for it. On the admin's first move on the sign-in card, not at load: it
/// would compete with what paints the card, and an admin who only looks costs no 600 KB.
fn prefetch_automated_module() {
    let Ok((js, wasm)) = crate::lazy::module_files("meta[name=entra-setup-automated]") else {
        return;
    };
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(head) = document.query_selector("head").ok().flatten() else {
        return;
    };
    for href in [js, wasm] {
        if let Ok(link) = document.create_element("link") {
            let _ = link.set_attribute("rel", "prefetch");
            let _ = link.set_attribute("href", &href);
            let _ = head.append_child(&link);
        }
    }
}
