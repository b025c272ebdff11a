//! One module per top-level route.

pub mod checklist;
pub mod home;
pub mod not_found;
pub mod setup;
