//! What a run leaves behind: the values for the vendor's console and one [`Outcome`] that
//! says, without contradiction, whether those values work yet.
//!
//! A run with any failed step never presents itself as done (issue "Tenant-true"): the
//! admin would paste into the vendor an app that cannot work. The secret Value of such a
//! run is still handed over (it is shown only once), marked as not working yet.

use super::events::{Progress, StepId, StepStatus};
use crate::automation::host::TokenError;
use crate::automation::Secret;

/// The secret this run added. Shown once; never stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CreatedSecret {
    /// The Value (not the Secret ID).
    pub value: Secret,
    /// The portal's "Secret ID".
    pub key_id: String,
    pub hint: Option<String>,
    pub expires_at_ms: i64,
    pub lifetime_days: u16,
    /// What the admin asked for, when a tenant policy forced a shorter lifetime.
    pub shortened_from_days: Option<u16>,
}

/// Consent that someone else must give, and how to ask them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConsentHandOff {
    /// The link to send.
    pub url: String,
    /// Who can use it ("a Global Administrator or Privileged Role Administrator").
    pub who: String,
    /// What the link does, in a sentence the admin can forward.
    pub how: String,
}

/// What to paste into the vendor's console.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupResult {
    pub client_id: String,
    pub tenant_id: String,
    pub application_object_id: String,
    pub secret: Option<CreatedSecret>,
    pub redirect_uri: Option<String>,
    pub scopes: String,
    /// Set when some consent is left for someone else.
    pub consent: Option<ConsentHandOff>,
}

impl SetupResult {
    /// The values card's input (`export::values_env` / `values_json` / `validate::values`).
    /// Holds the secret in clear: keep it in memory only.
    pub fn to_values(&self) -> crate::values::Values {
        crate::values::Values {
            client_id: self.client_id.clone(),
            tenant_id: self.tenant_id.clone(),
            secret_value: self
                .secret
                .as_ref()
                .map(|s| s.value.expose().to_owned())
                .unwrap_or_default(),
            redirect_uri: self.redirect_uri.clone().unwrap_or_default(),
            secret_expires: self
                .secret
                .as_ref()
                .map(|s| crate::time::UtcDateTime::from_unix_ms(s.expires_at_ms).date())
                .unwrap_or_default(),
            extra: Vec::new(),
        }
    }
}

/// How a run ended. Exactly one of these; each says whether the values work.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Every step is done: the values work.
    Completed(SetupResult),
    /// Every step this admin could do is done; consent waits for an administrator
    /// (`result.consent`). The values work once they have consented.
    AwaitingConsent(SetupResult),
    /// Some steps failed: the registration does not work yet. `result` holds what exists
    /// (with a secret Value that must not be lost), `None` when the registration itself
    /// could not be made. Running again finishes it: nothing is created twice.
    Incomplete(Option<SetupResult>),
    /// The sign-in ended and could not be renewed: sign in again and run again with the
    /// same run id (nothing is created twice; a secret added before the pause, whose
    /// Value was never shown, is replaced).
    Paused(TokenError),
    /// The run did not start, or stopped before anything was granted or any secret added.
    Stopped(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The final status of every step, in order.
    pub steps: Vec<Progress>,
    pub outcome: Outcome,
    /// HTTP requests sent (a `$batch` counts once).
    pub http_requests: u32,
}

impl Report {
    /// Built from the run's final steps: a result whose steps all finished without a
    /// failure is completed (or awaits consent); anything else is incomplete.
    pub(crate) fn new(
        steps: Vec<Progress>,
        paused: Option<TokenError>,
        stopped: Option<String>,
        result: Option<SetupResult>,
        http_requests: u32,
    ) -> Report {
        let unfinished = steps
            .iter()
            .any(|s| !s.status.is_final() || matches!(s.status, StepStatus::Failed(_)));
        let outcome = match (paused, stopped, result) {
            (Some(why), _, _) => Outcome::Paused(why),
            (None, Some(why), _) => Outcome::Stopped(why),
            (None, None, result) if unfinished => Outcome::Incomplete(result),
            (None, None, None) => Outcome::Incomplete(None),
            (None, None, Some(r)) if r.consent.is_some() => Outcome::AwaitingConsent(r),
            (None, None, Some(r)) => Outcome::Completed(r),
        };
        Report {
            steps,
            outcome,
            http_requests,
        }
    }

    /// Every step done or left alone; consent handed over counts as done.
    pub fn completed(&self) -> bool {
        matches!(
            self.outcome,
            Outcome::Completed(_) | Outcome::AwaitingConsent(_)
        )
    }

    /// The values, whatever the outcome, when the run made or found a registration.
    pub fn result(&self) -> Option<&SetupResult> {
        match &self.outcome {
            Outcome::Completed(r) | Outcome::AwaitingConsent(r) => Some(r),
            Outcome::Incomplete(r) => r.as_ref(),
            Outcome::Paused(_) | Outcome::Stopped(_) => None,
        }
    }

    /// Why the run ended early, for a pause or a stop.
    pub fn halted(&self) -> Option<String> {
        match &self.outcome {
            Outcome::Paused(why) => Some(why.to_string()),
            Outcome::Stopped(why) => Some(why.clone()),
            _ => None,
        }
    }

    pub fn status(&self, step: &StepId) -> Option<&StepStatus> {
        self.steps
            .iter()
            .find(|p| &p.step == step)
            .map(|p| &p.status)
    }

    /// The steps that failed, in order, for "what is incomplete".
    pub fn failed_steps(&self) -> impl Iterator<Item = &Progress> {
        self.steps
            .iter()
            .filter(|p| matches!(p.status, StepStatus::Failed(_)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::automation::provision::events::Failure;

    fn step(step: StepId, status: StepStatus) -> Progress {
        Progress {
            step,
            title: "t".into(),
            status,
        }
    }

    fn result(consent: bool) -> SetupResult {
        SetupResult {
            client_id: "c".into(),
            tenant_id: "t".into(),
            application_object_id: "o".into(),
            secret: None,
            redirect_uri: None,
            scopes: String::new(),
            consent: consent.then(|| ConsentHandOff {
                url: "u".into(),
                who: "w".into(),
                how: "h".into(),
            }),
        }
    }

    fn done() -> StepStatus {
        StepStatus::Done {
            detail: "ok".into(),
        }
    }

    #[test]
    fn a_failed_step_is_never_reported_as_done() {
        let failed = StepStatus::Failed(Failure::plain("no", "run again"));
        let steps = vec![
            step(StepId::Application, done()),
            step(
                StepId::DelegatedConsent {
                    api_app_id: "g".into(),
                },
                failed,
            ),
        ];
        let report = Report::new(steps, None, None, Some(result(false)), 3);
        assert!(!report.completed());
        assert!(matches!(report.outcome, Outcome::Incomplete(Some(_))));
        assert_eq!(report.result().map(|r| r.client_id.as_str()), Some("c"));
        assert_eq!(report.failed_steps().count(), 1);
    }

    #[test]
    fn outcomes_follow_the_steps_and_the_hand_off() {
        let ok = || vec![step(StepId::Application, done())];
        assert!(matches!(
            Report::new(ok(), None, None, Some(result(false)), 1).outcome,
            Outcome::Completed(_)
        ));
        let awaiting = Report::new(ok(), None, None, Some(result(true)), 1);
        assert!(matches!(awaiting.outcome, Outcome::AwaitingConsent(_)));
        assert!(awaiting.completed());
        let paused = Report::new(
            ok(),
            Some(TokenError::SessionEnded),
            None,
            Some(result(false)),
            1,
        );
        assert_eq!(paused.halted(), Some(TokenError::SessionEnded.to_string()));
        assert!(paused.result().is_none() && !paused.completed());
        let running = vec![step(StepId::Secret, StepStatus::Running)];
        assert!(matches!(
            Report::new(running, None, None, Some(result(false)), 1).outcome,
            Outcome::Incomplete(Some(_))
        ));
    }
}
