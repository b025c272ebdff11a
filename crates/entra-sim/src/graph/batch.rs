//! `POST /v1.0/$batch` (graph-facts §8): at most 20 requests, `dependsOn` ordering with
//! 424 for dependents of failed requests, and responses deliberately out of order.

use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use serde_json::{json, Map, Value};

use super::response::{GraphError, GraphRequest, GraphResponse};
use super::{handle, percent_decode, BatchItem};
use crate::random;
use crate::state::Sim;

pub const MAX_REQUESTS: usize = 20;

struct Item {
    id: String,
    method: Method,
    url: String,
    headers: Map<String, Value>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

fn parse(outer: &GraphRequest) -> Result<Vec<Item>, GraphError> {
    let invalid =
        |m: &str| GraphError::with_code(StatusCode::BAD_REQUEST, "BadRequest", m.to_owned());
    let body: Value = serde_json::from_slice(&outer.body)
        .map_err(|_| invalid("Invalid batch payload format."))?;
    let requests = body
        .get("requests")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("Invalid batch payload format."))?;
    if requests.len() > MAX_REQUESTS {
        return Err(invalid(&format!(
            "The number of requests in the batch ({}) exceeds the limit of {MAX_REQUESTS}.",
            requests.len()
        )));
    }
    let mut items: Vec<Item> = Vec::new();
    for r in requests {
        let id = match r.get("id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(invalid("Every batch request must have an 'id'.")),
        };
        if items.iter().any(|i| i.id == id) {
            return Err(invalid(&format!(
                "Batch request contains duplicate request id '{id}'."
            )));
        }
        let method = r
            .get("method")
            .and_then(Value::as_str)
            .and_then(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()).ok())
            .ok_or_else(|| invalid(&format!("Batch request '{id}' has no valid 'method'.")))?;
        let url = r
            .get("url")
            .and_then(Value::as_str)
            .filter(|u| !u.starts_with("http://") && !u.starts_with("https://"))
            .ok_or_else(|| invalid(&format!("Batch request '{id}' must have a relative 'url'.")))?
            .to_owned();
        let headers = r
            .get("headers")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let body = r.get("body").filter(|b| !b.is_null()).cloned();
        if body.is_some()
            && !headers
                .keys()
                .any(|k| k.eq_ignore_ascii_case("content-type"))
        {
            return Err(invalid(&format!(
                "Write request id : {id} does not contain Content-Type header or body."
            )));
        }
        let depends_on = match r.get("dependsOn") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            Some(_) => {
                return Err(invalid(&format!(
                    "Batch request '{id}' has an invalid 'dependsOn'."
                )))
            }
        };
        items.push(Item {
            id,
            method,
            url,
            headers,
            body,
            depends_on,
        });
    }
    for item in &items {
        for dep in &item.depends_on {
            if !items.iter().any(|i| &i.id == dep) {
                return Err(invalid(&format!(
                    "Batch request '{}' depends on unknown request '{dep}'.",
                    item.id
                )));
            }
        }
    }
    Ok(items)
}

fn item_request(outer: &GraphRequest, item: &Item) -> GraphRequest {
    let url = item.url.trim_start_matches("/v1.0");
    let url = if url.starts_with('/') {
        url.to_owned()
    } else {
        format!("/{url}")
    };
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p.to_owned(), Some(q.to_owned())),
        None => (url, None),
    };
    let mut headers = HeaderMap::new();
    if let Some(auth) = outer.headers.get("authorization") {
        headers.insert("authorization", auth.clone());
    }
    for (k, v) in &item.headers {
        if let (Ok(name), Some(Ok(value))) = (
            HeaderName::from_bytes(k.as_bytes()),
            v.as_str().map(HeaderValue::from_str),
        ) {
            headers.insert(name, value);
        }
    }
    let client_request_id = item
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("client-request-id"))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_owned)
        .unwrap_or_else(random::guid);
    let body = match &item.body {
        None => Default::default(),
        Some(Value::String(s)) => s.clone().into_bytes().into(),
        Some(v) => v.to_string().into_bytes().into(),
    };
    GraphRequest {
        method: item.method.clone(),
        path: percent_decode(&path),
        query,
        headers,
        body,
        request_id: random::guid(),
        client_request_id,
        base_url: outer.base_url.clone(),
        page_size: outer.page_size,
    }
}

fn failed_dependency(item: &Item) -> Value {
    json!({
        "id": item.id,
        "status": 424,
        "headers": { "Content-Type": "application/json" },
        "body": { "error": { "code": "FailedDependency", "message": "The request depends on a request that failed." } },
    })
}

pub fn run(sim: &Sim, outer: &GraphRequest) -> GraphResponse {
    let items = match parse(outer) {
        Ok(items) => items,
        Err(e) => return e.into_response(outer, sim.lock().now_ms()),
    };
    let mut statuses: Vec<(String, u16)> = Vec::new();
    let mut executed: Vec<Value> = Vec::new();
    let mut pending: Vec<&Item> = items.iter().collect();
    // Items run once everything they depend on has run; a pass that runs nothing means a
    // dependency cycle, which Graph refuses as a whole.
    while !pending.is_empty() {
        let before = pending.len();
        let mut still = Vec::new();
        for item in pending {
            let deps: Option<Vec<u16>> = item
                .depends_on
                .iter()
                .map(|d| statuses.iter().find(|(id, _)| id == d).map(|(_, s)| *s))
                .collect();
            let Some(deps) = deps else {
                still.push(item);
                continue;
            };
            if deps.iter().any(|s| *s >= 400) {
                statuses.push((item.id.clone(), 424));
                executed.push(failed_dependency(item));
                continue;
            }
            let req = item_request(outer, item);
            let link = BatchItem {
                batch_request_id: outer.request_id.clone(),
                item_id: item.id.clone(),
            };
            let response = handle(sim, &req, Some(&link));
            if response.drop_connection {
                return GraphResponse::dropped();
            }
            statuses.push((item.id.clone(), response.status.as_u16()));
            let mut headers = Map::new();
            for (k, v) in &response.headers {
                if !k.eq_ignore_ascii_case("request-id")
                    && !k.eq_ignore_ascii_case("client-request-id")
                {
                    headers.insert(k.clone(), json!(v));
                }
            }
            if response.body.is_some() {
                headers.insert("Content-Type".into(), json!("application/json"));
            }
            let mut entry =
                json!({ "id": item.id, "status": response.status.as_u16(), "headers": headers });
            if let Some(body) = response.body {
                entry["body"] = body;
            }
            executed.push(entry);
        }
        if still.len() == before {
            return GraphError::with_code(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                "The batch contains a dependency cycle.",
            )
            .into_response(outer, sim.lock().now_ms());
        }
        pending = still;
    }
    // Graph does not promise any order; answering in reverse keeps clients honest about
    // correlating by id.
    executed.reverse();
    GraphResponse::ok(json!({ "responses": executed }))
}
