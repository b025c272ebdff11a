//! Telling when an element comes near the viewport (`IntersectionObserver`), so that what
//! only that element needs is fetched as the admin is about to see it, not with the page.

use wasm_bindgen::prelude::*;
use web_sys::{IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

/// A watch on an element; dropping it stops watching.
pub struct Watch {
    observer: IntersectionObserver,
    _callback: Closure<dyn FnMut(js_sys::Array, IntersectionObserver)>,
}

impl Drop for Watch {
    fn drop(&mut self) {
        self.observer.disconnect();
    }
}

/// Runs `then` once, when `element` is within a screen's height of the viewport (at once
/// when it already is, or where the browser has no `IntersectionObserver`). Scrolling and
/// moving focus with the keyboard both bring it near before the admin reaches it.
pub fn when_near(element: &web_sys::Element, then: impl FnOnce() + 'static) -> Option<Watch> {
    let then = std::rc::Rc::new(std::cell::Cell::new(Some(then)));
    let run = {
        let then = then.clone();
        move || {
            if let Some(then) = then.take() {
                then();
            }
        }
    };
    let on_change = {
        let run = run.clone();
        move |entries: js_sys::Array, observer: IntersectionObserver| {
            let near = entries.iter().any(|entry| {
                entry
                    .unchecked_into::<IntersectionObserverEntry>()
                    .is_intersecting()
            });
            if near {
                observer.disconnect();
                run();
            }
        }
    };
    let callback = Closure::<dyn FnMut(js_sys::Array, IntersectionObserver)>::new(on_change);
    let init = IntersectionObserverInit::new();
    init.set_root_margin("100% 0px");
    match IntersectionObserver::new_with_options(callback.as_ref().unchecked_ref(), &init) {
        Ok(observer) => {
            observer.observe(element);
            Some(Watch {
                observer,
                _callback: callback,
            })
        }
        Err(_) => {
            run();
            None
        }
    }
}
