//! Target-independent logic of Entra Setup Assistant.
//!
//! This crate performs no I/O: no network, no storage, no clock. The browser app and the
//! native CLI supply those through thin adapters, so everything here runs under a plain
//! native `cargo test`.

pub mod version;
