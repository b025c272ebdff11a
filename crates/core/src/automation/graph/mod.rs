//! Microsoft Graph: typed bodies for exactly the calls automated mode makes, the error
//! body and what each error means for a retry, `$batch`, and a client that retries.

mod api;
pub mod batch;
pub mod call;
pub mod client;
pub mod error;
pub(crate) mod paths;
pub mod types;

pub(crate) use api::GraphApi;
pub use call::{Call, Method, Reply};
pub use client::{CallError, Graph, Mode, PageError, Policy, RetryNotice, RetryReason};
pub use error::{classify, ErrorClass, GraphError, ReplicationForm};
