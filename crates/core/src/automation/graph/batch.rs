//! JSON batching (graph-facts §8): at most 20 requests, relative URLs, responses in any
//! order (correlate by `id`), `dependsOn` for sequencing, 424 for failed dependencies.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::call::{Call, Reply};

pub const MAX_BATCH: usize = 20;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchRequest {
    pub requests: Vec<BatchItem>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct BatchItem {
    pub id: String,
    pub method: String,
    pub url: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub headers: Option<BTreeMap<String, String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depends_on: Option<Vec<String>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchResponse {
    #[serde(default)]
    pub responses: Vec<BatchItemResponse>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BatchItemResponse {
    pub id: String,
    pub status: u16,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    pub body: Option<Value>,
}

impl BatchItem {
    /// A batch item for `call`; a body needs a `Content-Type` header inside the batch.
    pub fn from_call(
        id: impl Into<String>,
        call: &Call,
        depends_on: Option<Vec<String>>,
    ) -> BatchItem {
        let mut headers: BTreeMap<String, String> = call.headers.iter().cloned().collect();
        if call.body.is_some() {
            headers.insert("Content-Type".into(), "application/json".into());
        }
        BatchItem {
            id: id.into(),
            method: call.method.as_str().to_owned(),
            url: call.url.clone(),
            headers: (!headers.is_empty()).then_some(headers),
            body: call.body.clone(),
            depends_on,
        }
    }
}

impl BatchItemResponse {
    pub fn into_reply(self) -> Reply {
        Reply {
            status: self.status,
            headers: self
                .headers
                .into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v))
                .collect(),
            body: self.body,
        }
    }
}

/// The replies of a batch response by item id. Items missing from the response are absent
/// from the map (the caller treats them as not carried out).
pub fn replies_by_id(response: BatchResponse) -> BTreeMap<String, Reply> {
    response
        .responses
        .into_iter()
        .map(|r| (r.id.clone(), r.into_reply()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn request_shape_has_relative_urls_content_type_and_depends_on() {
        let item = BatchItem::from_call(
            "2",
            &Call::post("/oauth2PermissionGrants", json!({"scope": "User.Read"})),
            Some(vec!["1".into()]),
        );
        let v = serde_json::to_value(BatchRequest {
            requests: vec![item],
        })
        .unwrap();
        assert_eq!(
            v,
            json!({"requests": [{"id": "2", "method": "POST", "url": "/oauth2PermissionGrants",
                "headers": {"Content-Type": "application/json"}, "body": {"scope": "User.Read"},
                "dependsOn": ["1"]}]})
        );
        let get = serde_json::to_value(BatchItem::from_call("1", &Call::get("/me"), None)).unwrap();
        assert_eq!(get, json!({"id": "1", "method": "GET", "url": "/me"}));
    }

    #[test]
    fn out_of_order_responses_are_matched_by_id() {
        let response: BatchResponse = serde_json::from_value(json!({"responses": [
            {"id": "3", "status": 424, "body": {"error": {"code": "FailedDependency", "message": "m"}}},
            {"id": "1", "status": 201, "headers": {"Location": "x"}, "body": {"id": "g1"}},
            {"id": "2", "status": 429, "headers": {"Retry-After": "3"}, "body": {"error": {"code": "TooManyRequests", "message": "m"}}}
        ]}))
        .unwrap();
        let by_id = replies_by_id(response);
        assert_eq!(by_id["1"].status, 201);
        assert_eq!(by_id["1"].header("location"), Some("x"));
        assert_eq!(by_id["2"].retry_after_ms(), Some(3000));
        assert_eq!(by_id["3"].error().unwrap().code, "FailedDependency");
    }
}
