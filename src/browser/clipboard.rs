//! Copy to the clipboard through the async Clipboard API (secure contexts, which include
//! `http://localhost` and `127.0.0.1`).

use wasm_bindgen_futures::JsFuture;

/// Copies `text`; `Err` carries a message for the admin when the browser refuses.
pub async fn copy(text: &str) -> Result<(), String> {
    let clipboard = web_sys::window()
        .ok_or("no window")?
        .navigator()
        .clipboard();
    JsFuture::from(clipboard.write_text(text))
        .await
        .map(|_| ())
        .map_err(|_| {
            "The browser blocked the clipboard: select the value and copy it by hand.".to_owned()
        })
}
