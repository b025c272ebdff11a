//! Moving keyboard focus to what just appeared: when a run ends, the button that started it
//! is gone, so keyboard and screen-reader users would be left at the top of the page; focus
//! goes to the outcome's heading instead, which is then read out.

use leptos::html::ElementType;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// A reference that focuses its element as soon as it is in the page. The element needs
/// `tabindex="-1"` unless it is focusable already (focus lands on it without adding it to
/// the Tab order).
pub fn focus_when_shown<E>() -> NodeRef<E>
where
    E: ElementType,
    E::Output: JsCast + Clone + 'static,
{
    let node = NodeRef::<E>::new();
    Effect::new(move |_| {
        if let Some(element) = node.get() {
            let _ = element.unchecked_ref::<web_sys::HtmlElement>().focus();
        }
    });
    node
}
