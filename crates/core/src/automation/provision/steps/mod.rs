//! The steps of a run, one file per family: the registration and service principals
//! (`application`), the client secret (`secret`), and consent (`consent`). Each step takes
//! the Graph client as `&impl GraphApi` and records its outcome in the [`Run`](super::run::Run).

mod application;
mod consent;
mod secret;

use serde::Serialize;
use serde_json::Value;

use super::events::Failure;

pub(crate) use application::{
    client_service_principal, late_required_access, resource_service_principals, upsert_application,
};
pub(crate) use consent::grant;
#[cfg(test)]
pub(crate) use consent::merge_scopes;
pub(crate) use secret::{add_secret, still_live};

/// A typed Graph body as JSON.
pub(crate) fn json_body(value: impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

pub(crate) fn unreadable() -> Failure {
    Failure::plain("Graph's answer could not be read", "Run the setup again.")
}
