//! HTTP for core's automated mode over the browser's `fetch`.
//!
//! Requests carry no cookies (`credentials: omit`): every call is authorised by the bearer
//! token core adds, never by ambient browser state.

use entra_setup_core::automation::host::{
    HttpRequest, HttpResponse, TransportError, TransportErrorKind,
};
use js_sys::{Array, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{Headers, Request, RequestCache, RequestCredentials, RequestInit, Response};

fn other(message: impl Into<String>) -> TransportError {
    TransportError {
        kind: TransportErrorKind::Other,
        message: message.into(),
    }
}

fn js_message(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned())
}

/// Sends `request` with `fetch`. A rejected fetch (network failure, CORS refusal; the
/// browser does not say which) is `Dropped`: the request may have been carried out, so core
/// looks before it repeats anything that creates.
pub async fn send(request: HttpRequest) -> Result<HttpResponse, TransportError> {
    let init = RequestInit::new();
    init.set_method(request.method().as_str());
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    let headers = Headers::new().map_err(|e| other(js_message(&e)))?;
    for (name, value) in request.headers() {
        let value = value
            .to_str()
            .map_err(|_| other(format!("header {name} is not text")))?;
        headers
            .append(name.as_str(), value)
            .map_err(|e| other(js_message(&e)))?;
    }
    init.set_headers(&headers);
    if !request.body().is_empty() {
        init.set_body(&Uint8Array::from(request.body().as_slice()).into());
    }
    let js_request = Request::new_with_str_and_init(&request.uri().to_string(), &init)
        .map_err(|e| other(js_message(&e)))?;
    let window = web_sys::window().ok_or_else(|| other("no window"))?;
    let response: Response = JsFuture::from(window.fetch_with_request(&js_request))
        .await
        .map_err(|e| TransportError {
            kind: TransportErrorKind::Dropped,
            message: js_message(&e),
        })?
        .unchecked_into();

    let mut builder = http::Response::builder().status(response.status());
    // Only the headers the server exposes through CORS are visible here (Graph does not
    // expose Retry-After); core falls back to backoff when one is missing.
    if let Ok(Some(entries)) = js_sys::try_iter(&response.headers()) {
        for entry in entries.flatten() {
            let pair: Array = entry.unchecked_into();
            if let (Some(name), Some(value)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
                builder = builder.header(name, value);
            }
        }
    }
    let body = JsFuture::from(response.array_buffer().map_err(|e| other(js_message(&e)))?)
        .await
        .map_err(|e| TransportError {
            kind: TransportErrorKind::Dropped,
            message: js_message(&e),
        })?;
    builder
        .body(Uint8Array::new(&body).to_vec())
        .map_err(|e| other(e.to_string()))
}
