//! Graph requests and responses as the dispatcher sees them, and Graph's error body
//! (graph-facts §9.3).

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode};
use serde_json::{json, Value};

use crate::clock;
use crate::directory::application::Invalid;
use crate::graph::odata::QueryError;
use crate::pipeline::request_log::LogNote;

/// One Graph call: a top-level HTTP request or a `$batch` item.
#[derive(Debug, Clone)]
pub struct GraphRequest {
    pub method: Method,
    /// Percent-decoded path after `/v1.0`, starting with `/`.
    pub path: String,
    pub query: Option<String>,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub request_id: String,
    pub client_request_id: String,
    /// `http://host:port` the client used, for `@odata.context` and `Location`.
    pub base_url: String,
    /// The `page_size` knob when the request arrived: collections answer at most this many
    /// items per page (`$batch` items inherit their envelope's).
    pub page_size: Option<usize>,
}

impl GraphRequest {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `Prefer: create-if-missing` (possibly among other preferences).
    pub fn prefers_create_if_missing(&self) -> bool {
        self.headers
            .get_all("prefer")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .any(|p| p.trim().eq_ignore_ascii_case("create-if-missing"))
    }

    /// The JSON object body, or the 400 Graph gives for anything else.
    pub fn json_object(&self) -> Result<serde_json::Map<String, Value>, GraphError> {
        if self.body.is_empty() {
            return Err(GraphError::bad_request(
                "Empty Payload. JSON content expected.",
            ));
        }
        match serde_json::from_slice::<Value>(&self.body) {
            Ok(Value::Object(m)) => Ok(m),
            Ok(_) => Err(GraphError::bad_request("The request body must be a JSON object.")),
            Err(e) => Err(GraphError::with_code(
                StatusCode::BAD_REQUEST,
                "BadRequest",
                format!("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format. ({e})"),
            )),
        }
    }
}

#[derive(Debug, Clone)]
pub struct GraphResponse {
    pub status: StatusCode,
    pub headers: Vec<(String, String)>,
    pub body: Option<Value>,
    pub note: LogNote,
    /// The connection-drop fault fired: the transport closes the connection instead.
    pub drop_connection: bool,
}

impl GraphResponse {
    pub fn json(status: StatusCode, body: Value) -> GraphResponse {
        GraphResponse {
            status,
            headers: Vec::new(),
            body: Some(body),
            note: LogNote::default(),
            drop_connection: false,
        }
    }

    pub fn ok(body: Value) -> GraphResponse {
        GraphResponse::json(StatusCode::OK, body)
    }

    pub fn created(body: Value) -> GraphResponse {
        GraphResponse::json(StatusCode::CREATED, body)
    }

    pub fn no_content() -> GraphResponse {
        GraphResponse {
            status: StatusCode::NO_CONTENT,
            headers: Vec::new(),
            body: None,
            note: LogNote::default(),
            drop_connection: false,
        }
    }

    pub fn dropped() -> GraphResponse {
        GraphResponse {
            drop_connection: true,
            ..GraphResponse::no_content()
        }
    }

    pub fn with_header(mut self, name: &str, value: impl Into<String>) -> GraphResponse {
        self.headers.push((name.to_owned(), value.into()));
        self
    }
}

#[derive(Debug, Clone)]
pub struct GraphError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub details: Vec<Value>,
    pub inner_code: Option<&'static str>,
    pub headers: Vec<(String, String)>,
}

impl GraphError {
    pub fn with_code(
        status: StatusCode,
        code: &'static str,
        message: impl Into<String>,
    ) -> GraphError {
        GraphError {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
            inner_code: None,
            headers: Vec::new(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> GraphError {
        GraphError::with_code(StatusCode::BAD_REQUEST, "Request_BadRequest", message)
    }

    pub fn not_found(id: &str) -> GraphError {
        GraphError::with_code(
            StatusCode::NOT_FOUND,
            "Request_ResourceNotFound",
            format!("Resource '{id}' does not exist or one of its queried reference-property objects are not present."),
        )
    }

    pub fn denied() -> GraphError {
        GraphError::with_code(
            StatusCode::FORBIDDEN,
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        )
    }

    pub fn conflict(message: impl Into<String>) -> GraphError {
        GraphError::with_code(
            StatusCode::CONFLICT,
            "Request_MultipleObjectsWithSameKeyValue",
            message,
        )
    }

    pub fn unauthenticated(message: impl Into<String>) -> GraphError {
        let mut e = GraphError::with_code(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        );
        e.headers.push((
            "WWW-Authenticate".into(),
            "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", \
             client_id=\"00000003-0000-0000-c000-000000000000\", error=\"invalid_token\""
                .into(),
        ));
        e
    }

    pub fn method_not_allowed() -> GraphError {
        GraphError::with_code(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            "Specified HTTP method is not allowed for the request uri.",
        )
    }

    /// A property the resource (or the action's body) does not declare.
    pub fn unknown_property(name: &str) -> GraphError {
        Invalid::unknown_property(name).into()
    }

    pub fn unknown_segment(segment: &str) -> GraphError {
        GraphError::with_code(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            format!("Resource not found for the segment '{segment}'."),
        )
    }

    pub fn detail(mut self, code: &str, message: &str, target: Option<&str>) -> GraphError {
        let mut d = json!({ "code": code, "message": message });
        if let Some(t) = target {
            d["target"] = json!(t);
        }
        self.details.push(d);
        self
    }

    /// The JSON body and response, stamped with the request's ids.
    pub fn into_response(self, req: &GraphRequest, now_ms: i64) -> GraphResponse {
        let mut inner = json!({
            "date": clock::graph_error_date(now_ms),
            "request-id": req.request_id,
            "client-request-id": req.client_request_id,
        });
        if let Some(code) = &self.inner_code {
            inner["code"] = json!(code);
        }
        let mut error = json!({ "code": self.code, "message": self.message, "innerError": inner });
        if !self.details.is_empty() {
            error["details"] = Value::Array(self.details);
        }
        let mut response = GraphResponse::json(self.status, json!({ "error": error }));
        response.headers = self.headers;
        response.note.error_code = Some(self.code.to_owned());
        response
    }
}

impl From<Invalid> for GraphError {
    fn from(invalid: Invalid) -> GraphError {
        let mut e = GraphError::bad_request(invalid.message.clone());
        if invalid.target.is_some() || invalid.reason.is_some() {
            e = e.detail(
                "InvalidValue",
                invalid.reason.as_deref().unwrap_or(&invalid.message),
                invalid.target.as_deref(),
            );
        }
        e
    }
}

impl From<QueryError> for GraphError {
    fn from(q: QueryError) -> GraphError {
        GraphError::with_code(StatusCode::BAD_REQUEST, q.code, q.message)
    }
}

pub type GraphResult = Result<GraphResponse, GraphError>;
