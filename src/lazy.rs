//! The shell's side of the seam with the page modules: the pages admins spend their time on
//! live in three more wasm modules that load on first use, so the first load holds only the
//! shell and the integration picker (see `cargo xtask bench`):
//! - `entra-setup-checklist` (`src/bin/checklist.rs`): the checklist pages, without the
//!   automated mode's sign-in and Graph code, so a checklist is usable after fewer bytes;
//! - `entra-setup-signin` (`src/bin/signin.rs`): a setup page before sign-in (its top and
//!   sign-in card), without provisioning;
//! - `entra-setup-automated` (`src/bin/automated.rs`): the automated-setup pages once signed
//!   in (or coming back from the sign-in), and the tenant health page.
//!
//! A deep link to a checklist loads none of them: its page loads the checklist app, the shell
//! with the checklist pages built in (`src/bin/checklist_app.rs`, [`BuiltInPage`]).
//! A checklist's downloads come from a fifth, `entra-setup-exports` (`src/bin/exports.rs`),
//! which renders nothing: a checklist loads it as its Downloads card nears the viewport.
//!
//! Everything that crosses the seam is declared here with its types: loading a module
//! (`src/lazy.js`, the one dynamic `import()`), and the exports every module shares,
//! `mount`, `unmount` and `confirmLeave`. A module's files carry a content hash in their
//! names (`hosting/post-build.mjs` names them and writes each stem into index.html's
//! `<meta name="entra-setup-…">`), so no cache can pair an old module with a new shell.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use crate::route::Route;
use crate::shell::SessionLabel;

// `src/lazy.js` is the one part of the seam that has to be JavaScript: a dynamic `import()`.
// wasm-bindgen ships it beside the shell's glue (under `snippets/`, as written: its comments
// would be first-load bytes, so they are here) and this block declares its function with
// types, so nothing is looked up by name on `window`. It loads each module once: a second
// caller gets the same promise, and a failed load can be retried.
//
// `afterLargestPaint` is JavaScript for brevity (first-load bytes): it calls `then` once the
// browser has reported the largest paint of the page's `<main>` (a `largest-contentful-paint`
// entry), or after a second (a tab loaded in the background paints nothing), or, where the
// browser reports no such entries, after two frames.
#[wasm_bindgen(module = "/src/lazy.js")]
extern "C" {
    /// Calls `then` once the prerendered page's largest paint has been reported.
    #[wasm_bindgen(js_name = afterLargestPaint)]
    pub fn after_largest_paint(then: &Closure<dyn FnMut()>);

    /// Imports the page module's glue from `js`, instantiates `wasm`, and resolves to the
    /// module's exports; once per page load.
    #[wasm_bindgen(js_name = loadPageModule, catch)]
    async fn load_page_module(js: &str, wasm: &str) -> Result<PageModule, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// A page module's exports (`src/bin/checklist.rs`, `src/bin/automated.rs`).
    #[derive(Clone)]
    type PageModule;

    /// Renders the page for `path` into `host`, replacing any page mounted before.
    /// `sign_in_response`: the response the shell took out of the URL, if not handed over
    /// yet. `cloud`: the cloud config.json names, if a module has said so (its name).
    /// `on_session`: told who is signed in (a sentence) or `null`, whenever it changes.
    /// `on_cloud`: told the cloud's name once config.json has been read.
    #[wasm_bindgen(method, catch)]
    fn mount(
        this: &PageModule,
        host: &web_sys::HtmlElement,
        path: &str,
        sign_in_response: Option<String>,
        cloud: Option<String>,
        on_session: &js_sys::Function,
        on_cloud: &js_sys::Function,
    ) -> Result<(), JsValue>;

    /// Removes the mounted page, running its cleanups.
    #[wasm_bindgen(method)]
    fn unmount(this: &PageModule);

    /// Whether in-app navigation may leave the mounted page (asks when a secret would be
    /// lost).
    #[wasm_bindgen(method, js_name = confirmLeave)]
    fn confirm_leave(this: &PageModule) -> bool;
}

// The exports module (`src/bin/exports.rs`): the checklist's downloads, which a checklist
// loads when its Downloads card comes near the viewport (`pages::checklist::files`). The
// same loader as a page module's.
#[wasm_bindgen(module = "/src/lazy.js")]
extern "C" {
    #[wasm_bindgen(js_name = loadPageModule, catch)]
    async fn load_exports_module(js: &str, wasm: &str) -> Result<ExportsModule, JsValue>;
}

#[wasm_bindgen]
extern "C" {
    /// The exports module's exports (`src/bin/exports.rs`).
    #[derive(Clone)]
    pub type ExportsModule;

    /// The checklist's files for `saved` (`SavedInputs::to_js`), `secret` and the cloud
    /// named `cloud`: an array of [`ExportedFile`]; throws what to fix when none can be
    /// written.
    #[wasm_bindgen(method, catch)]
    fn files(
        this: &ExportsModule,
        integration_id: &str,
        saved: &JsValue,
        secret: &str,
        cloud: &str,
    ) -> Result<js_sys::Array, JsValue>;

    /// One file the exports module wrote (its `File`).
    type ExportedFile;
    #[wasm_bindgen(method, getter)]
    fn filename(this: &ExportedFile) -> String;
    #[wasm_bindgen(method, getter)]
    fn mime(this: &ExportedFile) -> String;
    #[wasm_bindgen(method, getter)]
    fn content(this: &ExportedFile) -> String;
    #[wasm_bindgen(method, getter)]
    fn notes(this: &ExportedFile) -> Vec<String>;
}

/// The exports module when this page load has it already (a checklist then needs no wait).
pub fn loaded_exports_module() -> Option<ExportsModule> {
    EXPORTS.with_borrow(Clone::clone)
}

/// Loads the exports module (once per page load: a second caller gets the same module).
pub async fn exports_module() -> Result<ExportsModule, String> {
    let loaded = match module_files("meta[name=entra-setup-exports]") {
        Ok((js, wasm)) => load_exports_module(&js, &wasm)
            .await
            .map_err(|e| describe(&e)),
        Err(why) => Err(why),
    };
    if let Ok(module) = &loaded {
        EXPORTS.set(Some(module.clone()));
    }
    loaded.map_err(|why| {
        format!("The downloads could not be loaded ({why}): reload the page to try again.")
    })
}

/// The checklist's files, written by the exports module.
pub fn export_files(
    module: &ExportsModule,
    integration_id: &str,
    saved: &crate::saved_inputs::SavedInputs,
    secret: &str,
    cloud: entra_setup_core::cloud::Cloud,
) -> Result<Vec<entra_setup_core::export::ExportFile>, String> {
    let saved = saved.to_js();
    let files = module
        .files(integration_id, &saved, secret, &cloud.to_string())
        .map_err(|e| describe(&e))?;
    Ok(files
        .iter()
        .map(|file| {
            let file: ExportedFile = file.unchecked_into();
            entra_setup_core::export::ExportFile {
                filename: file.filename(),
                mime: file.mime().into(),
                content: file.content(),
                notes: file.notes(),
            }
        })
        .collect())
}

thread_local! {
    // The exports module, once loaded (`exports_module`).
    static EXPORTS: RefCell<Option<ExportsModule>> = const { RefCell::new(None) };
    // What keeps a page this module renders itself mounted (`BuiltInPage`), taken when it goes.
    static BUILT_IN: RefCell<Option<Box<dyn std::any::Any>>> = const { RefCell::new(None) };
    // The module whose page is on screen, so leaving it can unmount it synchronously, before
    // the next page mounts, and in-app navigation can ask it first.
    static MOUNTED: RefCell<Option<PageModule>> = const { RefCell::new(None) };
    // The listeners, made once: a page module may call them at any time.
    static LISTENERS: RefCell<Option<(js_sys::Function, js_sys::Function)>> = const { RefCell::new(None) };
    // The cloud's name, once the automated-setup module has read config.json.
    static CLOUD: RefCell<Option<String>> = const { RefCell::new(None) };
    // The path of the page the build prerendered for this deep link (`crate::prerender`),
    // until the first page host shows it.
    static PRERENDERED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Whether this page load holds a prerendered page (`crate::prerender`).
pub fn is_prerendered() -> bool {
    document()
        .query_selector("body > main > .lazy-page")
        .ok()
        .flatten()
        .is_some()
}

/// Takes the prerendered page out of `<body>` before the shell mounts its own frame there
/// (the shell's header, main and footer replace the prerendered ones as they are), then
/// [`PrerenderedPage::restore`] moves the page into the shell's page host, where it stays until
/// the module mounts its own. All in one task, so no frame is painted between, and the page's
/// nodes are moved, not parsed again. A page with nothing prerendered (`/`, a sign-in return)
/// has only its `<noscript>` in `<body>`.
pub fn take_prerendered() -> Option<PrerenderedPage> {
    let document = document();
    let body = document.body()?;
    // A sign-in return's page is the automated module's, signed in: not the signed-out page
    // the build prerendered.
    let page = document
        .query_selector("body > main > .lazy-page")
        .ok()
        .flatten()
        .filter(|_| !crate::sign_in_return::has_response());
    let mut next = body.first_child();
    while let Some(node) = next {
        next = node.next_sibling();
        if !matches!(node.node_name().as_str(), "NOSCRIPT" | "SCRIPT") {
            let _ = body.remove_child(&node);
        }
    }
    let path = window().location().pathname().unwrap_or_default();
    PRERENDERED.set(page.is_some().then_some(path));
    page.map(PrerenderedPage)
}

/// The prerendered page's host element, out of the document.
pub struct PrerenderedPage(web_sys::Element);

impl PrerenderedPage {
    /// Moves the page into the page host the shell has mounted for it ([`LazyPage`]).
    pub fn restore(self) {
        let Some(host) = document()
            .query_selector("body > main > .lazy-page")
            .ok()
            .flatten()
        else {
            return;
        };
        while let Some(node) = self.0.first_child() {
            let _ = host.append_child(&node);
        }
    }
}

/// Whether the prerendered page is `route`'s (the page host then shows it until the module
/// mounts): once.
fn prerendered(route: &Route) -> bool {
    PRERENDERED
        .take()
        .is_some_and(|path| Route::parse(&path) == *route)
}

/// The `<meta name="<module>" content="<stem>">` that names the module of `route`'s page
/// (whole selectors, not formatted: the first load stays as small as it can). A setup page
/// nobody is signed in to, with no sign-in response waiting, is the sign-in module's: it
/// needs no provisioning until the admin comes back signed in.
fn module_meta(route: &Route, signed_in: bool) -> &'static str {
    match route {
        Route::Checklist(_) => "meta[name=entra-setup-checklist]",
        Route::Setup(_) if !signed_in && !crate::sign_in_return::has_response() => {
            "meta[name=entra-setup-signin]"
        }
        _ => "meta[name=entra-setup-automated]",
    }
}

/// A module's file names, from the build's stem.
pub(crate) fn module_files(meta: &str) -> Result<(String, String), String> {
    let stem = document()
        .query_selector(meta)
        .ok()
        .flatten()
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|stem| !stem.is_empty() && !stem.contains(['/', '.']))
        .ok_or("this page does not name its page module")?;
    Ok((format!("/{stem}.js"), format!("/{stem}_bg.wasm")))
}

/// `lazy.js` loads each module once; later calls get the same instance.
async fn page_module(meta: &str) -> Result<PageModule, String> {
    let (js, wasm) = module_files(meta)?;
    load_page_module(&js, &wasm).await.map_err(|e| describe(&e))
}

/// `on_session` and `on_cloud` for `mount`.
fn listeners(session: SessionLabel) -> (js_sys::Function, js_sys::Function) {
    LISTENERS.with_borrow_mut(|listeners| {
        listeners
            .get_or_insert_with(|| {
                let SessionLabel(who) = session;
                let on_session =
                    Closure::<dyn Fn(Option<String>)>::new(move |sentence| who.set(sentence));
                // The same closure type as `on_session`'s, so the shell carries one glue for both;
                // the automated-setup module calls it only with a name.
                let on_cloud =
                    Closure::<dyn Fn(Option<String>)>::new(|name: Option<String>| CLOUD.set(name));
                (
                    on_session.into_js_value().unchecked_into(),
                    on_cloud.into_js_value().unchecked_into(),
                )
            })
            .clone()
    })
}

/// Whether the mounted page lets in-app navigation go ahead (`true` when none is mounted:
/// nothing to lose).
pub fn confirm_leave() -> bool {
    MOUNTED
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

/// Hosts a page of a page module: loads it if needed, mounts the page for `route`, and
/// unmounts it when the route changes. `session`: the header's, told who signs in.
#[component]
pub fn LazyPage(route: Route, session: SessionLabel) -> impl IntoView {
    let host = NodeRef::<Div>::new();
    // The prerendered page stands in until the module mounts its own.
    let prerendered = prerendered(&route);
    let (state, set_state) = signal(if prerendered {
        LoadState::Ready
    } else {
        LoadState::Loading
    });
    when_placed(
        host,
        move |element, alive| {
            let route = route.clone();
            let meta = module_meta(&route, session.0.with_untracked(Option::is_some));
            async move {
                let result = page_module(meta).await;
                if !alive.load(Relaxed) {
                    return;
                }
                let result = result.and_then(|module| {
                    // Only the automated-setup module finishes a sign-in.
                    let response = route
                        .signs_in()
                        .then(crate::sign_in_return::take_response)
                        .flatten();
                    let (on_session, on_cloud) = listeners(session);
                    let cloud = CLOUD.with_borrow(Clone::clone);
                    // The module's page replaces the prerendered one when it is built
                    // (`page_module::mount_page`).
                    module
                        .mount(
                            &element,
                            &route.path(),
                            response,
                            cloud,
                            &on_session,
                            &on_cloud,
                        )
                        .map_err(|e| describe(&e))?;
                    MOUNTED.set(Some(module));
                    Ok(())
                });
                set_state.set(match result {
                    Ok(()) => LoadState::Ready,
                    Err(why) => LoadState::Failed(why),
                });
            }
        },
        || {
            // Set only once this host's page has mounted, and taken when it goes.
            if let Some(module) = MOUNTED.take() {
                module.unmount();
            }
        },
    );

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
        // A prerendered page is for reading until its module runs: `inert`, so nothing ticked
        // or typed into it is lost when the module's page replaces it.
        <div class="lazy-page" node_ref=host inert=prerendered></div>
    }
}

/// Hosts a page this module renders itself, as [`LazyPage`] hosts a module's: the checklist
/// app's checklists (`mount`: `pages::checklist::mount`), so a deep link to a checklist needs
/// one module, and one Leptos runtime, instead of the shell and the checklist module. The
/// prerendered page stands in until the page is built; leaving unmounts it.
#[component]
pub fn BuiltInPage(
    route: Route,
    mount: fn(web_sys::HtmlElement, Route, Option<&str>) -> Box<dyn std::any::Any>,
) -> impl IntoView {
    let host = NodeRef::<Div>::new();
    let prerendered = prerendered(&route);
    when_placed(
        host,
        move |element, alive| {
            let route = route.clone();
            async move {
                if alive.load(Relaxed) {
                    BUILT_IN.set(Some(mount(element.into(), route, None)));
                }
            }
        },
        || drop(BUILT_IN.take()),
    );
    view! { <div class="lazy-page" node_ref=host inert=prerendered></div> }
}

/// What both page hosts do: once `host` is in the document, `mount` runs with it in a task of
/// its own (not inside the effect that sees it), given a flag that falls when the page goes,
/// so a page that arrives after the admin has left is not mounted over the next one;
/// `unmount` runs when it goes.
fn when_placed<F: std::future::Future<Output = ()> + 'static>(
    host: NodeRef<Div>,
    mount: impl Fn(web_sys::HtmlDivElement, Arc<AtomicBool>) -> F + 'static,
    unmount: impl Fn() + Send + Sync + 'static,
) {
    let alive = Arc::new(AtomicBool::new(true));
    Effect::new({
        let alive = alive.clone();
        move |_| {
            if let Some(element) = host.get() {
                spawn_local(mount(element, alive.clone()));
            }
        }
    });
    on_cleanup(move || {
        alive.store(false, Relaxed);
        unmount();
    });
}

#[derive(Clone, PartialEq)]
enum LoadState {
    Loading,
    Ready,
    Failed(String),
}
