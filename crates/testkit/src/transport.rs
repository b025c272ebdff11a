//! A browser-like transport over reqwest that counts sequential round trips.

use std::cell::Cell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use entra_setup_core::automation::host::{HttpRequest, HttpResponse, TransportError};

use crate::APP_ORIGIN;

/// Counts sequential round trips: a new one starts whenever a request leaves while none
/// is in flight (exact on a single-threaded runtime).
#[derive(Default)]
pub struct Waves {
    in_flight: Cell<u32>,
    waves: Cell<u32>,
    requests: Cell<u32>,
}

impl Waves {
    pub fn reset(&self) {
        self.waves.set(0);
        self.requests.set(0);
    }

    /// Sequential round trips since the last reset.
    pub fn round_trips(&self) -> u32 {
        self.waves.get()
    }

    /// Requests since the last reset.
    pub fn requests(&self) -> u32 {
        self.requests.get()
    }
}

pub type BoxFuture = Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>>>>;
/// The transport as one nameable type, for the `Graph` and `SessionTokens` it parameterizes.
pub type BoxTransport = Box<dyn Fn(HttpRequest) -> BoxFuture>;

/// Every request carries the app's Origin, as a browser's would; `waves` counts them.
pub fn transport(http: reqwest::Client, waves: Rc<Waves>) -> BoxTransport {
    Box::new(move |req: HttpRequest| {
        let http = http.clone();
        let waves = waves.clone();
        Box::pin(async move {
            if waves.in_flight.get() == 0 {
                waves.waves.set(waves.waves.get() + 1);
            }
            waves.in_flight.set(waves.in_flight.get() + 1);
            waves.requests.set(waves.requests.get() + 1);
            let result = send(&http, req).await;
            waves.in_flight.set(waves.in_flight.get() - 1);
            result
        }) as BoxFuture
    })
}

async fn send(http: &reqwest::Client, req: HttpRequest) -> Result<HttpResponse, TransportError> {
    let (parts, body) = req.into_parts();
    let response = http
        .request(parts.method, parts.uri.to_string())
        .headers(parts.headers)
        .header("origin", APP_ORIGIN)
        .body(body)
        .timeout(std::time::Duration::from_secs(30))
        .send()
        .await
        .map_err(|e| TransportError::dropped(e.to_string()))?;
    let mut out = http::Response::builder().status(response.status().as_u16());
    for (k, v) in response.headers() {
        out = out.header(k.as_str(), v.as_bytes());
    }
    let bytes = response
        .bytes()
        .await
        .map_err(|e| TransportError::dropped(e.to_string()))?;
    out.body(bytes.to_vec())
        .map_err(|e| TransportError::dropped(e.to_string()))
}
