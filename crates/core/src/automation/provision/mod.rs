//! Provisioning: observe the tenant, diff it against the plan, execute the difference,
//! verify the result.
//!
//! ```text
//! observe (read-only, $batch)  ->  diff (pure: steps + blocking problems + lines for the UI)
//!   -> execute (3 sequential rounds for a fresh setup: application ‖ resource lookups;
//!               service principal ‖ secret; all grants in $batch)  ->  verify (re-read)
//! ```

pub mod arrival;
pub mod blocker;
pub mod diff;
pub mod events;
pub mod execute;
pub mod extras;
pub mod inputs;
pub mod observe;
mod page_query;
pub mod report;
pub mod roles;
pub mod rotate;
mod run;
pub mod search;
mod steps;
pub mod verify;

pub use arrival::Arrival;
pub use blocker::Blocker;
pub use diff::{diff, Action, Desired, Diff, DiffItem};
pub use events::{Failure, Progress, StepId, StepStatus};
pub use execute::{execute, run_id_from_random, ExecOptions};
pub use inputs::{unique_name_for, Admin, Inputs};
pub use observe::{observe, observe_with, Adoption, ObserveError, Observed};
pub use report::{ConsentHandOff, CreatedSecret, Outcome, Report, SetupResult};
pub use roles::{
    admin_consent_url, consent_hand_off, finish_link, AdminRoles, Capabilities, Capability,
    FinishLink, FINISH_PARAM,
};
pub use verify::{checks, verify, Check};
