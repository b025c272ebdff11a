//! A page built in parts, one task each, while the prerendered page stands in for it.
//!
//! Why: building the whole checklist in one task blocked input for 160–210 ms on Lighthouse's
//! mid-range phone (its Total Blocking Time counts every task over 50 ms). The module's page
//! is built out of the document, its first part in the task that mounts it and each
//! [`Later`] part in a task of its own, then it replaces the prerendered page in one more
//! task (`page_module::mount_page`): the admin sees one page, then the other, laid out alike,
//! and nothing in between.
//!
//! Without [`Parts`] in context (the build's prerendering, a page mounted on an empty host)
//! a [`Later`] renders its children at once.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use leptos::prelude::*;

/// The parts of the page being built: the ones its [`Later`]s asked for, and how far the
/// building has come.
#[derive(Clone)]
pub struct Parts {
    built: ArcRwSignal<u16>,
    wanted: Arc<Mutex<BTreeSet<u16>>>,
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
        wanted.range(built + 1..).next().copied()
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
/// at once when there are no parts or the part is built already (a later re-render).
#[component]
pub fn Later(part: u16, children: ChildrenFn) -> impl IntoView {
    let parts = use_context::<Parts>().filter(|p| p.built.get_untracked() < part);
    let Some(Parts { built, wanted }) = parts else {
        return children().into_any();
    };
    if let Ok(mut wanted) = wanted.lock() {
        wanted.insert(part);
    }
    // A memo, so the children are built once, not again as later parts are built.
    let shown = Memo::new(move |_| built.get() >= part);
    (move || shown.get().then(|| children())).into_any()
}
