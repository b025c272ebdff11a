//! Target-independent logic of Entra Setup Assistant.
//!
//! This crate performs no I/O: no network, no storage, no clock. The browser app and the
//! native CLI supply those through thin adapters, so everything here runs under a plain
//! native `cargo test`. `API.md` beside this crate's manifest summarizes the public API.

#[cfg(feature = "automation")]
pub mod automation;
pub mod catalog;
pub mod checklist;
pub mod cloud;
pub mod export;
pub mod graph_model;
pub mod health;
pub mod least_privilege;
pub mod plan;
pub mod secret;
pub mod text;
pub mod time;
pub mod validate;
pub mod values;
pub mod version;
