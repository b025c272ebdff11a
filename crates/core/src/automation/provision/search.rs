//! Adopt mode's search by name: the registrations whose display name starts with what the
//! admin typed, to pick one by its client ID. Graph's `application` supports `startsWith`
//! on `displayName` in `$filter` without advanced query parameters (application resource,
//! "Supports `$filter` (`eq`, `ne`, `not`, `ge`, `le`, `in`, `startsWith`, ...)"); a
//! screenful is read, never the whole tenant.

use super::observe::{call_failed, ObserveError};
use crate::automation::graph::paths::{odata_quote, query_escape};
use crate::automation::graph::{Call, Graph, Policy};
use crate::automation::host::{Host, TokenSource, Transport};
use crate::graph_model::{Application, Collection};

use super::events::Failure;

/// How many matches one search shows.
pub const SHOWN: usize = 10;

/// A registration the search found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found {
    pub display_name: String,
    pub app_id: String,
    /// It already carries a `uniqueName` (this assistant's, or another tool's).
    pub has_unique_name: bool,
}

/// What a search found: at most [`SHOWN`], and whether more names match.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Matches {
    pub found: Vec<Found>,
    pub more: bool,
}

/// The search's one request.
fn call(name: &str) -> Call {
    let filter = query_escape(&format!(
        "startswith(displayName,'{}')",
        odata_quote(name.trim())
    ));
    Call::get(format!(
        "/applications?$filter={filter}&$select=id,appId,displayName,uniqueName&$top={SHOWN}"
    ))
}

/// Registrations whose display name starts with `name` (case-insensitive, as Graph compares).
pub async fn by_name<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    name: &str,
) -> Result<Matches, ObserveError> {
    let what = "registrations by name";
    let reply = graph
        .send(call(name), Policy::IDEMPOTENT, &|_| {})
        .await
        .map_err(|e| call_failed(what, e))?;
    if !reply.ok() {
        return Err(ObserveError::Graph {
            what: what.into(),
            failure: Box::new(Failure::from_reply(&reply, false)),
        });
    }
    let page: Collection<Application> = reply.json().ok_or_else(|| ObserveError::Graph {
        what: what.into(),
        failure: Box::new(Failure::plain(
            "Graph's answer could not be read",
            "Try again.",
        )),
    })?;
    Ok(Matches {
        more: page.next_link.is_some() || page.value.len() > SHOWN,
        found: page
            .value
            .into_iter()
            .take(SHOWN)
            .filter_map(|a| {
                Some(Found {
                    has_unique_name: a.unique_name.is_some(),
                    display_name: a.display_name.unwrap_or_default(),
                    app_id: a.app_id?,
                })
            })
            .collect(),
    })
}
