//! Microsoft Graph v1.0 under `/v1.0/`: routing, the per-call pipeline (faults,
//! throttling, authentication), and the HTTP entry point.
//!
//! Every call, top-level or `$batch` item, goes through `handle`, so faults, throttling
//! and logging apply to batch items individually as graph-facts §8 describes.

pub mod applications;
pub mod assignments;
pub mod auth;
pub mod batch;
pub mod grants;
pub mod me;
pub mod memberships;
pub mod odata;
pub mod replication;
pub mod response;
pub mod role_management;
pub mod service_principals;

use std::time::Instant;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{json, Map, Value};

use crate::clock;
use crate::config::{FaultKind, FaultSpec};
use crate::directory::Stored;
use crate::pipeline::request_log::LogEntry;
use crate::pipeline::{self, faults, RequestMeta};
use crate::state::{Sim, World};
use auth::Caller;
use odata::Query;
use response::{GraphError, GraphRequest, GraphResponse, GraphResult};

/// An alternate-key or id address of an entity: `applications/{id}`,
/// `applications(appId='...')`, `applications(uniqueName='...')`.
#[derive(Debug, Clone, PartialEq)]
pub enum Key {
    Id(String),
    AppId(String),
    UniqueName(String),
}

impl Key {
    pub fn describe(&self) -> &str {
        match self {
            Key::Id(v) | Key::AppId(v) | Key::UniqueName(v) => v,
        }
    }

    /// Whether the key addresses this object (ids and names compare case-insensitively).
    fn addresses(&self, object: &impl Stored) -> bool {
        match self {
            Key::Id(id) => object.id().eq_ignore_ascii_case(id),
            Key::AppId(app_id) => object.str("appId").eq_ignore_ascii_case(app_id),
            Key::UniqueName(name) => object
                .body()
                .get("uniqueName")
                .and_then(Value::as_str)
                .is_some_and(|n| n.eq_ignore_ascii_case(name)),
        }
    }
}

/// Index of the object a key addresses, as the replica serving a read at `visible_before`
/// sees the collection.
pub fn position_by_key<T: Stored>(objects: &[T], key: &Key, visible_before: i64) -> Option<usize> {
    objects
        .iter()
        .position(|o| o.visible(visible_before) && key.addresses(o))
}

/// Splits `applications(appId='x')` into (`applications`, Some(AppId("x"))).
fn split_key(segment: &str) -> Result<(&str, Option<Key>), GraphError> {
    let Some(open) = segment.find('(') else {
        return Ok((segment, None));
    };
    let name = &segment[..open];
    let inner = segment[open + 1..]
        .strip_suffix(')')
        .ok_or_else(|| GraphError::unknown_segment(segment))?;
    let unquote = |v: &str| -> Result<String, GraphError> {
        v.trim()
            .strip_prefix('\'')
            .and_then(|v| v.strip_suffix('\''))
            .map(|v| v.replace("''", "'"))
            .ok_or_else(|| {
                GraphError::bad_request(format!("Invalid key value in segment '{segment}'."))
            })
    };
    let key = match inner.split_once('=') {
        Some((k, v)) if k.trim().eq_ignore_ascii_case("appId") => Key::AppId(unquote(v)?),
        Some((k, v)) if k.trim().eq_ignore_ascii_case("uniqueName") => Key::UniqueName(unquote(v)?),
        Some((k, _)) => {
            return Err(GraphError::bad_request(format!(
                "The alternate key '{}' is not supported on '{name}'.",
                k.trim()
            )))
        }
        None => Key::Id(unquote(inner).unwrap_or_else(|_| inner.to_owned())),
    };
    Ok((name, Some(key)))
}

fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Routes an authenticated call to its handler.
fn route(world: &mut World, caller: &Caller, req: &GraphRequest) -> GraphResult {
    let segments: Vec<&str> = req.path.split('/').filter(|s| !s.is_empty()).collect();
    let Some(first) = segments.first() else {
        return Err(GraphError::unknown_segment(""));
    };
    let (name, key) = split_key(first)?;
    let mut rest: Vec<&str> = segments[1..].to_vec();
    // `/applications/{id}` is the same address as `/applications('{id}')`.
    let key = match key {
        Some(k) => Some(k),
        None if !rest.is_empty()
            && (eq(name, "applications")
                || eq(name, "servicePrincipals")
                || eq(name, "oauth2PermissionGrants")) =>
        {
            Some(Key::Id(rest.remove(0).to_owned()))
        }
        None => None,
    };
    let method = req.method.as_str();
    let action = rest
        .first()
        .map(|a| a.trim_start_matches("microsoft.graph."));
    match (name, key, action) {
        (n, None, None) if eq(n, "me") => only(method, "GET", || me::get_me(world, caller, req)),
        (n, None, Some(a)) if eq(n, "me") && (eq(a, "memberOf") || eq(a, "transitiveMemberOf")) => {
            let transitive = eq(a, "transitiveMemberOf");
            match (memberships::Cast::parse(rest.get(1).copied()), rest.len()) {
                (Some(cast), 1 | 2) => only(method, "GET", || {
                    memberships::list(world, caller, req, transitive, cast)
                }),
                _ => Err(GraphError::unknown_segment(
                    rest.last().copied().unwrap_or(""),
                )),
            }
        }
        (n, None, Some(_)) if eq(n, "roleManagement") => {
            role_management::route(world, caller, req, &rest)
        }
        (n, None, None) if eq(n, "organization") => {
            only(method, "GET", || me::organization(world, caller, req))
        }
        (n, None, None) if eq(n, "applications") => match method {
            "GET" => applications::list(world, caller, req),
            "POST" => applications::create(world, caller, req),
            _ => Err(GraphError::method_not_allowed()),
        },
        (n, Some(key), None) if eq(n, "applications") => match method {
            "GET" => applications::get(world, caller, req, &key),
            "PATCH" => applications::update(world, caller, req, &key),
            "DELETE" => applications::delete(world, caller, &key),
            _ => Err(GraphError::method_not_allowed()),
        },
        (n, Some(key), Some(a))
            if eq(n, "applications") && rest.len() == 1 && eq(a, "addPassword") =>
        {
            only(method, "POST", || {
                applications::add_password(world, caller, req, &key)
            })
        }
        (n, Some(key), Some(a))
            if eq(n, "applications") && rest.len() == 1 && eq(a, "removePassword") =>
        {
            only(method, "POST", || {
                applications::remove_password(world, caller, req, &key)
            })
        }
        (n, None, None) if eq(n, "servicePrincipals") => match method {
            "GET" => service_principals::list(world, caller, req),
            "POST" => service_principals::create(world, caller, req),
            _ => Err(GraphError::method_not_allowed()),
        },
        (n, Some(key), None) if eq(n, "servicePrincipals") => match method {
            "GET" => service_principals::get(world, caller, req, &key),
            "PATCH" => service_principals::update(world, caller, req, &key),
            "DELETE" => service_principals::delete(world, caller, &key),
            _ => Err(GraphError::method_not_allowed()),
        },
        (n, Some(key), Some(a))
            if eq(n, "servicePrincipals")
                && (eq(a, "appRoleAssignments") || eq(a, "appRoleAssignedTo")) =>
        {
            let side = if eq(a, "appRoleAssignments") {
                assignments::Side::Principal
            } else {
                assignments::Side::Resource
            };
            match (rest.get(1), rest.len(), method) {
                (None, 1, "GET") => assignments::list(world, caller, req, &key, side),
                (None, 1, "POST") => assignments::create(world, caller, req, &key, side),
                (Some(id), 2, "GET") => assignments::get(world, caller, req, &key, side, id),
                (Some(id), 2, "DELETE") => assignments::delete(world, caller, &key, side, id),
                (_, 1 | 2, _) => Err(GraphError::method_not_allowed()),
                _ => Err(GraphError::unknown_segment(
                    rest.last().copied().unwrap_or(""),
                )),
            }
        }
        (n, None, None) if eq(n, "oauth2PermissionGrants") => match method {
            "GET" => grants::list(world, caller, req),
            "POST" => grants::create(world, caller, req),
            _ => Err(GraphError::method_not_allowed()),
        },
        (n, Some(Key::Id(id)), None) if eq(n, "oauth2PermissionGrants") => match method {
            "GET" => grants::get(world, caller, req, &id),
            "PATCH" => grants::update(world, caller, req, &id),
            "DELETE" => grants::delete(world, caller, &id),
            _ => Err(GraphError::method_not_allowed()),
        },
        (n, _, Some(a))
            if ["me", "applications", "servicePrincipals"]
                .iter()
                .any(|k| eq(k, n)) =>
        {
            Err(GraphError::unknown_segment(a))
        }
        _ => Err(GraphError::unknown_segment(name)),
    }
}

fn only(method: &str, allowed: &str, f: impl FnOnce() -> GraphResult) -> GraphResult {
    if method == allowed {
        f()
    } else {
        Err(GraphError::method_not_allowed())
    }
}

/// Identifies a `$batch` item for the request log.
#[derive(Debug, Clone)]
pub struct BatchItem {
    pub batch_request_id: String,
    pub item_id: String,
}

/// The answer to a call an injected fault hits.
fn fault_response(fault: &FaultSpec, req: &GraphRequest, now_ms: i64) -> GraphResponse {
    let mut error = match fault.kind {
        FaultKind::DropConnection => {
            let mut r = GraphResponse::dropped();
            r.note.fault = Some(fault.kind);
            return r;
        }
        FaultKind::ServiceUnavailable => GraphError::with_code(
            StatusCode::SERVICE_UNAVAILABLE,
            "serviceNotAvailable",
            "The service is temporarily unavailable. Please retry later.",
        ),
        FaultKind::GatewayTimeout => GraphError::with_code(
            StatusCode::GATEWAY_TIMEOUT,
            "gatewayTimeout",
            "The operation timed out at the gateway.",
        ),
        FaultKind::TokenExpired => {
            GraphError::unauthenticated("Lifetime validation failed, the token is expired.")
        }
    };
    if let (Some(secs), FaultKind::ServiceUnavailable | FaultKind::GatewayTimeout) =
        (fault.retry_after_secs, fault.kind)
    {
        error.headers.push(("Retry-After".into(), secs.to_string()));
    }
    let mut r = error.into_response(req, now_ms);
    r.note.fault = Some(fault.kind);
    r
}

/// Runs one Graph call through faults, throttling, authentication and its handler.
pub fn handle(sim: &Sim, req: &GraphRequest, batch: Option<&BatchItem>) -> GraphResponse {
    let started = Instant::now();
    let full_path = format!("/v1.0{}", req.path);
    let is_batch = req
        .path
        .trim_end_matches('/')
        .eq_ignore_ascii_case("/$batch");
    let mut world = sim.lock();
    let arrived = world.now_ms();
    let fault = faults::take(&mut world.knobs, req.method.as_str(), &full_path, true);
    // A `$batch` request is not counted itself: its items are, one by one.
    let throttled = match (&fault, is_batch) {
        (None, false) => {
            let World {
                knobs, throttle, ..
            } = &mut *world;
            knobs
                .throttle
                .as_ref()
                .and_then(|limit| throttle.admit(limit, arrived))
        }
        _ => None,
    };
    let mut response = if let Some(fault) = &fault {
        fault_response(fault, req, arrived)
    } else if let Some(retry_after) = throttled {
        let mut e = GraphError::with_code(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Please retry again later.",
        );
        e.inner_code = Some("429");
        e.headers
            .push(("Retry-After".into(), retry_after.to_string()));
        let mut r = e.into_response(req, arrived);
        r.note.throttled = true;
        r
    } else if is_batch {
        if batch.is_some() {
            GraphError::bad_request("A $batch request cannot contain another $batch request.")
                .into_response(req, arrived)
        } else {
            drop(world);
            let r = batch::run(sim, req);
            world = sim.lock();
            r
        }
    } else {
        auth::authenticate(&world, sim.signer, req.header("authorization"))
            .and_then(|caller| route(&mut world, &caller, req))
            .unwrap_or_else(|e| e.into_response(req, arrived))
    };
    response
        .headers
        .push(("request-id".into(), req.request_id.clone()));
    response
        .headers
        .push(("client-request-id".into(), req.client_request_id.clone()));
    if let Some(item) = batch {
        world.push_log(LogEntry {
            request_id: req.request_id.clone(),
            client_request_id: Some(req.client_request_id.clone()),
            batch_request_id: Some(item.batch_request_id.clone()),
            batch_item_id: Some(item.item_id.clone()),
            time: clock::rfc3339(arrived),
            method: req.method.to_string(),
            path: full_path,
            query: req.query.clone(),
            origin: None,
            status: response.status.as_u16(),
            error_code: response.note.error_code.clone(),
            fault: response.note.fault,
            throttled: response.note.throttled,
            duration_ms: started.elapsed().as_millis() as u64,
        });
    }
    response
}

/// Axum entry point for everything under `/v1.0/`.
pub async fn http_entry(State(sim): State<std::sync::Arc<Sim>>, request: Request) -> Response {
    let meta = request
        .extensions()
        .get::<RequestMeta>()
        .cloned()
        .unwrap_or_else(RequestMeta::standalone);
    let (parts, body) = request.into_parts();
    let body = match axum::body::to_bytes(body, 4 * 1024 * 1024).await {
        Ok(b) => b,
        Err(_) => return (StatusCode::PAYLOAD_TOO_LARGE, "request body too large").into_response(),
    };
    let raw_path = parts
        .uri
        .path()
        .strip_prefix("/v1.0")
        .unwrap_or(parts.uri.path());
    let path = percent_decode(raw_path);
    let req = GraphRequest {
        method: parts.method.clone(),
        path: if path.is_empty() { "/".into() } else { path },
        query: parts.uri.query().map(str::to_owned),
        headers: parts.headers.clone(),
        body,
        request_id: meta.request_id.clone(),
        client_request_id: meta.client_request_id.clone(),
        base_url: meta.base_url.clone(),
        page_size: sim.lock().knobs.page_size,
    };
    let response = handle(&sim, &req, None);
    if response.drop_connection {
        // The outer layer logs the request, then closes the connection.
        return pipeline::dropped(response.note);
    }
    response.into_http()
}

pub fn percent_decode(raw: &str) -> String {
    url::form_urlencoded::parse(format!("x={}", raw.replace('+', "%2B")).as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| raw.to_owned())
}

impl GraphResponse {
    pub fn into_http(self) -> Response {
        let mut builder = Response::builder().status(self.status);
        for (name, value) in &self.headers {
            builder = builder.header(name.as_str(), value.as_str());
        }
        builder = builder.header("Cache-Control", "no-cache").header(
            "x-ms-ags-diagnostic",
            r#"{"ServerInfo":{"DataCenter":"entra-sim","Slice":"E","Ring":"0","ScaleUnit":"000","RoleInstance":"entra-sim"}}"#,
        );
        let body = match &self.body {
            Some(v) => {
                builder = builder.header(
                    "Content-Type",
                    HeaderValue::from_static(
                        "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8",
                    ),
                );
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        let mut response = builder
            .body(body)
            .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response());
        response.extensions_mut().insert(self.note);
        response
    }
}

/// `@odata.context` for a collection or entity of `entity_set` (`applications`).
pub fn context(req: &GraphRequest, entity_set: &str, query: &Query, entity: bool) -> String {
    let select = query
        .select
        .as_ref()
        .map(|s| format!("({})", s.join(",")))
        .unwrap_or_default();
    let suffix = if entity { "/$entity" } else { "" };
    format!(
        "{}/v1.0/$metadata#{entity_set}{select}{suffix}",
        req.base_url
    )
}

/// A collection read of stored objects: those replicated by `visible_before` that match
/// `$filter`, paged and projected.
pub fn list_visible<'a, T: Stored + 'a>(
    req: &GraphRequest,
    entity_set: &str,
    query: &Query,
    objects: impl IntoIterator<Item = &'a T>,
    visible_before: i64,
) -> GraphResponse {
    let items = objects
        .into_iter()
        .filter(|o| o.visible(visible_before))
        .map(Stored::body)
        .filter(|body| {
            query
                .filter
                .as_ref()
                .is_none_or(|f| odata::matches(f, body))
        })
        .collect();
    collection(req, entity_set, query, items)
}

/// Builds a collection response with `$top`/`$skiptoken` paging and `$count`.
///
/// A page holds at most `$top` items and at most the `page_size` knob's; whenever items
/// remain, `@odata.nextLink` is the absolute URL of the next page (the request's own query
/// with `$skiptoken`). Graph pages every collection this way and clients must follow the
/// link until it is absent (learn.microsoft.com/graph/paging).
pub fn collection(
    req: &GraphRequest,
    entity_set: &str,
    query: &Query,
    items: Vec<&Map<String, Value>>,
) -> GraphResponse {
    let total = items.len();
    let take = query
        .top
        .unwrap_or(usize::MAX)
        .min(req.page_size.unwrap_or(usize::MAX))
        .max(1);
    let page: Vec<Value> = items
        .iter()
        .skip(query.skip)
        .take(take)
        .map(|o| Value::Object(query.project(o)))
        .collect();
    let mut body = json!({ "@odata.context": context(req, entity_set, query, false) });
    if query.count {
        body["@odata.count"] = json!(total);
    }
    let next = query.skip + page.len();
    if next < total {
        let mut params: Vec<(String, String)> =
            url::form_urlencoded::parse(req.query.as_deref().unwrap_or("").as_bytes())
                .filter(|(k, _)| k != "$skiptoken")
                .map(|(k, v)| (k.into_owned(), v.into_owned()))
                .collect();
        params.push(("$skiptoken".into(), next.to_string()));
        let qs = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        body["@odata.nextLink"] = json!(format!("{}/v1.0{}?{qs}", req.base_url, req.path));
    }
    body["value"] = Value::Array(page);
    GraphResponse::ok(body)
}

/// A single entity response with `$select` applied and `@odata.context` first.
pub fn entity(
    req: &GraphRequest,
    entity_set: &str,
    query: &Query,
    object: &Map<String, Value>,
) -> Value {
    let mut out = Map::new();
    out.insert(
        "@odata.context".into(),
        json!(context(req, entity_set, query, true)),
    );
    out.extend(query.project(object));
    Value::Object(out)
}

/// `201 Created` with the new entity, as POST and upserts answer.
pub fn created(req: &GraphRequest, entity_set: &str, object: &Map<String, Value>) -> GraphResponse {
    GraphResponse::created(entity(req, entity_set, &Query::default(), object))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_parse() {
        assert_eq!(split_key("applications").unwrap(), ("applications", None));
        assert_eq!(
            split_key("applications(appId='abc')").unwrap(),
            ("applications", Some(Key::AppId("abc".into())))
        );
        assert_eq!(
            split_key("applications(uniqueName='o''k')").unwrap(),
            ("applications", Some(Key::UniqueName("o'k".into())))
        );
        assert!(split_key("applications(colour='x')").is_err());
    }

    #[test]
    fn paths_are_percent_decoded() {
        assert_eq!(
            percent_decode("/applications(appId=%27a%27)"),
            "/applications(appId='a')"
        );
        assert_eq!(percent_decode("/a+b"), "/a+b");
    }
}
