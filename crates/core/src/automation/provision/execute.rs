//! Carries out a [`Diff`] over the caller's transport: the three rounds. The steps are in
//! `steps/` (registration, secret, consent); the run's state in `run.rs`; the report in
//! `report.rs`.
//!
//! Critical path of a fresh setup, three sequential Graph round trips:
//! 1. upsert the application ‖ look up (or create) the resource APIs' service principals;
//! 2. upsert the service principal ‖ add the secret ‖ (late `requiredResourceAccess`);
//! 3. every grant and app role assignment in `$batch`es of 20, sent together.
//!
//! Nothing is repeated blindly: the application and service principal are upserts, a
//! repeated grant answers 409 (then merged), a repeated assignment answers "already
//! exists", and a secret whose answer was lost is found by its run-id display name and
//! removed, so no second live secret is left behind.

use std::cell::RefCell;

use futures_util::future::join;

use super::blocker::check_permission;
use super::diff::{Action, Diff};
use super::events::{Progress, StepId, StepStatus};
use super::report::{Report, SetupResult};
use super::roles::consent_hand_off;
use super::run::{needs_admin, skip_grants, skip_rest, Run};
use super::steps::{
    add_secret, client_service_principal, grant, late_required_access, resource_service_principals,
    upsert_application,
};
use crate::automation::config::AppConfig;
use crate::automation::graph::{Graph, Mode};
use crate::automation::host::{Host, TokenSource, Transport};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExecOptions {
    /// `Batched` (default) or `OneAtATime` (the benchmark's baseline: no concurrency, no
    /// `$batch`).
    pub mode: Mode,
    /// Scheme and host of the authority (`AppConfig::authority_origin`), for consent links.
    pub authority_origin: String,
    /// Where this assistant is served (`location.origin`), for hand-off links to its own
    /// finish mode; empty gives a link relative to the site.
    pub assistant_origin: String,
    /// The configured cloud's Graph resource (`AppConfig::graph_resource`): consent links
    /// ask for its `/.default`.
    pub graph_resource: String,
}

impl ExecOptions {
    pub fn new(config: &AppConfig) -> ExecOptions {
        ExecOptions {
            mode: Mode::Batched,
            authority_origin: config.authority_origin(),
            graph_resource: config.graph_resource(),
            assistant_origin: String::new(),
        }
    }

    /// The options with this assistant's origin for hand-off links.
    pub fn with_assistant_origin(self, origin: impl Into<String>) -> ExecOptions {
        ExecOptions {
            assistant_origin: origin.into(),
            ..self
        }
    }
}

/// A run id for secret display names, from caller-supplied random bytes.
pub fn run_id_from_random(bytes: &[u8]) -> String {
    bytes.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

/// Executes the diff. Progress goes to `on_progress` as it happens; the report holds the
/// final state. The inputs' `run_id` marks this run's secret; reuse it when resuming after
/// a new sign-in.
pub async fn execute<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    diff: &Diff,
    options: &ExecOptions,
    on_progress: &dyn Fn(&Progress),
) -> Report {
    let run = Run {
        steps: RefCell::new(
            diff.items
                .iter()
                .map(|i| Progress {
                    step: i.step.clone(),
                    title: i.title.clone(),
                    status: StepStatus::Pending,
                })
                .collect(),
        ),
        on_progress,
        paused: RefCell::new(None),
        stopped: RefCell::new(None),
    };
    let start_requests = graph.http_requests();
    let finish = |run: Run<'_>, result: Option<SetupResult>| {
        Report::new(
            run.steps.into_inner(),
            run.paused.into_inner(),
            run.stopped.into_inner(),
            result,
            graph.http_requests() - start_requests,
        )
    };
    if diff.is_blocked() {
        *run.stopped.borrow_mut() = Some(
            diff.blocking
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" "),
        );
        return finish(run, None);
    }
    for item in &diff.items {
        (on_progress)(&Progress {
            step: item.step.clone(),
            title: item.title.clone(),
            status: StepStatus::Pending,
        });
        match item.action {
            Action::Keep if matches!(item.step, StepId::Extra { .. }) => {
                run.done(&item.step, "kept: not ticked for removal")
            }
            Action::Keep => run.done(&item.step, "already as planned"),
            Action::Skip => run.set(
                &item.step,
                StepStatus::Skipped {
                    why: item.details.join("; "),
                },
            ),
            _ => {}
        }
    }
    let desired = &diff.desired;
    let mode = options.mode;

    // Round 1: the application ‖ the resource APIs' service principals.
    let app_round = upsert_application(graph, diff, &run);
    let resource_round = resource_service_principals(graph, diff, &run, mode);
    let (app, resources) = if mode == Mode::OneAtATime {
        let app = app_round.await;
        (app, resource_round.await)
    } else {
        join(app_round, resource_round).await
    };
    let Some(app) = app else {
        skip_rest(&run, "the app registration step did not finish");
        return finish(run, None);
    };
    let app_object_id = app.object_id.clone();
    let client_id = app.app_id.clone();

    // The permission IDs as the tenant has them now; a catalog mismatch stops the run
    // here, before any grant.
    let mut resolved = desired.resources.clone();
    for r in &mut resolved {
        let Some(sp) = resources
            .iter()
            .find(|(id, _)| id.eq_ignore_ascii_case(&r.api_app_id))
            .and_then(|(_, sp)| sp.as_ref())
        else {
            continue;
        };
        r.sp_id = sp.id.clone();
        for p in &mut r.permissions {
            // The same check as the plan's, on fresh lookups (a missing resource's service
            // principal was only created in this round).
            match check_permission(&r.api_name, sp, &p.value, p.kind, p.catalog_id.as_deref()) {
                Ok(tenant_id) => p.id = Some(tenant_id),
                Err(blocker) => {
                    run.stopped.borrow_mut().get_or_insert(blocker.to_string());
                }
            }
        }
    }

    // Nothing is added or granted once the run has stopped or paused: round 2 would add a
    // secret to a run that cannot finish.
    if run.halted() {
        skip_rest(&run, "the run stopped before this step");
        return finish(run, None);
    }

    let hand_off = consent_hand_off(
        &options.authority_origin,
        &options.graph_resource,
        &diff.observed.tenant_id,
        &client_id,
        desired.redirect_uri.as_deref(),
        &options.assistant_origin,
        &desired.integration_id,
        &diff.consent_who,
    );
    let consent_url = hand_off.url.clone();

    // Round 2: service principal ‖ secret ‖ late permissions.
    let sp_round = client_service_principal(graph, diff, &run, &client_id, &consent_url);
    let secret_round = add_secret(graph, diff, &run, &app);
    let late_round = late_required_access(graph, diff, &run, &app, &resolved);
    let (sp_id, secret) = if mode == Mode::OneAtATime {
        let sp = sp_round.await;
        let secret = secret_round.await;
        late_round.await;
        (sp, secret)
    } else {
        let ((sp, secret), ()) = join(join(sp_round, secret_round), late_round).await;
        (sp, secret)
    };

    // Round 3: consent.
    let sp_handed_off = matches!(
        run.status(&StepId::ServicePrincipal),
        Some(StepStatus::NeedsAdmin { .. })
    ) || diff.action(&StepId::ServicePrincipal) == Action::NeedsAdmin;
    match &sp_id {
        _ if run.halted() => skip_grants(&run, diff, "the run stopped before consent"),
        Some(sp_id) => grant(graph, diff, &run, mode, sp_id, &resolved, &consent_url).await,
        // Whoever adds the service principal grants its consent too.
        None if sp_handed_off => {
            for item in diff.items.iter().filter(|i| i.step.is_consent()) {
                if matches!(run.status(&item.step), Some(StepStatus::Pending)) {
                    run.set(&item.step, needs_admin(diff, &consent_url));
                }
            }
        }
        None => skip_grants(&run, diff, "the service principal step did not finish"),
    }
    for item in diff.items.iter().filter(|i| i.action == Action::NeedsAdmin) {
        if matches!(run.status(&item.step), Some(StepStatus::Pending)) {
            run.set(&item.step, needs_admin(diff, &consent_url));
        }
    }

    // A ticked extra only requested (never granted) went with the registration's update.
    for e in diff.removed() {
        let step = e.step();
        if matches!(run.status(&step), Some(StepStatus::Pending)) {
            if run.halted() {
                run.set(
                    &step,
                    StepStatus::Skipped {
                        why: "the run stopped before this step".into(),
                    },
                );
            } else {
                run.done(&step, "no longer requested");
            }
        }
    }

    let needs_admin = run
        .steps
        .borrow()
        .iter()
        .any(|p| matches!(p.status, StepStatus::NeedsAdmin { .. }));
    let result = SetupResult {
        client_id,
        tenant_id: diff.observed.tenant_id.clone(),
        application_object_id: app_object_id,
        secret,
        redirect_uri: desired.redirect_uri.clone(),
        scopes: desired.scopes_string(),
        consent: needs_admin.then_some(hand_off),
    };
    finish(run, Some(result))
}

#[cfg(test)]
mod tests {
    use super::super::steps::merge_scopes;
    use super::*;

    #[test]
    fn scope_merge_keeps_existing_and_adds_missing_once() {
        assert_eq!(
            merge_scopes(
                "User.Read offline_access",
                &["user.read".into(), "Calendars.Read".into()]
            ),
            "User.Read offline_access Calendars.Read"
        );
        assert_eq!(
            run_id_from_random(&[0xab, 0x01, 0xff, 0, 1, 2, 3]),
            "ab01ff000102"
        );
    }
}
