//! A page built in parts, one task each, while the prerendered page stands in for it.
//!
//! Why: building the whole checklist in one task blocked input for 160–210 ms on Lighthouse's
//! mid-range phone (its Total Blocking Time counts every task over 50 ms). The module's page
//! is built out of the document, its first part in a task after the one that loaded the
//! module and each [`Later`] part in a task of its own, then it replaces the prerendered page
//! in one more task (`page_module::mount_page`): the admin sees one page, then the other,
//! laid out alike, and nothing in between.
//!
//! Without [`Parts`] in context (the build's prerendering, a page mounted on an empty host)
//! a [`Later`] renders its children at once.

use std::sync::{Arc, Mutex};

use leptos::prelude::*;

/// The parts of the page being built: the ones its [`Later`]s asked for, and how far the
/// building has come.
#[derive(Clone)]
pub struct Parts {
    built: ArcRwSignal<u16>,
    // A few dozen at most: a list is smaller code than a set in every page module.
    wanted: Arc<Mutex<Vec<u16>>>,
}

impl Parts {
    pub fn new() -> Self {
        Parts {
            built: ArcRwSignal::new(0),
            wanted: Arc::default(),
        }
    }

    /// The part to build next, if any is left: the first one asked for after those built.
    /// A part can ask for later ones as it renders, so this is asked again after each.
    pub fn next(&self) -> Option<u16> {
        let built = self.built.get_untracked();
        let wanted = self.wanted.lock().ok()?;
        wanted.iter().copied().filter(|part| *part > built).min()
    }

    /// Builds `part` (and any before it): their [`Later`]s render their children.
    pub fn build(&self, part: u16) {
        self.built.set(part);
    }
}

impl Default for Parts {
    fn default() -> Self {
        Parts::new()
    }
}

/// Renders its children in `part` (1 and up, in page order) of a page built in [`Parts`], or
/// at once when there are no parts or the part is built already (a later re-render). Typed
/// children, not `ChildrenFn`: erasing each part's view type would add its own copy of the
/// view code to the page module.
#[component]
pub fn Later<V>(part: u16, children: TypedChildrenFn<V>) -> impl IntoView
where
    V: IntoView + 'static,
{
    let shown: Signal<bool> = match use_context::<Parts>() {
        Some(Parts { built, wanted }) if built.get_untracked() < part => {
            if let Ok(mut wanted) = wanted.lock() {
                wanted.push(part);
            }
            // A memo, so the children are built once, not again as later parts are built.
            Memo::new(move |_| built.get() >= part).into()
        }
        _ => true.into(),
    };
    let children = children.into_inner();
    move || shown.get().then(|| children())
}

#[cfg(test)]
mod tests {
    use super::Parts;

    /// Parts are built in order, each once, however they were asked for, including a part
    /// asked for while an earlier one renders.
    #[test]
    fn parts_are_built_in_order_each_once() {
        let parts = Parts::new();
        parts.wanted.lock().unwrap().extend([5, 2, 3, 2]);
        let mut built = Vec::new();
        while let Some(part) = parts.next() {
            parts.build(part);
            built.push(part);
            if part == 3 {
                // A part that renders a `Later` of its own, and one already built.
                parts.wanted.lock().unwrap().extend([4, 1]);
            }
        }
        assert_eq!(built, [2, 3, 4, 5]);
        assert_eq!(
            Parts::new().next(),
            None,
            "a page with no parts has none to build"
        );
    }
}
