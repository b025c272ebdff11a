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

/// What the checklist stored, as an earlier version's serde_json wrote it (an added
/// permission saved before its type was `kind`), reads back whole through the browser's JSON
/// and `browser::js_value`; what it stores now reads back as saved, with its maps as JSON
/// objects.
#[wasm_bindgen_test]
fn saved_inputs_read_back_as_an_earlier_version_stored_them() {
    use entra_setup_assistant::browser::storage::PREFIX;
    use entra_setup_assistant::saved_inputs::SavedInputs;
    use entra_setup_core::catalog::PermissionType;

    let storage = window().local_storage().unwrap().unwrap();
    let key = format!("{PREFIX}integration/web-test");
    storage
        .set_item(
            &key,
            r#"{"ticked":["register","permission/graph/User.Read"],"display_name":null,
                "redirect_uri":"https://example.com/cb","client_id":"","tenant_id":"t",
                "secret_expires":"2027-01-01","extra":{"Domain":"contoso"},
                "options":{"literal_permission_types":true,"literal_retired_apis":false,
                "literal_secret_expiry":false,"drop_redundant":true},
                "added":[{"api_app_id":"00000003-0000-0000-c000-000000000000",
                "api_name":"Microsoft Graph","value":"Sites.Read.All","application":true,
                "admin_consent_required":true}],"a_field_from_a_later_version":1.5}"#,
        )
        .unwrap();
    let read = SavedInputs::load("web-test");
    assert_eq!(read.ticked.len(), 2);
    assert!(read.ticked.contains("permission/graph/User.Read"));
    assert_eq!(read.display_name, None);
    assert_eq!(read.redirect_uri, "https://example.com/cb");
    assert_eq!(read.tenant_id, "t");
    assert_eq!(
        read.extra.get("Domain").map(String::as_str),
        Some("contoso")
    );
    assert!(read.options.literal_permission_types && read.options.drop_redundant);
    assert!(!read.options.literal_retired_apis);
    assert_eq!(read.added.len(), 1);
    assert_eq!(read.added[0].kind, PermissionType::Application);
    assert!(read.added[0].admin_consent_required);

    let mut changed = read.clone();
    changed.display_name = Some("Kinde \"calendar\" ✓".to_owned());
    changed.added[0].kind = PermissionType::Delegated;
    changed.save("web-test");
    let text = storage.get_item(&key).unwrap().unwrap();
    assert!(text.contains(r#""extra":{"Domain":"contoso"}"#), "{text}");
    assert!(text.contains(r#""kind":"Delegated""#), "{text}");
    assert_eq!(SavedInputs::load("web-test"), changed);

    // Not the shape this version reads: the page starts fresh instead of failing.
    storage
        .set_item(&key, r#"{"ticked":"register","client_id":7}"#)
        .unwrap();
    assert_eq!(SavedInputs::load("web-test"), SavedInputs::default());
    SavedInputs::clear("web-test");
    assert_eq!(storage.get_item(&key).unwrap(), None);
}
