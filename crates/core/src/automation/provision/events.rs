//! Live progress: one [`Progress`] per change of a step's status.

use crate::automation::graph::error::classify;
use crate::automation::graph::{Reply, RetryReason};

/// The steps of a run; `key()` is stable for the UI.
#[derive(Clone, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum StepId {
    Application,
    /// A resource API's service principal missing from the tenant (e.g. WindowsDefenderATP).
    ResourceServicePrincipal {
        api_app_id: String,
    },
    ServicePrincipal,
    /// `requiredResourceAccess` entries whose IDs only exist once a missing resource's
    /// service principal has been created.
    LateRequiredAccess,
    Secret,
    /// One tenant-wide grant per resource.
    DelegatedConsent {
        api_app_id: String,
    },
    AppRole {
        api_app_id: String,
        value: String,
    },
    /// A permission beyond the catalog entry (`extras`): kept, or removed when ticked.
    Extra {
        api_app_id: String,
        kind: crate::catalog::PermissionType,
        permission: String,
    },
}

impl StepId {
    /// A grant: tenant-wide delegated consent or an app role assignment.
    pub fn is_consent(&self) -> bool {
        matches!(
            self,
            StepId::DelegatedConsent { .. } | StepId::AppRole { .. }
        )
    }

    pub fn key(&self) -> String {
        match self {
            StepId::Application => "application".into(),
            StepId::ResourceServicePrincipal { api_app_id } => format!("resource-sp/{api_app_id}"),
            StepId::ServicePrincipal => "service-principal".into(),
            StepId::LateRequiredAccess => "required-access".into(),
            StepId::Secret => "secret".into(),
            StepId::DelegatedConsent { api_app_id } => format!("consent/{api_app_id}"),
            StepId::AppRole { api_app_id, value } => format!("app-role/{api_app_id}/{value}"),
            StepId::Extra {
                api_app_id,
                kind,
                permission,
            } => format!(
                "extra/{api_app_id}/{}/{permission}",
                kind.as_str().to_ascii_lowercase()
            ),
        }
    }
}

/// A failed step, with what Graph said and what to do.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Failure {
    pub http_status: Option<u16>,
    pub code: Option<String>,
    pub message: String,
    pub request_id: Option<String>,
    pub what_to_do: String,
}

impl Failure {
    pub fn from_reply(reply: &Reply, just_created: bool) -> Failure {
        let error = reply.error();
        let class = classify(reply.status, error.as_ref(), just_created);
        Failure {
            http_status: Some(reply.status),
            code: error.as_ref().map(|e| e.code.clone()),
            message: error
                .map(|e| e.message)
                .unwrap_or_else(|| format!("HTTP {}", reply.status)),
            request_id: reply.request_id(),
            what_to_do: class.what_to_do().to_owned(),
        }
    }

    pub fn plain(message: impl Into<String>, what_to_do: impl Into<String>) -> Failure {
        Failure {
            http_status: None,
            code: None,
            message: message.into(),
            request_id: None,
            what_to_do: what_to_do.into(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum StepStatus {
    Pending,
    Running,
    Retrying {
        why: RetryReason,
        /// The attempt about to be made (2 = first retry).
        attempt: u32,
        wait_ms: u64,
        status: Option<u16>,
        code: Option<String>,
    },
    Done {
        detail: String,
    },
    /// Nothing to do, or not done on purpose.
    Skipped {
        why: String,
    },
    /// The admin cannot do it: hand the link to someone who can.
    NeedsAdmin {
        consent_url: String,
        who: String,
    },
    Failed(Failure),
}

impl StepStatus {
    pub fn is_final(&self) -> bool {
        !matches!(
            self,
            StepStatus::Pending | StepStatus::Running | StepStatus::Retrying { .. }
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Progress {
    pub step: StepId,
    pub title: String,
    pub status: StepStatus,
}
