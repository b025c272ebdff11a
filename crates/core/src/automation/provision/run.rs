//! The state of one run: each step's status (reported to the caller as it changes), and
//! whether the run paused for a new sign-in or stopped. Steps record what happened here;
//! `execute` turns it into the report.

use std::cell::RefCell;

use crate::automation::host::TokenError;

use super::diff::{Action, Diff};
use super::events::{Failure, Progress, StepId, StepStatus};
use crate::automation::graph::{
    Call, CallError, ErrorClass, GraphApi, Policy, Reply, RetryNotice, RetryReason,
};

pub(crate) struct Run<'a> {
    pub(crate) steps: RefCell<Vec<Progress>>,
    pub(crate) on_progress: &'a dyn Fn(&Progress),
    /// Why the run paused for a new sign-in (the first reason given).
    pub(crate) paused: RefCell<Option<TokenError>>,
    /// Why the run stopped (the first reason given).
    pub(crate) stopped: RefCell<Option<String>>,
}

impl Run<'_> {
    pub(crate) fn set(&self, step: &StepId, status: StepStatus) {
        let mut steps = self.steps.borrow_mut();
        if let Some(p) = steps.iter_mut().find(|p| &p.step == step) {
            p.status = status;
            (self.on_progress)(p);
        }
    }

    pub(crate) fn status(&self, step: &StepId) -> Option<StepStatus> {
        self.steps
            .borrow()
            .iter()
            .find(|p| &p.step == step)
            .map(|p| p.status.clone())
    }

    pub(crate) fn retrying(&self, step: &StepId, n: RetryNotice) {
        self.set(
            step,
            StepStatus::Retrying {
                why: n.reason,
                attempt: n.attempt,
                wait_ms: n.wait_ms,
                status: n.status,
                code: n.code,
            },
        );
    }

    pub(crate) fn failed(&self, step: &StepId, failure: Failure) {
        self.set(step, StepStatus::Failed(failure));
    }

    /// Sends `call` for `step`, reporting its retries there; a call that did not settle is
    /// recorded ([`Run::call_failed`]) and gives `None`.
    pub(crate) async fn send(
        &self,
        graph: &impl GraphApi,
        step: &StepId,
        call: Call,
        policy: Policy,
    ) -> Option<Reply> {
        match graph.send(call, policy, &|n| self.retrying(step, n)).await {
            Ok(reply) => Some(reply),
            Err(e) => {
                self.call_failed(step, e, policy.just_created);
                None
            }
        }
    }

    pub(crate) fn done(&self, step: &StepId, detail: impl Into<String>) {
        self.set(
            step,
            StepStatus::Done {
                detail: detail.into(),
            },
        );
    }

    /// Records a call that did not settle: a pause for a new sign-in, or a failed step.
    pub(crate) fn call_failed(&self, step: &StepId, error: CallError, just_created: bool) {
        let failure = match error {
            CallError::SignInRequired(m) => {
                self.paused.borrow_mut().get_or_insert(m);
                return;
            }
            CallError::GaveUp { reply: Some(r), .. } => Failure::from_reply(&r, just_created),
            CallError::GaveUp { detail, reason, .. } => Failure::plain(
                detail,
                match reason {
                    RetryReason::ReplicationDelay => ErrorClass::ReplicationDelay.what_to_do(),
                    _ => ErrorClass::Transient.what_to_do(),
                },
            ),
            CallError::Ambiguous { detail } => {
                Failure::plain(detail, ErrorClass::Transient.what_to_do())
            }
        };
        self.failed(step, failure);
    }

    pub(crate) fn halted(&self) -> bool {
        self.paused.borrow().is_some() || self.stopped.borrow().is_some()
    }
}

/// A step left for an administrator, with the hand-off link.
pub(crate) fn needs_admin(diff: &Diff, hand_off_url: &str) -> StepStatus {
    StepStatus::NeedsAdmin {
        consent_url: hand_off_url.to_owned(),
        who: diff.consent_who.clone(),
    }
}

pub(crate) fn skip_rest(run: &Run<'_>, why: &str) {
    let pending: Vec<StepId> = run
        .steps
        .borrow()
        .iter()
        .filter(|p| !p.status.is_final())
        .map(|p| p.step.clone())
        .collect();
    for step in pending {
        run.set(&step, StepStatus::Skipped { why: why.into() });
    }
}

pub(crate) fn skip_grants(run: &Run<'_>, diff: &Diff, why: &str) {
    for item in &diff.items {
        if item.step.is_consent()
            && matches!(run.status(&item.step), Some(StepStatus::Pending))
            && item.action != Action::NeedsAdmin
        {
            run.set(&item.step, StepStatus::Skipped { why: why.into() });
        }
    }
}
