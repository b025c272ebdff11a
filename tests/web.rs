//! Browser tests of the shell, run by `wasm-bindgen-test` in headless Chromium.
//!
//! The test page has no page module (the build names them in index.html's
//! `<meta name="entra-setup-checklist">` and `<meta name="entra-setup-automated">`, which
//! this page lacks), which also exercises what an admin sees when a module cannot be fetched.
#![cfg(target_arch = "wasm32")]

use entra_setup_assistant::App;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement, Window};

wasm_bindgen_test_configure!(run_in_browser);

fn window() -> Window {
    web_sys::window().unwrap()
}

fn text(root: &HtmlElement, selector: &str) -> String {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .text_content()
        .unwrap()
}

fn count(root: &HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).unwrap().length()
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

/// Lets the reactive system and pending promise callbacks run.
async fn settle() {
    for _ in 0..3 {
        leptos::task::tick().await;
        JsFuture::from(js_sys::Promise::resolve(&JsValue::NULL))
            .await
            .unwrap();
    }
}

fn mount_app() -> HtmlElement {
    let document = window().document().unwrap();
    window()
        .history()
        .unwrap()
        .replace_state_with_url(&JsValue::NULL, "", Some("/"))
        .unwrap();
    let root: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&root).unwrap();
    leptos::mount::mount_to(root.clone(), App).forget();
    root
}

#[wasm_bindgen_test]
async fn search_narrows_the_integration_list() {
    let root = mount_app();
    let all = count(&root, "li[data-integration]");
    assert!(all >= 20, "the picker lists the whole catalog, got {all}");

    let input: HtmlInputElement = root
        .query_selector("input[type=search]")
        .unwrap()
        .unwrap()
        .unchecked_into();
    input.set_value("novus");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(count(&root, "li[data-integration]"), 1);
    assert_eq!(count(&root, "li[data-integration='novus-calendarsync']"), 1);

    input.set_value("zzz no such product");
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
    settle().await;
    assert_eq!(count(&root, "li[data-integration]"), 0);
    assert!(text(&root, "[data-testid=no-results]").contains("Custom"));
    root.remove();
}

#[wasm_bindgen_test]
async fn links_push_history_and_back_restores_the_page() {
    let root = mount_app();
    let link: HtmlElement = root
        .query_selector("li[data-integration='kodo-for-cloud'] a[href^='/checklist/']")
        .unwrap()
        .expect("each integration links to its checklist")
        .unchecked_into();
    link.click();
    settle().await;
    assert_eq!(path(), "/checklist/kodo-for-cloud");
    // No page module on this test page: the admin is told, instead of a blank page.
    assert!(text(&root, "[role=alert]").contains("could not be loaded"));

    window().history().unwrap().back().unwrap();
    next_popstate().await;
    settle().await;
    assert_eq!(path(), "/");
    assert_eq!(text(&root, "h1"), "Choose an integration");
    root.remove();
}
