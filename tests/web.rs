//! Browser tests of the app shell, run by `wasm-bindgen-test` in headless Chromium.
#![cfg(target_arch = "wasm32")]

use entra_setup_assistant::App;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, Window};

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> Window {
    web_sys::window().unwrap()
}

fn heading(root: &HtmlElement) -> String {
    root.query_selector("h1")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap()
}

fn path() -> String {
    window().location().pathname().unwrap()
}

/// Resolves on the next `popstate`, which the browser fires asynchronously after `back()`.
async fn next_popstate() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let options = web_sys::AddEventListenerOptions::new();
        options.set_once(true);
        window()
            .add_event_listener_with_callback_and_add_event_listener_options(
                "popstate", &resolve, &options,
            )
            .unwrap();
    });
    JsFuture::from(promise).await.unwrap();
}

#[wasm_bindgen_test]
async fn links_push_history_and_back_restores_the_page() {
    let document = window().document().unwrap();
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some("/"))
        .unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    leptos::mount::mount_to(root.clone(), App).forget();
    assert_eq!(heading(&root), "Choose an integration");

    let link: HtmlElement = root
        .query_selector("a[href^='/checklist/']")
        .unwrap()
        .expect("home links to a checklist")
        .unchecked_into();
    let href = link.get_attribute("href").unwrap();
    link.click();
    leptos::task::tick().await;
    assert_eq!(path(), href);
    assert_eq!(heading(&root), "Checklist");

    window().history().unwrap().back().unwrap();
    next_popstate().await;
    leptos::task::tick().await;
    assert_eq!(path(), "/");
    assert_eq!(heading(&root), "Choose an integration");
}
