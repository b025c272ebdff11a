//! The cloud the host's `config.json` names, as far as this wasm module knows it.
//!
//! The automated-setup page reads config.json (`pages::setup::auth::env`). The checklist
//! pages make no request of their own and live in another module (`entra-setup-checklist`),
//! so they learn the cloud through the shell: the setup module tells the shell when it has
//! read it (`on_cloud` at mount, `lazy.rs`), and the shell hands it to every page it mounts.
//! So the checklist's downloads name the configured cloud's hosts once a setup page has read
//! config.json, as they did when both pages were one module. Before that, the build tells: it
//! writes the cloud its config.json names into index.html ([`CLOUD_META`]).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use entra_setup_core::cloud::Cloud;

/// Tells the shell the cloud's name (the automated-setup module's `on_cloud`).
pub type TellShell = Rc<dyn Fn(Cloud)>;

thread_local! {
    static CLOUD: Cell<Option<Cloud>> = const { Cell::new(None) };
    static TELL_SHELL: RefCell<Option<TellShell>> = const { RefCell::new(None) };
}

/// The configured cloud (`None`: config.json not read yet, or a loopback entra-sim).
pub fn get() -> Option<Cloud> {
    CLOUD.get()
}

/// The cloud a checklist is written for (its sign-in step names that cloud's admin center,
/// its downloads its hosts): the configured one once a setup page has read config.json, else
/// the one the build's config.json names ([`CLOUD_META`]), else the global cloud. So a
/// deep-linked checklist on a national cloud's site is right from its first paint.
pub fn for_checklist() -> Cloud {
    get().or_else(built).unwrap_or_default()
}

/// The `<meta name>` the build writes into index.html, and so into every prerendered page,
/// with the name of the cloud its config.json names (`src/bin/prerender.rs`).
pub const CLOUD_META: &str = "entra-setup-cloud";

/// The cloud the build's config.json names: in the browser from the page's [`CLOUD_META`],
/// natively from the index.html being prerendered (`crate::prerender`).
fn built() -> Option<Cloud> {
    #[cfg(target_arch = "wasm32")]
    {
        leptos::prelude::document()
            .query_selector(&format!("meta[name={CLOUD_META}]"))
            .ok()
            .flatten()?
            .get_attribute("content")?
            .parse()
            .ok()
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        crate::prerender::built_cloud()
    }
}

/// What config.json says (the setup page), passed on to the shell when it names a cloud.
pub fn set(cloud: Option<Cloud>) {
    CLOUD.set(cloud);
    if let Some(cloud) = cloud {
        if let Some(tell) = TELL_SHELL.with_borrow(Clone::clone) {
            tell(cloud);
        }
    }
}

/// What the shell knows (its name, from another module), kept without telling it back.
pub fn learn(name: Option<&str>) {
    if let Some(cloud) = name.and_then(|name| name.parse().ok()) {
        CLOUD.set(Some(cloud));
    }
}

/// Who to tell when config.json names a cloud (the shell, through the seam).
pub fn tell_shell(tell: TellShell) {
    TELL_SHELL.set(Some(tell));
}
