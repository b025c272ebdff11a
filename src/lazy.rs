//! The shell's side of the page module: the checklist and automated-setup pages live in a
//! second wasm module (`src/bin/pages.rs`) that loads on first use, so the first load holds
//! only the shell and the integration picker (see `cargo xtask bench`).
//!
//! `public/load-pages.js` (a script of `index.html`) defines
//! `window.__entraLoadPages(version)`, which imports the module once and resolves to its
//! exports: `mount(element, path)` and `unmount()`.

use std::sync::atomic::{AtomicBool, Ordering::Relaxed};
use std::sync::Arc;

use entra_setup_core::version::VERSION;
use js_sys::{Function, Promise, Reflect};
use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::route::Route;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = window, js_name = __entraLoadPages, catch)]
    fn load_pages(version: &str) -> Result<Promise, JsValue>;
}

thread_local! {
    // Kept once loaded, so leaving a page can unmount it synchronously, before the next
    // page mounts.
    static MODULE: std::cell::RefCell<Option<JsValue>> = const { std::cell::RefCell::new(None) };
}

async fn page_module() -> Result<JsValue, JsValue> {
    if let Some(module) = MODULE.with_borrow(Clone::clone) {
        return Ok(module);
    }
    let module = JsFuture::from(load_pages(VERSION)?).await?;
    MODULE.set(Some(module.clone()));
    Ok(module)
}

fn call(module: &JsValue, name: &str, args: &[&JsValue]) -> Result<JsValue, JsValue> {
    let function: Function = Reflect::get(module, &JsValue::from_str(name))?.dyn_into()?;
    match args {
        [] => function.call0(module),
        [a, b] => function.call2(module, a, b),
        _ => Err(JsValue::from_str("unsupported arity")),
    }
}

/// A JS error's message (import failures are `TypeError`s), without Debug formatting,
/// which would link Unicode tables into the first load.
fn describe(error: &JsValue) -> String {
    error
        .as_string()
        .or_else(|| {
            Reflect::get(error, &JsValue::from_str("message"))
                .ok()?
                .as_string()
        })
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// Hosts a page of the page module: loads it if needed, mounts the page for `route`, and
/// unmounts it when the route changes.
#[component]
pub fn LazyPage(route: Route) -> impl IntoView {
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
                let result = async {
                    let module = page_module().await?;
                    if alive.load(Relaxed) {
                        call(
                            &module,
                            "mount",
                            &[&element.into(), &JsValue::from_str(&path)],
                        )?;
                        mounted.store(true, Relaxed);
                    }
                    Ok::<_, JsValue>(())
                }
                .await;
                if alive.load(Relaxed) {
                    set_state.set(match result {
                        Ok(()) => LoadState::Ready,
                        Err(error) => LoadState::Failed(describe(&error)),
                    });
                }
            });
        }
    });

    on_cleanup(move || {
        alive.store(false, Relaxed);
        if mounted.load(Relaxed) {
            if let Some(module) = MODULE.with_borrow(Clone::clone) {
                let _ = call(&module, "unmount", &[]);
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
