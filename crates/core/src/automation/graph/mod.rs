//! Microsoft Graph calls: the error body and what each error means for a retry, `$batch`,
//! and a client that retries. The bodies themselves are [`crate::graph_model`], shared
//! with the exports.

mod api;
pub mod batch;
pub mod call;
pub mod client;
pub mod error;
pub(crate) mod paths;

pub(crate) use api::GraphApi;
pub use call::{Call, Method, Reply};
pub use client::{CallError, Graph, Mode, PageError, Policy, RetryNotice, RetryReason};
pub use error::{classify, ErrorClass, GraphError, ReplicationForm};
