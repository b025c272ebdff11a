//! The exports module (`entra-setup-exports`): writes a checklist's downloads. A checklist
//! loads it when its Downloads card nears the viewport (`pages::checklist::files`), so the
//! export code (the Azure CLI script, the Graph requests, the manifest's
//! `requiredResourceAccess`, the values files) is not part of the bytes before a checklist
//! is usable. It renders nothing and links
//! no Leptos (`cargo xtask bench` checks). This file is the module's side of the seam; its
//! exports have the types `src/lazy.rs` declares.

use entra_setup_assistant::pages::checklist::files;
use entra_setup_assistant::saved_inputs::SavedInputs;
use entra_setup_core::export::ExportFile;
use wasm_bindgen::prelude::*;

/// One written file.
#[wasm_bindgen]
pub struct File(ExportFile);

#[wasm_bindgen]
impl File {
    #[wasm_bindgen(getter)]
    pub fn filename(&self) -> String {
        self.0.filename.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn mime(&self) -> String {
        self.0.mime.to_string()
    }

    #[wasm_bindgen(getter)]
    pub fn content(&self) -> String {
        self.0.content.clone()
    }

    #[wasm_bindgen(getter)]
    pub fn notes(&self) -> Vec<String> {
        self.0.notes.clone()
    }
}

/// The checklist's files for `saved` (`SavedInputs::to_js`), the secret typed on the page
/// and the cloud named `cloud` (the global cloud when it names none); the error is what to fix.
#[wasm_bindgen]
pub fn files(
    integration_id: &str,
    saved: JsValue,
    secret: &str,
    cloud: &str,
) -> Result<Vec<File>, String> {
    let saved = SavedInputs::from_js(saved)
        .map_err(|e| format!("The checklist's inputs could not be read ({e}): reload the page."))?;
    let files = files::write(
        integration_id,
        &saved,
        secret,
        cloud.parse().unwrap_or_default(),
    )?;
    Ok(files.into_iter().map(File).collect())
}

// wasm-bindgen's `web` target starts nothing: the checklist calls `files`.
fn main() {}
