//! The checklist's downloads. Writing them is core's export code (the Azure CLI script, the
//! Graph requests, the manifest's `requiredResourceAccess`, the values files), about 13 KB
//! gzip of a checklist's wasm that only the Downloads card at the page's foot needs. In the
//! browser it lives in a module of its own (`entra-setup-exports`, `src/bin/exports.rs`),
//! which the page loads once the card comes near the viewport, so a checklist is usable
//! (ticks, boxes, copy buttons) before those bytes arrive, and an admin who never scrolls to
//! the card never fetches them; the card says "Preparing the files…" until then.
//! Prerendering (native) writes them directly, so the page's HTML lists them from the start.

use entra_setup_core::catalog;
use entra_setup_core::cloud::Cloud;
use entra_setup_core::export::{self, ExportFile};
use leptos::prelude::*;

use crate::components::downloads::Prepared;
use crate::saved_inputs::SavedInputs;

/// The files for a checklist's saved inputs and the secret typed on the page: the one place
/// both the exports module and prerendering write them. The error is what to fix first.
pub fn write(
    integration_id: &str,
    saved: &SavedInputs,
    secret: &str,
    cloud: Cloud,
) -> Result<Vec<ExportFile>, String> {
    let Some(integration) = catalog::by_id(integration_id) else {
        return Err(export::ExportError::UnknownIntegration(integration_id.to_owned()).to_string());
    };
    let plan = saved.plan(integration);
    let values = saved.values(secret);
    let files = || -> Result<_, export::ExportError> {
        Ok(vec![
            export::required_resource_access(&plan)?,
            export::az_cli_in(&plan, cloud)?,
            export::graph_requests_file_in(&plan, cloud)?,
            export::values_env(integration, &plan, &values)?,
            export::values_json(integration, &plan, &values)?,
        ])
    };
    files().map_err(|e| e.to_string())
}

/// What the Downloads card lists as the admin ticks and types, and what loads the exports
/// module (the card calls it once it comes near the viewport: an admin who never scrolls
/// to it never fetches it). `None` until the module has loaded; the reason, should it fail.
/// Natively (prerendering), the files are written at once and nothing loads.
pub fn prepared(
    integration_id: &'static str,
    progress: RwSignal<SavedInputs>,
    secret: RwSignal<String>,
    cloud: Cloud,
) -> (Signal<Prepared>, Callback<()>) {
    #[cfg(target_arch = "wasm32")]
    {
        use crate::lazy::{self, ExportsModule};

        // Another checklist of this page load fetched it already: no reason to wait.
        let module =
            RwSignal::new_local(lazy::loaded_exports_module().map(Ok::<ExportsModule, String>));
        let load = Callback::new(move |()| {
            if module.with_untracked(Option::is_some) {
                return;
            }
            leptos::task::spawn_local(async move {
                // The page may have been left meanwhile: then nobody is waiting for the files.
                let _ = module.try_set(Some(lazy::exports_module().await));
            });
        });
        let files = Memo::new(move |_| {
            module.with(|loaded| {
                let module = loaded.as_ref()?;
                Some(module.clone().and_then(|m| {
                    progress
                        .with(|p| lazy::export_files(&m, integration_id, p, &secret.get(), cloud))
                }))
            })
        });
        (files.into(), load)
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let files = Memo::new(move |_| {
            Some(progress.with(|p| write(integration_id, p, &secret.get(), cloud)))
        });
        (files.into(), Callback::new(|()| {}))
    }
}
