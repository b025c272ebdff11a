//! Graph's error body (graph-facts §9.3) and what each error means for the run.
//!
//! Branch on `code`, never on `message`, with two exceptions Graph forces because it gives
//! these answers no code of their own (`Request_BadRequest` is every 400):
//! - the duplicate app role assignment (graph-facts §6.2);
//! - three of the "not replicated yet" answers ([`ReplicationForm`]), matched by the same
//!   message substrings the Graph client behind Terraform's azuread provider matches on
//!   (hashicorp/go-azure-sdk `sdk/odata/errors.go`, used by manicminer/hamilton
//!   `msgraph/delegated_permission_grants_client.go` and `msgraph/app_role_assignments.go`).

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

/// `POST /oauth2PermissionGrants` naming a service principal a replica does not know yet:
/// 400 "Resource '<id>' does not exist or one of its queried reference-property objects are
/// not present." (go-azure-sdk `sdk/odata/errors.go` `ErrorResourceDoesNotExist`, the
/// regex `Resource '.+' does not exist or one of its queried reference-property objects are
/// not present`; hamilton retries it on that POST.)
const RESOURCE_DOES_NOT_EXIST: (&str, &str) = (
    "Resource '",
    "' does not exist or one of its queried reference-property objects are not present",
);
/// `POST /servicePrincipals/{id}/appRoleAssignedTo` naming a principal a replica does not
/// know yet: 400 "Not a valid reference update." (go-azure-sdk `ErrorNotValidReferenceUpdate`;
/// hamilton `AppRoleAssignedToClient.Assign` retries it.)
const NOT_VALID_REFERENCE_UPDATE: &str = "Not a valid reference update";
/// `POST /servicePrincipals` (or the upsert) right after the application was created: the
/// message of go-azure-sdk `ErrorServicePrincipalInvalidAppId`, for answers that carry no
/// `NoBackingApplicationObject` detail (graph-facts §5.3, QA-NOBACKING).
const INVALID_APP_ID: &str = "does not reference a valid application object";

/// `POST /servicePrincipals` right after the application was created can also answer 403
/// with this message; "misleading and usually due to the application object not being fully
/// replicated" (hashicorp/terraform-provider-azuread
/// `internal/services/serviceprincipals/service_principal_resource.go`, go-azure-sdk
/// `ErrorServicePrincipalAppInOtherTenant`; the typo is Graph's).
const APP_IN_OTHER_TENANT: &str =
    "the backing application of the service principal being created must in the local tenant";

/// The forms in which Graph says "an object this run just created is not visible here yet".
/// Each is only read that way for a call that names such an object ([`classify`]'s
/// `just_created`); elsewhere the same answer is a real failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReplicationForm {
    /// 404 on (or naming) the object.
    NotFound,
    /// 400 with detail `NoBackingApplicationObject`, or the invalid-appId message: the
    /// service principal's application is not replicated.
    NoBackingApplicationObject,
    /// 400 "Resource '…' does not exist or one of its queried reference-property objects
    /// are not present." (delegated grants).
    ResourceDoesNotExist,
    /// 400 "Not a valid reference update." (app role assignments).
    NotValidReferenceUpdate,
    /// 403 "When using this permission, the backing application of the service principal
    /// being created must in the local tenant" (service principal creation).
    AppInOtherTenant,
}

impl ReplicationForm {
    /// Which form `status` + `error` is, if any.
    pub fn of(status: u16, error: Option<&GraphError>) -> Option<ReplicationForm> {
        let message = error.map_or("", |e| e.message.as_str());
        match status {
            404 => Some(ReplicationForm::NotFound),
            400 if error.is_some_and(|e| e.has_detail("NoBackingApplicationObject"))
                || message.contains(INVALID_APP_ID) =>
            {
                Some(ReplicationForm::NoBackingApplicationObject)
            }
            400 if is_resource_does_not_exist(message) => {
                Some(ReplicationForm::ResourceDoesNotExist)
            }
            400 if message.contains(NOT_VALID_REFERENCE_UPDATE) => {
                Some(ReplicationForm::NotValidReferenceUpdate)
            }
            403 if message.contains(APP_IN_OTHER_TENANT) => Some(ReplicationForm::AppInOtherTenant),
            _ => None,
        }
    }
}

/// `Resource '<anything>' does not exist or one of …`, as go-azure-sdk's regex reads it.
fn is_resource_does_not_exist(message: &str) -> bool {
    let (start, rest) = RESOURCE_DOES_NOT_EXIST;
    message
        .find(start)
        .and_then(|i| message[i + start.len()..].find(rest))
        .is_some_and(|id_len| id_len > 0)
}

/// What an error means for the run.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ErrorClass {
    /// 429: wait (Retry-After) and retry.
    Throttled,
    /// 503/504: retry with backoff (504 may have been carried out).
    Transient,
    /// The object we just created is not visible yet (one of the [`ReplicationForm`]s, on a
    /// call that names it): retry with doubling waits.
    ReplicationDelay,
    /// 401 InvalidAuthenticationToken: refresh the token once.
    TokenExpired,
    /// It already exists (409 Request_MultipleObjectsWithSameKeyValue, or the duplicate app
    /// role assignment): the goal is reached or must be merged.
    Duplicate,
    /// An app management policy refused it (`*AsPerAppPolicy`).
    Policy,
    /// The tenant requires a `serviceManagementReference` on every new registration
    /// (400 `ServiceTreeValueMissing`: microsoft-foundry/foundry-agent-webapp#3,
    /// AzureAD/microsoft-identity-web#3243); the admin creates it in the portal, where the
    /// field is under Branding & properties (hashicorp/terraform-provider-azuread#1043), and
    /// adopts it.
    ServiceManagementReferenceRequired,
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
            ErrorClass::ServiceManagementReferenceRequired => "Your tenant requires a Service management reference on every new app registration, which this assistant does not set. Create the registration in the Microsoft Entra admin center (Entra ID > App registrations > New registration, then Branding & properties > Service management reference), then open \"Take over a registration made elsewhere\" on this page and enter its Application (client) ID: the assistant adds everything else.",
            ErrorClass::Forbidden => "Your account lacks the directory role for this step. Ask a Global Administrator or Privileged Role Administrator to finish it (see the consent link).",
            ErrorClass::NotFound => "Graph could not find the object. Run the setup again to re-read the tenant.",
            ErrorClass::Invalid => "Graph refused the request. Run the setup again to finish it: nothing is created twice. If it fails the same way, report it with the request ID.",
            ErrorClass::Server => "Microsoft Graph had an internal error. Try again later; report it with the request ID if it persists.",
        }
    }
}

/// Classifies a non-2xx status with its error body. `just_created`: the request names an
/// object this run created moments ago, so each [`ReplicationForm`] is replication delay,
/// not absence or a bad request. Without it, they fail fast with Graph's message.
pub fn classify(status: u16, error: Option<&GraphError>, just_created: bool) -> ErrorClass {
    let code = error.map_or("", |e| e.code.as_str());
    let message = error.map_or("", |e| e.message.as_str());
    if just_created && ReplicationForm::of(status, error).is_some() {
        return ErrorClass::ReplicationDelay;
    }
    match status {
        429 => ErrorClass::Throttled,
        503 | 504 => ErrorClass::Transient,
        401 => ErrorClass::TokenExpired,
        409 => ErrorClass::Duplicate,
        403 => ErrorClass::Forbidden,
        404 => ErrorClass::NotFound,
        400 if message.contains("Permission being assigned already exists on the object") => {
            ErrorClass::Duplicate
        }
        400 if code.ends_with("AsPerAppPolicy") => ErrorClass::Policy,
        400 if code == "ServiceTreeValueMissing" => ErrorClass::ServiceManagementReferenceRequired,
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
            classify(400, Some(&no_backing), true),
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
        let no_reference = err(json!({"error": {"code": "ServiceTreeValueMissing",
            "message": "ServiceManagementReference field is required for Create, but is missing in the request."}}));
        assert_eq!(
            classify(400, Some(&no_reference), false),
            ErrorClass::ServiceManagementReferenceRequired
        );
        assert_eq!(classify(500, None, false), ErrorClass::Server);
    }

    /// Each "not replicated yet" answer as real Graph gives it (messages from go-azure-sdk
    /// `sdk/odata/errors.go`), both ways: replication delay on a call naming what the run
    /// just created, a plain failure anywhere else.
    #[test]
    fn every_replication_form_is_retried_only_after_a_create() {
        let bad_request = |message: &str| {
            err(json!({"error": {"code": "Request_BadRequest", "message": message}}))
        };
        let forms = [
            (
                404,
                err(json!({"error": {"code": "Request_ResourceNotFound",
                    "message": "Resource '5b1f' does not exist or one of its queried reference-property objects are not present."}})),
                ReplicationForm::NotFound,
                ErrorClass::NotFound,
            ),
            (
                400,
                err(json!({"error": {"code": "Request_BadRequest", "message": "m",
                    "details": [{"code": "NoBackingApplicationObject", "message": "m"}]}})),
                ReplicationForm::NoBackingApplicationObject,
                ErrorClass::Invalid,
            ),
            (
                400,
                bad_request("The appId '1c2d' of the service principal does not reference a valid application object."),
                ReplicationForm::NoBackingApplicationObject,
                ErrorClass::Invalid,
            ),
            (
                400,
                bad_request("Resource '8b2e4c0a-7d6f-4f0e-9a55-1f2d3c4b5a69' does not exist or one of its queried reference-property objects are not present."),
                ReplicationForm::ResourceDoesNotExist,
                ErrorClass::Invalid,
            ),
            (
                400,
                bad_request("Not a valid reference update."),
                ReplicationForm::NotValidReferenceUpdate,
                ErrorClass::Invalid,
            ),
            (
                403,
                err(json!({"error": {"code": "Authorization_RequestDenied",
                    "message": "When using this permission, the backing application of the service principal being created must in the local tenant"}})),
                ReplicationForm::AppInOtherTenant,
                ErrorClass::Forbidden,
            ),
        ];
        for (status, error, form, otherwise) in forms {
            assert_eq!(ReplicationForm::of(status, Some(&error)), Some(form));
            assert_eq!(
                classify(status, Some(&error), true),
                ErrorClass::ReplicationDelay,
                "{form:?} after a create"
            );
            assert_eq!(
                classify(status, Some(&error), false),
                otherwise,
                "{form:?} on something the run did not create"
            );
        }
        // Any other 400 fails fast, even right after a create.
        for message in [
            "Invalid value specified for property 'redirectUris'",
            "Resource '' does not exist or one of its queried reference-property objects are not present.",
            "One or more property values specified are invalid.",
        ] {
            let e = bad_request(message);
            assert_eq!(ReplicationForm::of(400, Some(&e)), None, "{message}");
            assert_eq!(classify(400, Some(&e), true), ErrorClass::Invalid);
        }
        assert_eq!(classify(400, None, true), ErrorClass::Invalid);
        let denied = err(json!({"error": {"code": "Authorization_RequestDenied",
            "message": "Insufficient privileges to complete the operation."}}));
        assert_eq!(classify(403, Some(&denied), true), ErrorClass::Forbidden);
    }
}
