//! What the admin chose on the setup page, beyond the plan.

use crate::automation::auth::IdClaims;
use crate::plan::{Plan, DEFAULT_SECRET_DAYS, MAX_SECRET_DAYS};
// Defined in `plan` so the exports (built without `automation`) use the same key and tag;
// re-exported here so automated mode's API is unchanged.
pub use crate::plan::{unique_name_for, TOOL_TAG};

/// The signed-in admin, from the ID token (display only; `tenant_id` from `tid`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Admin {
    pub tenant_id: String,
    pub name: Option<String>,
    pub upn: Option<String>,
}

impl Admin {
    /// The admin an ID token names.
    pub fn from_claims(claims: &IdClaims) -> Admin {
        Admin {
            tenant_id: claims.tid.clone(),
            name: claims.name.clone(),
            upn: claims.preferred_username.clone(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Inputs {
    pub display_name: String,
    /// The vendor's callback URL (for platforms that have one).
    pub redirect_uri: Option<String>,
    /// 1..=730; the plan's lifetime by default.
    pub secret_lifetime_days: u16,
    /// Add a secret even though one made by this tool is still valid.
    pub new_secret_requested: bool,
    /// `None`: [`unique_name_for`] the integration. Set it to keep two registrations of one
    /// integration apart (e.g. staging and production).
    pub unique_name: Option<String>,
    pub admin: Admin,
    /// Unix ms; stamped into `notes` and used for secret expiry.
    pub now_ms: i64,
    /// Marks this run's secret (its display name). Keep it (it is not secret) across a
    /// pause for a new sign-in and pass it again: a secret made under it whose value was
    /// lost with the page is then replaced instead of kept beside a new one.
    pub run_id: String,
    /// Finish mode: the client ID of the hand-off link an administrator opened. The
    /// registration and its secret are kept as they are; only service principals and
    /// consent are added.
    pub finish_for: Option<String>,
    /// Adopt mode: the Application (client) ID of a registration made elsewhere (in the
    /// portal, or by an older exported script without a `uniqueName`) to bring under this
    /// assistant: its missing parts are added, nothing is removed, its name and working
    /// secret are kept, and it gets this assistant's `uniqueName` and tags so later runs,
    /// Verify and rotation find it instead of creating a second app.
    #[serde(default)]
    pub adopt: Option<String>,
    /// The Secret IDs (key IDs: not secret) this page's earlier runs added. A review that
    /// does not see one yet waits for the directory to show it (replication) instead of
    /// taking "no secret" for an answer and adding a second.
    #[serde(default)]
    pub recent_secrets: Vec<String>,
    /// When the last of `recent_secrets` was added (Unix ms, the clock of `now_ms`). Once
    /// longer ago than the wait for replication, a review that does not see them takes the
    /// directory at its word (they were deleted meanwhile) instead of waiting that long again.
    #[serde(default)]
    pub recent_secrets_at_ms: Option<i64>,
    /// The configured cloud (`AppConfig::cloud`; `None` = a loopback simulator, which plays
    /// the global cloud): the scopes string handed to the vendor names its Graph.
    pub cloud: Option<crate::cloud::Cloud>,
}

impl Inputs {
    /// `run_id`: e.g. [`super::execute::run_id_from_random`] of a few random bytes.
    pub fn from_plan(plan: &Plan, admin: Admin, now_ms: i64, run_id: &str) -> Inputs {
        Inputs {
            display_name: plan.display_name.clone(),
            redirect_uri: plan.redirect_uri.clone().filter(|u| !u.trim().is_empty()),
            secret_lifetime_days: plan.secret_lifetime_days.unwrap_or(DEFAULT_SECRET_DAYS),
            new_secret_requested: false,
            unique_name: None,
            admin,
            now_ms,
            run_id: run_id.to_owned(),
            finish_for: None,
            adopt: None,
            recent_secrets: Vec::new(),
            recent_secrets_at_ms: None,
            cloud: None,
        }
    }

    pub fn unique_name(&self, plan: &Plan) -> String {
        self.unique_name
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| unique_name_for(&plan.integration_id))
    }

    pub fn lifetime_days(&self) -> u16 {
        self.secret_lifetime_days.clamp(1, MAX_SECRET_DAYS)
    }
}
