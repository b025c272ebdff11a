//! The shell's side of the seam with the page module: the checklist and automated-setup pages
//! live in a second wasm module (`src/bin/pages.rs`, its side of the seam) that loads on
//! first use, so the first load holds only the shell and the integration picker (see
//! `cargo xtask bench`).
//!
//! Everything that crosses the seam is declared here with its types: loading the module
//! (`src/lazy.js`, the one dynamic `import()`), and the module's exports `mount`, `unmount`
//! and `confirmLeave`. The module's files carry a content hash in their names
//! (`hosting/post-build.mjs` names them and writes the stem into index.html's
//! `<meta name="entra-setup-pages">`), so no cache can pair an old module with a new shell.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use crate::route::Route;
use crate::shell::SessionLabel;

#[wasm_bindgen(module = "/src/lazy.js")]
extern "C" {
    /// Imports the page module's glue from `js`, instantiates `wasm`, and resolves to the
    /// module's exports; once per page load.
    #[wasm_bindgen(js_name = loadPageModule, catch)]
    async fn load_page_module(js: &str, wasm: &str) -> Result<PageModule, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// The page module's exports (`src/bin/pages.rs`).
    #[derive(Clone)]
    type PageModule;

    /// Renders the page for `path` into `host`, replacing any page mounted before.
    /// `sign_in_response`: the response the shell took out of the URL, if not handed over
    /// yet. `on_session`: told who is signed in (a sentence) or `null`, whenever it changes.
    #[wasm_bindgen(method, catch)]
    fn mount(
        this: &PageModule,
        host: &web_sys::HtmlElement,
        path: &str,
        sign_in_response: Option<String>,
        on_session: &js_sys::Function,
    ) -> Result<(), JsValue>;

    /// Removes the mounted page, running its cleanups.
    #[wasm_bindgen(method)]
    fn unmount(this: &PageModule);

    /// Whether in-app navigation may leave the mounted page (asks when a secret would be
    /// lost).
    #[wasm_bindgen(method, js_name = confirmLeave)]
    fn confirm_leave(this: &PageModule) -> bool;
}

/// Where the build put the module: `<meta name="entra-setup-pages" content="<stem>">`.
const MODULE_META: &str = "meta[name=entra-setup-pages]";

thread_local! {
    // Kept once loaded, so leaving a page can unmount it synchronously, before the next
    // page mounts.
    static MODULE: RefCell<Option<PageModule>> = const { RefCell::new(None) };
    // The header's listener, made once: the page module may call it at any time.
    static ON_SESSION: RefCell<Option<js_sys::Function>> = const { RefCell::new(None) };
}

/// The module's file names, from the build's stem.
fn module_files() -> Result<(String, String), String> {
    let stem = document()
        .query_selector(MODULE_META)
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|stem| !stem.is_empty() && !stem.contains(['/', '.']))
        .ok_or("this page does not name its page module")?;
    Ok((format!("/{stem}.js"), format!("/{stem}_bg.wasm")))
}

async fn page_module() -> Result<PageModule, String> {
    if let Some(module) = MODULE.with_borrow(Clone::clone) {
        return Ok(module);
    }
    let (js, wasm) = module_files()?;
    let module = load_page_module(&js, &wasm)
        .await
        .map_err(|e| describe(&e))?;
    MODULE.set(Some(module.clone()));
    Ok(module)
}

fn on_session(session: SessionLabel) -> js_sys::Function {
    ON_SESSION.with_borrow_mut(|listener| {
        listener
            .get_or_insert_with(|| {
                let SessionLabel(who) = session;
                Closure::<dyn Fn(Option<String>)>::new(move |sentence| who.set(sentence))
                    .into_js_value()
                    .unchecked_into()
            })
            .clone()
    })
}

/// Whether the loaded page module lets in-app navigation go ahead (`true` when none is
/// loaded: nothing to lose).
pub fn confirm_leave() -> bool {
    MODULE
        .with_borrow(Clone::clone)
        .is_none_or(|module| module.confirm_leave())
}

/// A JS error's message (import failures are `TypeError`s), without Debug formatting,
/// which would link Unicode tables into the first load.
fn describe(error: &JsValue) -> String {
    error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// Hosts a page of the page module: loads it if needed, mounts the page for `route`, and
/// unmounts it when the route changes. `session`: the header's, told who signs in.
#[component]
pub fn LazyPage(route: Route, session: SessionLabel) -> impl IntoView {
    let host = NodeRef::<Div>::new();
    let (state, set_state) = signal(LoadState::Loading);
    // Leaving before the module arrives must not mount a page over the next one.
    let alive = Arc::new(AtomicBool::new(true));
    let mounted = Arc::new(AtomicBool::new(false));
    let path = route.path();

    Effect::new({
        let (alive, mounted) = (alive.clone(), mounted.clone());
        move |_| {
            let Some(element) = host.get() else { return };
            let (alive, mounted, path) = (alive.clone(), mounted.clone(), path.clone());
            spawn_local(async move {
                let result = page_module().await;
                if !alive.load(Relaxed) {
                    return;
                }
                let result = result.and_then(|module| {
                    let response = crate::sign_in_return::take_response();
                    module
                        .mount(&element, &path, response, &on_session(session))
                        .map_err(|e| describe(&e))
                });
                if result.is_ok() {
                    mounted.store(true, Relaxed);
                }
                set_state.set(match result {
                    Ok(()) => LoadState::Ready,
                    Err(why) => LoadState::Failed(why),
                });
            });
        }
    });

    on_cleanup(move || {
        alive.store(false, Relaxed);
        if mounted.load(Relaxed) {
            if let Some(module) = MODULE.with_borrow(Clone::clone) {
                module.unmount();
            }
        }
    });

    view! {
        {move || match state.get() {
            LoadState::Loading => view! { <p class="loading" aria-live="polite">"Loading…"</p> }.into_any(),
            LoadState::Ready => ().into_any(),
            LoadState::Failed(why) => view! {
                <div class="error" role="alert">
                    <p>"This page could not be loaded: " {why}</p>
                    <p>"Check your connection and reload the page."</p>
                </div>
            }.into_any(),
        }}
        <div class="lazy-page" node_ref=host></div>
    }
}

#[derive(Clone, PartialEq)]
enum LoadState {
    Loading,
    Ready,
    Failed(String),
}
