//! A small History API router: the current route as a signal, `pushState` navigation and
//! in-app links. It replaces leptos_router, which costs about 60 KB gzip of first load for
//! features three routes do not use (see `cargo xtask bench`).
//!
//! Navigation is announced with a `popstate` event, the one the browser fires for back and
//! forward, so the page modules that load lazily (a separate wasm module with its own
//! reactive runtime) navigate through the same channel as the shell.

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::route::Route;

fn current_location_route() -> Route {
    let path = window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/".to_owned());
    Route::parse(&path)
}

fn current_url() -> String {
    let location = window().location();
    format!(
        "{}{}{}",
        location.pathname().unwrap_or_default(),
        location.search().unwrap_or_default(),
        location.hash().unwrap_or_default()
    )
}

/// The current route, following links, back/forward and navigation by other modules.
/// Back/Forward away from a page with an unsaved secret asks first; "Stay" puts the page's
/// URL back (the browser has already moved when `popstate` fires).
pub fn use_location_route() -> ReadSignal<Route> {
    let (route, set_route) = signal(current_location_route());
    // The URL of the page on screen, to put back when the admin stays.
    let shown = StoredValue::new(current_url());
    let handle = window_event_listener(ev::popstate, move |_| {
        let next = current_location_route();
        if route.get_untracked() != next {
            // In-app links asked already (`navigate`), which clears the flag on "Leave".
            if !crate::unsaved_secret::confirm_leave() {
                if let Ok(history) = window().history() {
                    let _ =
                        history.push_state_with_url(&JsValue::NULL, "", Some(&shown.get_value()));
                }
                return;
            }
            // A page this module does not render: loaded from the host, as links do.
            if !IN_PLACE.get()(&next) {
                let _ = window().location().replace(&current_url());
                return;
            }
            set_route.set(next);
        }
        shown.set_value(current_url());
    });
    on_cleanup(move || handle.remove());
    route
}

thread_local! {
    // Which routes this module renders in place (`render_in_place_only`): all, in the shell.
    static IN_PLACE: std::cell::Cell<fn(&Route) -> bool> = const { std::cell::Cell::new(|_| true) };
}

/// Makes links, Back and Forward to any route but `routes` load their page from the host, as
/// a plain link would: the checklist app (`crate::ChecklistApp`) renders only checklists, and the shell
/// the host serves renders the rest. Called once, before anything navigates.
pub fn render_in_place_only(routes: fn(&Route) -> bool) {
    IN_PLACE.set(routes);
}

/// Navigates within the app without reloading: pushes a history entry and tells every
/// listener, as the browser does for back and forward.
pub fn navigate(to: &Route) {
    navigate_with_query(to, "");
}

/// [`navigate`] to `to` with a query (`?adopt=…`), which the page reads from the URL.
/// A page this module does not render ([`render_in_place_only`]) is loaded from the host.
pub fn navigate_with_query(to: &Route, query: &str) {
    if !crate::unsaved_secret::confirm_leave() {
        return;
    }
    let window = window();
    let url = format!("{}{query}", to.path());
    if !IN_PLACE.get()(to) {
        let _ = window.location().assign(&url);
        return;
    }
    if let Ok(history) = window.history() {
        // A failed pushState (a sandboxed frame) only loses the back-button entry.
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&url));
    }
    if let Ok(event) = web_sys::PopStateEvent::new("popstate") {
        let _ = window.dispatch_event(&event);
    }
    window.scroll_to_with_x_and_y(0.0, 0.0);
}

/// An in-app link: a real `<a href>` (so it can be opened in a new tab, copied, printed)
/// that navigates in place on a plain left click. `query` (`?name=value`, already encoded)
/// is kept in the address for the page to read.
#[component]
pub fn Link(
    to: Route,
    children: Children,
    #[prop(optional, into)] class: String,
    #[prop(optional, into)] query: String,
) -> impl IntoView {
    let href = format!("{}{query}", to.path());
    let on_click = move |event: ev::MouseEvent| {
        let modified = event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key();
        if event.button() == 0 && !modified {
            event.prevent_default();
            navigate_with_query(&to, &query);
        }
    };
    view! { <a href=href class=class on:click=on_click>{children()}</a> }
}
