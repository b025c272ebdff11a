//! entra-sim: a local Microsoft Entra ID + Microsoft Graph v1.0 simulator.
//!
//! It shares no code or types with `entra-setup-core` on purpose: it is an independent
//! reading of Microsoft's documented behaviour, so a wrong shape in core fails a test
//! instead of being mirrored here.

use axum::{routing::get, Router};

/// The simulator's HTTP routes.
pub fn router() -> Router {
    Router::new().route("/healthz", get(|| async { "ok" }))
}
