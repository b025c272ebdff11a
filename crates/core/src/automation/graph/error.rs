//! Graph's error body (graph-facts §9.3) and what each error means for the run.
//!
//! Branch on `code`, never on `message`, with one exception graph-facts §6.2 forces: the
//! duplicate app role assignment is only known by its message.

use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: GraphError,
}

/// `error` of `{"error": {"code", "message", "innerError": {...}, "details": [...]}}`; any
/// part may be missing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct GraphError {
    pub code: String,
    pub message: String,
    pub inner_error: Option<InnerError>,
    pub details: Vec<ErrorDetail>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InnerError {
    #[serde(rename = "request-id")]
    pub request_id: Option<String>,
    #[serde(rename = "client-request-id")]
    pub client_request_id: Option<String>,
    pub date: Option<String>,
    pub code: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    pub target: Option<String>,
}

impl GraphError {
    pub fn request_id(&self) -> Option<&str> {
        self.inner_error.as_ref()?.request_id.as_deref()
    }

    fn has_detail(&self, code: &str) -> bool {
        self.details.iter().any(|d| d.code == code)
    }
}

/// What an error means for the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorClass {
    /// 429: wait (Retry-After) and retry.
    Throttled,
    /// 503/504: retry with backoff (504 may have been carried out).
    Transient,
    /// The object we just created is not visible yet (404 on it, 400
    /// NoBackingApplicationObject): retry with doubling waits.
    ReplicationDelay,
    /// 401 InvalidAuthenticationToken: refresh the token once.
    TokenExpired,
    /// It already exists (409 Request_MultipleObjectsWithSameKeyValue, or the duplicate app
    /// role assignment): the goal is reached or must be merged.
    Duplicate,
    /// An app management policy refused it (`*AsPerAppPolicy`).
    Policy,
    /// 403: the admin lacks a role or the app a scope.
    Forbidden,
    /// 404 on something we did not just create.
    NotFound,
    /// Any other 4xx: our request is wrong; retrying cannot help.
    Invalid,
    /// Any other 5xx.
    Server,
}

impl ErrorClass {
    /// What the admin can do about it.
    pub fn what_to_do(self) -> &'static str {
        match self {
            ErrorClass::Throttled => "Microsoft Graph is throttling requests. Wait a minute and run the setup again; nothing will be created twice.",
            ErrorClass::Transient => "Microsoft Graph was unavailable. Run the setup again; nothing will be created twice.",
            ErrorClass::ReplicationDelay => "Entra ID has not finished replicating the new objects. Wait a few minutes and run the setup again.",
            ErrorClass::TokenExpired => "Your sign-in expired. Sign in again and run the setup again.",
            ErrorClass::Duplicate => "It already exists; run the setup again to adopt it.",
            ErrorClass::Policy => "Your tenant's app management policy refuses this. Choose a shorter secret lifetime, or ask an administrator about the policy named in the message.",
            ErrorClass::Forbidden => "Your account lacks the directory role for this step. Ask a Global Administrator or Privileged Role Administrator to finish it (see the consent link).",
            ErrorClass::NotFound => "Graph could not find the object. Run the setup again to re-read the tenant.",
            ErrorClass::Invalid => "Graph refused the request. Check the values you entered (redirect URI, display name) and try again; if it persists, report it with the request ID.",
            ErrorClass::Server => "Microsoft Graph had an internal error. Try again later; report it with the request ID if it persists.",
        }
    }
}

/// Classifies a non-2xx status with its error body. `just_created`: the request names an
/// object this run created moments ago, so a 404 is replication delay, not absence.
pub fn classify(status: u16, error: Option<&GraphError>, just_created: bool) -> ErrorClass {
    let code = error.map_or("", |e| e.code.as_str());
    let message = error.map_or("", |e| e.message.as_str());
    match status {
        429 => ErrorClass::Throttled,
        503 | 504 => ErrorClass::Transient,
        401 => ErrorClass::TokenExpired,
        409 => ErrorClass::Duplicate,
        403 => ErrorClass::Forbidden,
        404 if just_created => ErrorClass::ReplicationDelay,
        404 => ErrorClass::NotFound,
        400 if error.is_some_and(|e| e.has_detail("NoBackingApplicationObject"))
            || message.contains("does not reference a valid application object") =>
        {
            ErrorClass::ReplicationDelay
        }
        400 if message.contains("Permission being assigned already exists on the object") => {
            ErrorClass::Duplicate
        }
        400 if code.ends_with("AsPerAppPolicy") => ErrorClass::Policy,
        400..=499 => ErrorClass::Invalid,
        _ => ErrorClass::Server,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn err(v: serde_json::Value) -> GraphError {
        serde_json::from_value::<ErrorBody>(v).unwrap().error
    }

    #[test]
    fn parses_the_documented_shape() {
        let e = err(json!({"error": {"code": "Authorization_RequestDenied",
            "message": "Insufficient privileges to complete the operation.",
            "innerError": {"date": "2025-02-13T10:17:06", "request-id": "r-1", "client-request-id": "c-1"},
            "details": [{"code": "x", "message": "y", "target": "z"}]}}));
        assert_eq!(e.request_id(), Some("r-1"));
        assert_eq!(e.details[0].target.as_deref(), Some("z"));
        assert_eq!(classify(403, Some(&e), false), ErrorClass::Forbidden);
    }

    #[test]
    fn classifies_each_failure_graph_documents() {
        let no_backing = err(json!({"error": {"code": "Request_BadRequest",
            "message": "The appId 'x' of the service principal does not reference a valid application object.",
            "details": [{"code": "NoBackingApplicationObject", "message": "..."}]}}));
        let dup_role = err(json!({"error": {"code": "Request_BadRequest",
            "message": "Permission being assigned already exists on the object"}}));
        let policy = err(
            json!({"error": {"code": "CredentialInvalidLifetimeAsPerAppPolicy",
            "message": "Credential lifetime exceeds the max value allowed as per assigned policy 'p'.",
            "details": [{"code": "InvalidKeyEndDate", "target": "EndDate"}]}}),
        );
        let blocked = err(
            json!({"error": {"code": "CredentialTypeNotAllowedAsPerAppPolicy", "message": "m"}}),
        );
        let not_found = err(
            json!({"error": {"code": "Request_ResourceNotFound", "message": "Resource 'x' does not exist"}}),
        );
        let bad = err(
            json!({"error": {"code": "Request_BadRequest", "message": "Invalid value specified for property 'redirectUris'"}}),
        );
        let expired = err(
            json!({"error": {"code": "InvalidAuthenticationToken", "message": "Lifetime validation failed, the token is expired."}}),
        );
        let conflict = err(
            json!({"error": {"code": "Request_MultipleObjectsWithSameKeyValue", "message": "Permission entry already exists."}}),
        );

        assert_eq!(classify(429, None, false), ErrorClass::Throttled);
        assert_eq!(classify(503, None, false), ErrorClass::Transient);
        assert_eq!(classify(504, None, false), ErrorClass::Transient);
        assert_eq!(
            classify(400, Some(&no_backing), false),
            ErrorClass::ReplicationDelay
        );
        assert_eq!(
            classify(404, Some(&not_found), true),
            ErrorClass::ReplicationDelay
        );
        assert_eq!(classify(404, Some(&not_found), false), ErrorClass::NotFound);
        assert_eq!(
            classify(401, Some(&expired), false),
            ErrorClass::TokenExpired
        );
        assert_eq!(classify(409, Some(&conflict), false), ErrorClass::Duplicate);
        assert_eq!(classify(400, Some(&dup_role), false), ErrorClass::Duplicate);
        assert_eq!(classify(400, Some(&policy), false), ErrorClass::Policy);
        assert_eq!(classify(400, Some(&blocked), false), ErrorClass::Policy);
        assert_eq!(classify(400, Some(&bad), false), ErrorClass::Invalid);
        assert_eq!(classify(500, None, false), ErrorClass::Server);
    }
}
