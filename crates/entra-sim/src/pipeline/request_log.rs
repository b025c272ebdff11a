//! The request log served at `/_sim/requests` and in `/_sim/state`.

use serde::Serialize;

use crate::config::FaultKind;

#[derive(Debug, Clone, Serialize)]
pub struct LogEntry {
    pub request_id: String,
    pub client_request_id: Option<String>,
    /// For a `$batch` item: the request-id of the enclosing `$batch` request.
    pub batch_request_id: Option<String>,
    /// For a `$batch` item: its `id` in the batch.
    pub batch_item_id: Option<String>,
    /// Sim-clock time the request arrived.
    pub time: String,
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub origin: Option<String>,
    pub status: u16,
    /// Graph `error.code` or identity `error` (+ AADSTS code) of an error response.
    pub error_code: Option<String>,
    pub fault: Option<FaultKind>,
    pub throttled: bool,
    /// Wall-clock time spent, including injected latency.
    pub duration_ms: u64,
}

/// Attached to responses so the logging layer can record what happened inside.
#[derive(Debug, Clone, Default)]
pub struct LogNote {
    pub error_code: Option<String>,
    pub fault: Option<FaultKind>,
    pub throttled: bool,
}
