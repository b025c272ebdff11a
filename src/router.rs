//! A small History API router: the current route as a signal, `pushState` navigation and
//! in-app links. It replaces leptos_router, which costs about 60 KB gzip of first load for
//! features three routes do not use (see `cargo xtask bench`).

use leptos::ev;
use leptos::prelude::*;
use wasm_bindgen::JsValue;

use crate::route::Route;

#[derive(Clone, Copy)]
struct Router {
    route: RwSignal<Route>,
}

fn current_location_route() -> Route {
    let path = window()
        .location()
        .pathname()
        .unwrap_or_else(|_| "/".to_owned());
    Route::parse(&path)
}

/// Installs the router for the component tree below, following back/forward navigation.
pub fn provide_router() {
    let route = RwSignal::new(current_location_route());
    let handle = window_event_listener(ev::popstate, move |_| route.set(current_location_route()));
    on_cleanup(move || handle.remove());
    provide_context(Router { route });
}

fn router() -> Router {
    expect_context::<Router>()
}

/// The current route, read-only.
pub fn use_route() -> Signal<Route> {
    router().route.into()
}

/// Navigates within the app without reloading: pushes a history entry and swaps the page.
pub fn navigate(to: &Route) {
    let path = to.path();
    if let Ok(history) = window().history() {
        // A failed pushState (e.g. a sandboxed frame) still navigates in-app; only the
        // back button loses this entry.
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(&path));
    }
    router().route.set(to.clone());
    window().scroll_to_with_x_and_y(0.0, 0.0);
}

/// An in-app link: a real `<a href>` (so it can be opened in a new tab, copied, printed)
/// that navigates in place on a plain left click.
#[component]
pub fn Link(to: Route, children: Children, #[prop(optional, into)] class: String) -> impl IntoView {
    let href = to.path();
    let on_click = move |event: ev::MouseEvent| {
        let modified = event.ctrl_key() || event.meta_key() || event.shift_key() || event.alt_key();
        if event.button() == 0 && !modified {
            event.prevent_default();
            navigate(&to);
        }
    };
    view! { <a href=href class=class on:click=on_click>{children()}</a> }
}
