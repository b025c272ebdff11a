//! Thin adapters over browser APIs. Decisions live in core or in the pages; these only
//! translate between Rust values and the Web platform.

pub mod clipboard;
pub mod download;
pub mod fetch;
pub mod host;
pub mod session_storage;
pub mod storage;
