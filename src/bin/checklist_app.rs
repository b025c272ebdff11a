//! The checklist app (`entra-setup-checklist-app`): the shell with the checklist pages built
//! in, loaded by a deep link to a checklist instead of the shell (`hosting/post-build.mjs`
//! points the prerendered `checklist/<id>.html` at it). The shell alone and the checklist
//! module would each carry a Leptos runtime and their own glue; one module carries one, so a
//! deep-linked checklist is usable after fewer bytes (`cargo xtask bench`). Every other page
//! (the home page, setup pages, tenant health) is the shell's: going there from a checklist
//! loads it from the host (`ChecklistApp`).

fn main() {
    entra_setup_assistant::start(entra_setup_assistant::ChecklistApp);
}
