//! Pieces shared by the checklist and automated-setup pages.

pub mod copy_button;
pub mod downloads;
pub mod findings;
pub mod focus;
pub mod later;
pub mod registration_fields;
pub mod rich;
pub mod text_field;
pub mod unknown_integration;
pub mod values_card;
