//! Automated mode: sign the admin in, read the tenant, plan, create, consent and verify.
//!
//! Target-independent like the rest of core: HTTP, time, sleeping and randomness come from
//! the caller ([`host`]). `AUTOMATION.md` beside this crate's manifest is the guide.

pub mod auth;
pub mod config;
pub mod graph;
pub mod health_read;
pub mod host;
pub mod provision;
pub use crate::secret::Secret;
