//! One Graph request and its reply, independent of how it travels (alone or in `$batch`).

pub use http::Method;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::{ErrorBody, GraphError};
use crate::automation::host::{HttpRequest, HttpResponse};

/// A request relative to the Graph base URL (`/applications`, not absolute: `$batch` wants
/// relative URLs, graph-facts §8).
#[derive(Clone, Debug, PartialEq)]
pub struct Call {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
}

impl Call {
    fn new(method: Method, url: impl Into<String>, body: Option<Value>) -> Call {
        Call {
            method,
            url: url.into(),
            headers: vec![],
            body,
        }
    }

    pub fn get(url: impl Into<String>) -> Call {
        Call::new(Method::GET, url, None)
    }

    pub fn post(url: impl Into<String>, body: Value) -> Call {
        Call::new(Method::POST, url, Some(body))
    }

    pub fn patch(url: impl Into<String>, body: Value) -> Call {
        Call::new(Method::PATCH, url, Some(body))
    }

    pub fn delete(url: impl Into<String>) -> Call {
        Call::new(Method::DELETE, url, None)
    }

    pub fn header(mut self, name: &str, value: &str) -> Call {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    /// As a stand-alone HTTP request with the bearer token.
    pub fn to_http(&self, graph_base: &str, token: &str) -> HttpRequest {
        let mut b = http::Request::builder()
            .method(self.method.clone())
            .uri(format!("{graph_base}{}", self.url))
            .header("authorization", format!("Bearer {token}"))
            .header("accept", "application/json");
        for (k, v) in &self.headers {
            b = b.header(k.as_str(), v.as_str());
        }
        let body = match &self.body {
            Some(v) => {
                b = b.header("content-type", "application/json");
                serde_json::to_vec(v).unwrap_or_default()
            }
            None => Vec::new(),
        };
        b.body(body)
            .unwrap_or_else(|_| http::Request::new(Vec::new()))
    }
}

/// A response: status, headers (names lower-cased), JSON body if any.
#[derive(Clone, Debug, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
}

impl Reply {
    pub fn from_http(response: &HttpResponse) -> Reply {
        let headers = response
            .headers()
            .iter()
            .filter_map(|(k, v)| {
                Some((k.as_str().to_ascii_lowercase(), v.to_str().ok()?.to_owned()))
            })
            .collect();
        let body = serde_json::from_slice(response.body()).ok();
        Reply {
            status: response.status().as_u16(),
            headers,
            body,
        }
    }

    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The error body of a failed call.
    pub fn error(&self) -> Option<GraphError> {
        if self.ok() {
            return None;
        }
        serde_json::from_value::<ErrorBody>(self.body.clone()?)
            .ok()
            .map(|b| b.error)
    }

    /// `request-id` from the error body or the header, for support.
    pub fn request_id(&self) -> Option<String> {
        self.error()
            .and_then(|e| e.request_id().map(str::to_owned))
            .or_else(|| self.header("request-id").map(str::to_owned))
    }

    /// Retry-After in milliseconds when the browser could read it (only delta-seconds;
    /// graph-facts §9.1 documents no date form).
    pub fn retry_after_ms(&self) -> Option<u64> {
        self.header("retry-after")?
            .trim()
            .parse::<u64>()
            .ok()
            .map(|s| s * 1000)
    }

    pub fn json<T: DeserializeOwned>(&self) -> Option<T> {
        serde_json::from_value(self.body.clone()?).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn builds_requests_and_reads_replies() {
        let req = Call::patch("/applications(uniqueName='x')", json!({"displayName": "X"}))
            .header("Prefer", "create-if-missing")
            .to_http("https://graph.microsoft.com/v1.0", "tok");
        assert_eq!(req.method(), "PATCH");
        assert_eq!(
            req.uri(),
            "https://graph.microsoft.com/v1.0/applications(uniqueName='x')"
        );
        assert_eq!(req.headers()["prefer"], "create-if-missing");
        assert_eq!(req.headers()["content-type"], "application/json");
        assert_eq!(req.headers()["authorization"], "Bearer tok");

        let resp = http::Response::builder()
            .status(429)
            .header("Retry-After", "7")
            .header("request-id", "hdr-id")
            .body(br#"{"error":{"code":"TooManyRequests","message":"Please retry again later.","innerError":{"code":"429"}}}"#.to_vec())
            .unwrap();
        let r = Reply::from_http(&resp);
        assert_eq!(r.retry_after_ms(), Some(7000));
        assert_eq!(r.error().unwrap().code, "TooManyRequests");
        assert_eq!(r.request_id().as_deref(), Some("hdr-id"));
        let no_content =
            Reply::from_http(&http::Response::builder().status(204).body(vec![]).unwrap());
        assert!(no_content.ok() && no_content.body.is_none() && no_content.error().is_none());
    }
}
