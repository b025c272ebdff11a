//! A value in Web Storage (localStorage or sessionStorage), as JSON text that the browser
//! writes and parses (`JSON.stringify`, `JSON.parse`), with `js_value.rs` between the Rust
//! value and the JavaScript one. serde_json in the checklist's wasm cost about 20 KB of code
//! (`cargo xtask bench`); the text stored is the JSON it wrote, so values saved by an earlier
//! version read back the same.

use serde::{de::DeserializeOwned, Serialize};

use super::js_value::{from_js, to_js};

/// The browser's localStorage (`None`: disabled, or no browser).
pub(super) fn local() -> Option<web_sys::Storage> {
    window()?.local_storage().ok().flatten()
}

/// The browser's sessionStorage (`None`: disabled, or no browser).
pub(super) fn session() -> Option<web_sys::Storage> {
    window()?.session_storage().ok().flatten()
}

fn window() -> Option<web_sys::Window> {
    super::PRESENT.then(web_sys::window).flatten()
}

/// The value stored under `key`, or `None` when absent or unreadable.
pub(super) fn get<T: DeserializeOwned>(storage: &web_sys::Storage, key: &str) -> Option<T> {
    let text = storage.get_item(key).ok()??;
    from_js(js_sys::JSON::parse(&text).ok()?).ok()
}

/// Stores `value` under `key`; `Err` when the browser refuses (storage full or disabled).
pub(super) fn set<T: Serialize>(
    storage: &web_sys::Storage,
    key: &str,
    value: &T,
) -> Result<(), ()> {
    let text = js_sys::JSON::stringify(&to_js(value)).map_err(drop)?;
    storage.set_item(key, &String::from(text)).map_err(drop)
}
