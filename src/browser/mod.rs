//! Thin adapters over browser APIs. Decisions live in core or in the pages; these only
//! translate between Rust values and the Web platform.

/// Whether this runs in a browser. Natively (the build's prerendering, `crate::prerender`)
/// there is none: a page renders as it first paints for an admin with nothing stored and
/// no query, and the adapters below read nothing and keep nothing.
pub const PRESENT: bool = cfg!(target_arch = "wasm32");

/// The address's query (`?…`), empty when there is none (or no browser).
pub fn query() -> String {
    if !PRESENT {
        return String::new();
    }
    web_sys::window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

pub mod clipboard;
pub mod download;
pub mod fetch;
pub mod host;
pub mod js_value;
pub mod near;
pub mod session_storage;
pub mod storage;
pub mod web_storage;
