//! Carries out a [`Diff`] over the caller's transport.
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
use serde::Serialize;
use serde_json::Value;

use super::diff::{
    merged_access, secret_display_name, tenant_permission_id, tenant_wide_grant, Action, Desired,
    DesiredResource, Diff,
};
use super::events::{Failure, Progress, StepId, StepStatus};
use super::observe::{
    app_by_unique_name, app_lookup, odata_quote, query_escape, resource_lookup, sp_by_app_id,
};
use super::report::{CreatedSecret, Report, SetupResult};
use super::roles::consent_hand_off;
use crate::automation::config::AppConfig;
use crate::automation::graph::error::{classify, ErrorClass};
use crate::automation::graph::types::{
    AddPassword, AppRoleAssignment, Application, GrantScopeUpdate, NewPassword,
    OAuth2PermissionGrant, PasswordCredential, RemovePassword, ServicePrincipal,
};
use crate::automation::graph::{
    Call, CallError, Graph, Mode, PageError, Policy, Reply, RetryNotice, RetryReason,
};
use crate::automation::host::{Host, TokenSource, Transport};
use crate::time::MS_PER_DAY;

/// Shorter lifetimes to fall back to when a tenant policy refuses the chosen one.
const SHORTER_LIFETIMES: [u16; 5] = [365, 180, 90, 30, 7];

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

struct Run<'a> {
    steps: RefCell<Vec<Progress>>,
    on_progress: &'a dyn Fn(&Progress),
    paused: RefCell<Option<String>>,
    stopped: RefCell<Option<String>>,
}

impl Run<'_> {
    fn set(&self, step: &StepId, status: StepStatus) {
        let mut steps = self.steps.borrow_mut();
        if let Some(p) = steps.iter_mut().find(|p| &p.step == step) {
            p.status = status;
            (self.on_progress)(p);
        }
    }

    fn status(&self, step: &StepId) -> Option<StepStatus> {
        self.steps
            .borrow()
            .iter()
            .find(|p| &p.step == step)
            .map(|p| p.status.clone())
    }

    fn retrying(&self, step: &StepId, n: RetryNotice) {
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

    fn failed(&self, step: &StepId, failure: Failure) {
        self.set(step, StepStatus::Failed(failure));
    }

    /// Sends `call` for `step`, reporting its retries there; a call that did not settle is
    /// recorded ([`Run::call_failed`]) and gives `None`.
    async fn send<T: Transport, H: Host, K: TokenSource>(
        &self,
        graph: &Graph<'_, T, H, K>,
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

    fn done(&self, step: &StepId, detail: impl Into<String>) {
        self.set(
            step,
            StepStatus::Done {
                detail: detail.into(),
            },
        );
    }

    /// Records a call that did not settle: a pause for a new sign-in, or a failed step.
    fn call_failed(&self, step: &StepId, error: CallError, just_created: bool) {
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

    fn halted(&self) -> bool {
        self.paused.borrow().is_some() || self.stopped.borrow().is_some()
    }
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
        *run.stopped.borrow_mut() = Some(diff.blocking.join(" "));
        return finish(run, None);
    }
    for item in &diff.items {
        (on_progress)(&Progress {
            step: item.step.clone(),
            title: item.title.clone(),
            status: StepStatus::Pending,
        });
        match item.action {
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
    let app_object_id = app.id.clone().unwrap_or_default();
    let client_id = app.app_id.clone().unwrap_or_default();

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
            let tenant_id = tenant_permission_id(sp, &p.value, p.kind);
            match (&p.catalog_id, &tenant_id) {
                (Some(c), Some(t)) if c != t => {
                    run.stopped.borrow_mut().get_or_insert(format!(
                        "{} {}: the catalog says {c} but this tenant says {t}. Stopped before granting anything; please report this.",
                        r.api_name, p.value
                    ));
                }
                (_, None) => {
                    run.stopped.borrow_mut().get_or_insert(format!(
                        "{} in this tenant has no permission '{}'. Stopped before granting anything.",
                        r.api_name, p.value
                    ));
                }
                _ => {}
            }
            p.id = tenant_id.or(p.id.take());
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

/// A step left for an administrator, with the hand-off link.
fn needs_admin(diff: &Diff, hand_off_url: &str) -> StepStatus {
    StepStatus::NeedsAdmin {
        consent_url: hand_off_url.to_owned(),
        who: diff.consent_who.clone(),
    }
}

/// A typed Graph body as JSON.
fn json_body(value: impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_default()
}

fn unreadable() -> Failure {
    Failure::plain("Graph's answer could not be read", "Run the setup again.")
}

fn skip_rest(run: &Run<'_>, why: &str) {
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

fn skip_grants(run: &Run<'_>, diff: &Diff, why: &str) {
    for item in &diff.items {
        if item.step.is_consent()
            && matches!(run.status(&item.step), Some(StepStatus::Pending))
            && item.action != Action::NeedsAdmin
        {
            run.set(&item.step, StepStatus::Skipped { why: why.into() });
        }
    }
}

async fn upsert_application<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    diff: &Diff,
    run: &Run<'_>,
) -> Option<Application> {
    let step = StepId::Application;
    let observed = diff.observed.application.clone();
    let Some(body) = diff.application_body.clone() else {
        return observed;
    };
    run.set(&step, StepStatus::Running);
    let call = Call::patch(app_by_unique_name(&diff.desired.unique_name), body)
        .header("Prefer", "create-if-missing");
    let reply = run.send(graph, &step, call, Policy::IDEMPOTENT).await?;
    match reply.status {
        201 => match reply.json::<Application>() {
            Some(app) => {
                run.done(
                    &step,
                    format!(
                        "created, client ID {}",
                        app.app_id.as_deref().unwrap_or("?")
                    ),
                );
                Some(app)
            }
            None => {
                run.failed(&step, unreadable());
                None
            }
        },
        // Updated (or created by an earlier attempt whose answer was lost): 204 has no body.
        204 => {
            let app = match observed.filter(|a| a.id.is_some() && a.app_id.is_some()) {
                Some(a) => Some(a),
                None => {
                    let lookup = app_lookup(&diff.desired.unique_name);
                    let r = run.send(graph, &step, lookup, Policy::AFTER_CREATE).await?;
                    if r.status != 200 {
                        run.failed(&step, Failure::from_reply(&r, true));
                        return None;
                    }
                    r.json::<Application>()
                }
            };
            run.done(&step, "updated");
            app
        }
        _ => {
            run.failed(&step, Failure::from_reply(&reply, false));
            None
        }
    }
}

/// Fresh reads of the resource APIs' service principals (creating missing ones); these
/// overlap the application upsert.
async fn resource_service_principals<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    diff: &Diff,
    run: &Run<'_>,
    mode: Mode,
) -> Vec<(String, Option<ServicePrincipal>)> {
    // A missing resource this admin may not add is left for the hand-off.
    let left_for_admin = |api_app_id: &str| {
        diff.action(&StepId::ResourceServicePrincipal {
            api_app_id: api_app_id.to_owned(),
        }) == Action::NeedsAdmin
    };
    let resources: Vec<&DesiredResource> = diff
        .desired
        .resources
        .iter()
        .filter(|r| !left_for_admin(&r.api_app_id))
        .collect();
    let calls: Vec<(Call, Policy)> = resources
        .iter()
        .map(|r| match r.sp_id {
            Some(_) => (resource_lookup(&r.api_app_id), Policy::IDEMPOTENT),
            // A repeat answers 409 (one service principal per appId), so this is safe.
            None => (
                Call::post(
                    "/servicePrincipals",
                    json_body(ServicePrincipal {
                        app_id: Some(r.api_app_id.clone()),
                        ..ServicePrincipal::default()
                    }),
                ),
                Policy::IDEMPOTENT,
            ),
        })
        .collect();
    let step_of = |i: usize| StepId::ResourceServicePrincipal {
        api_app_id: resources[i].api_app_id.clone(),
    };
    for (i, r) in resources.iter().enumerate() {
        if r.sp_id.is_none() {
            run.set(&step_of(i), StepStatus::Running);
        }
    }
    let replies = graph
        .send_all(calls, mode, &|i, n| {
            if resources[i].sp_id.is_none() {
                run.retrying(&step_of(i), n)
            }
        })
        .await;
    let mut out: Vec<(String, Option<ServicePrincipal>)> = diff
        .desired
        .resources
        .iter()
        .filter(|r| left_for_admin(&r.api_app_id))
        .map(|r| (r.api_app_id.clone(), None))
        .collect();
    for (i, (r, reply)) in resources.iter().zip(replies).enumerate() {
        let creating = r.sp_id.is_none();
        let sp = match reply {
            Ok(reply) if reply.ok() => reply.json::<ServicePrincipal>(),
            Ok(reply) if creating && reply.status == 409 => graph
                .send(resource_lookup(&r.api_app_id), Policy::AFTER_CREATE, &|n| {
                    run.retrying(&step_of(i), n)
                })
                .await
                .ok()
                .and_then(|r| r.json::<ServicePrincipal>()),
            Ok(reply) => {
                if creating {
                    run.failed(&step_of(i), Failure::from_reply(&reply, false));
                } else {
                    run.stopped.borrow_mut().get_or_insert(format!(
                        "Re-reading {} failed ({}); stopped before granting anything.",
                        r.api_name,
                        Failure::from_reply(&reply, false).message
                    ));
                }
                None
            }
            Err(e) => {
                if creating {
                    run.call_failed(&step_of(i), e, false);
                } else if let CallError::SignInRequired(m) = e {
                    run.paused.borrow_mut().get_or_insert(m);
                }
                None
            }
        };
        if creating && sp.is_some() {
            run.done(&step_of(i), "created");
        }
        out.push((r.api_app_id.clone(), sp));
    }
    out
}

async fn client_service_principal<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    diff: &Diff,
    run: &Run<'_>,
    client_id: &str,
    hand_off_url: &str,
) -> Option<String> {
    let step = StepId::ServicePrincipal;
    match diff.action(&step) {
        Action::Keep => {
            return diff
                .observed
                .service_principal
                .as_ref()
                .and_then(|s| s.id.clone())
        }
        // Left for the hand-off: its status is set with the other steps that need an admin.
        Action::NeedsAdmin => return None,
        _ => {}
    }
    run.set(&step, StepStatus::Running);
    let by_app_id = sp_by_app_id(client_id);
    // Upsert: safe to repeat, and NoBackingApplicationObject right after the application
    // was created is retried as replication delay.
    let call = Call::patch(
        by_app_id.clone(),
        json_body(ServicePrincipal {
            display_name: Some(diff.desired.display_name.clone()),
            ..ServicePrincipal::default()
        }),
    )
    .header("Prefer", "create-if-missing");
    let reply = run.send(graph, &step, call, Policy::AFTER_CREATE).await?;
    let sp = match reply.status {
        201 | 200 => reply.json::<ServicePrincipal>(),
        204 => graph
            .send(
                Call::get(format!("{by_app_id}?$select=id,appId")),
                Policy::AFTER_CREATE,
                &|n| run.retrying(&step, n),
            )
            .await
            .ok()
            .and_then(|r| r.json::<ServicePrincipal>()),
        // The roles could not be read up front and Graph says this admin may not create
        // it: hand it off like consent.
        403 => {
            run.set(&step, needs_admin(diff, hand_off_url));
            return None;
        }
        _ => {
            run.failed(&step, Failure::from_reply(&reply, true));
            return None;
        }
    };
    match sp.and_then(|s| s.id) {
        Some(id) => {
            run.done(
                &step,
                if reply.status == 201 {
                    "created"
                } else {
                    "already there"
                },
            );
            Some(id)
        }
        None => {
            run.failed(&step, unreadable());
            None
        }
    }
}

async fn late_required_access<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    diff: &Diff,
    run: &Run<'_>,
    app: &Application,
    resolved: &[DesiredResource],
) {
    let step = StepId::LateRequiredAccess;
    if diff.action(&step) != Action::Create {
        return;
    }
    if run.halted() {
        run.set(
            &step,
            StepStatus::Skipped {
                why: "the run stopped".into(),
            },
        );
        return;
    }
    run.set(&step, StepStatus::Running);
    let desired = Desired {
        resources: resolved.to_vec(),
        ..diff.desired.clone()
    };
    if desired
        .resources
        .iter()
        .any(|r| r.permissions.iter().any(|p| p.id.is_none()))
    {
        run.failed(&step, Failure::plain(
            "some permission IDs could not be resolved because a resource's service principal is missing",
            "Run the setup again once the resource's service principal exists.",
        ));
        return;
    }
    let current = app.required_resource_access.clone().unwrap_or_default();
    let update = Application {
        required_resource_access: Some(merged_access(
            &current,
            &desired.required_resource_access(),
        )),
        ..Application::default()
    };
    let call = Call::patch(
        format!("/applications/{}", app.id.as_deref().unwrap_or_default()),
        json_body(update),
    );
    match run.send(graph, &step, call, Policy::AFTER_CREATE).await {
        Some(r) if r.ok() => run.done(&step, "added"),
        Some(r) => run.failed(&step, Failure::from_reply(&r, true)),
        None => {}
    }
}

/// This run's secrets (named `name`), read afresh; with `must_show`, read again (as
/// replication delay) until that secret shows. `None`: the read failed and the step says so.
async fn secrets_named<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    run: &Run<'_>,
    app_object_id: &str,
    name: &str,
    must_show: Option<&str>,
    app_name: &str,
) -> Option<Vec<PasswordCredential>> {
    let step = StepId::Secret;
    let call = Call::get(format!(
        "/applications/{app_object_id}?$select=id,passwordCredentials"
    ));
    let credentials = |r: &Reply| r.json::<Application>().map(|a| a.password_credentials);
    let shows = |r: &Reply| {
        must_show.is_none_or(|key| {
            credentials(r).is_some_and(|c| c.iter().any(|c| c.key_id.as_deref() == Some(key)))
        })
    };
    let advice = || {
        format!(
            "A secret named {name} whose Value is not shown may be left from this run. In the Microsoft Entra admin center, open App registrations > {app_name} > Certificates & secrets and delete every client secret with that description{}.",
            must_show.map_or(String::new(), |k| format!(" except Secret ID {k}"))
        )
    };
    let reply = match graph
        .send_until(
            call,
            Policy::AFTER_CREATE,
            &|n| run.retrying(&step, n),
            &shows,
        )
        .await
    {
        Ok(r) => r,
        Err(CallError::SignInRequired(m)) => {
            run.call_failed(&step, CallError::SignInRequired(m), true);
            return None;
        }
        Err(CallError::GaveUp { detail, .. } | CallError::Ambiguous { detail }) => {
            run.failed(&step, Failure::plain(detail, advice()));
            return None;
        }
    };
    match credentials(&reply) {
        Some(c) if reply.ok() => Some(credentials_named(&c, name)),
        _ if reply.ok() => {
            run.failed(&step, Failure::plain(unreadable().message, advice()));
            None
        }
        _ => {
            run.failed(
                &step,
                Failure {
                    what_to_do: advice(),
                    ..Failure::from_reply(&reply, true)
                },
            );
            None
        }
    }
}

fn credentials_named(credentials: &[PasswordCredential], name: &str) -> Vec<PasswordCredential> {
    credentials
        .iter()
        .filter(|c| c.display_name.as_deref() == Some(name) && c.key_id.is_some())
        .cloned()
        .collect()
}

/// What to do about a secret of this run that could not be removed: its Value was never
/// shown (or is lost), so nobody can use it, but it stays valid until it expires.
fn still_live(app_name: &str, secret: &PasswordCredential) -> String {
    let key = secret.key_id.as_deref().unwrap_or("?");
    let hint = secret
        .hint
        .as_deref()
        .map_or(String::new(), |h| format!(", Value starting {h}"));
    format!(
        "The secret with Secret ID {key}{hint} is still live, and its Value is not shown anywhere. Remove it: in the Microsoft Entra admin center, open App registrations > {app_name} > Certificates & secrets > Client secrets and delete the secret with Secret ID {key}."
    )
}

/// Removes one of this run's secrets. `removePassword` answers 204 when it removed it and 404
/// when there is no such key (removed already: the goal is reached; application-removepassword
/// docs, graph-facts §4). Anything else fails the step, naming the secret left live. `false`:
/// it was not removed (the step says why).
async fn remove_secret<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    run: &Run<'_>,
    app_object_id: &str,
    secret: &PasswordCredential,
    app_name: &str,
) -> bool {
    let step = StepId::Secret;
    let call = Call::post(
        format!("/applications/{app_object_id}/removePassword"),
        json_body(RemovePassword {
            key_id: secret.key_id.clone().unwrap_or_default(),
        }),
    );
    let failure = match graph
        .send(call, Policy::IDEMPOTENT, &|n| run.retrying(&step, n))
        .await
    {
        Ok(r) if r.ok() || r.status == 404 => return true,
        Ok(r) => Failure::from_reply(&r, false),
        // A pause: the resumed run (same run id) removes it.
        Err(e @ CallError::SignInRequired(_)) => {
            run.call_failed(&step, e, false);
            return false;
        }
        Err(CallError::GaveUp { reply: Some(r), .. }) => Failure::from_reply(&r, false),
        Err(CallError::GaveUp { detail, .. } | CallError::Ambiguous { detail }) => {
            Failure::plain(detail, "")
        }
    };
    run.failed(
        &step,
        Failure {
            what_to_do: still_live(app_name, secret),
            ..failure
        },
    );
    false
}

async fn add_secret<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    diff: &Diff,
    run: &Run<'_>,
    app: &Application,
) -> Option<CreatedSecret> {
    let step = StepId::Secret;
    let (Some(requested), Action::Create) = (diff.desired.secret_days, diff.action(&step)) else {
        return None;
    };
    let app_object_id = app.id.clone().unwrap_or_default();
    let app_name = diff.desired.display_name.as_str();
    let name = secret_display_name(&diff.desired.run_id);
    let notify = |n: RetryNotice| run.retrying(&step, n);
    run.set(&step, StepStatus::Running);

    // Secrets this run id made before (a run resumed after a new sign-in lost their
    // values with the page): replaced once the new one exists.
    let stale = credentials_named(
        diff.observed
            .application
            .as_ref()
            .map_or(&[], |a| &a.password_credentials),
        &name,
    );

    let mut days = requested;
    let mut lost_answers = 0;
    let created = loop {
        let end_ms = diff.desired.now_ms + i64::from(days) * MS_PER_DAY;
        let call = Call::post(
            format!("/applications/{app_object_id}/addPassword"),
            json_body(AddPassword {
                password_credential: NewPassword {
                    display_name: name.clone(),
                    end_date_time: crate::time::rfc3339(end_ms),
                },
            }),
        );
        match graph.send(call, Policy::ONCE, &notify).await {
            Ok(r) if r.ok() => match r.json::<PasswordCredential>() {
                Some(PasswordCredential {
                    secret_text: Some(value),
                    key_id,
                    hint,
                    end_date_time,
                    ..
                }) => {
                    break CreatedSecret {
                        value,
                        key_id: key_id.unwrap_or_default(),
                        hint,
                        expires_at_ms: end_date_time
                            .as_deref()
                            .and_then(crate::time::parse_rfc3339_ms)
                            .unwrap_or(end_ms),
                        lifetime_days: days,
                        shortened_from_days: (days != requested).then_some(requested),
                    }
                }
                _ => {
                    run.failed(
                        &step,
                        Failure::plain(
                            "Graph's answer has no secret value",
                            "Run the setup again and ask for a new secret.",
                        ),
                    );
                    return None;
                }
            },
            Ok(r) => {
                let error = r.error();
                let refused_lifetime = error
                    .as_ref()
                    .is_some_and(|e| e.code == "CredentialInvalidLifetimeAsPerAppPolicy");
                match SHORTER_LIFETIMES.iter().copied().find(|&d| d < days) {
                    Some(shorter) if refused_lifetime => {
                        run.retrying(
                            &step,
                            RetryNotice {
                                reason: RetryReason::SecretLifetimeRefused,
                                attempt: 2,
                                wait_ms: 0,
                                status: Some(r.status),
                                code: error.map(|e| e.code),
                            },
                        );
                        days = shorter;
                    }
                    _ => {
                        run.failed(&step, Failure::from_reply(&r, true));
                        return None;
                    }
                }
            }
            // The answer was lost: a secret may exist whose value we do not hold. Add again;
            // whatever the lost call left is removed below, once it can be seen.
            Err(CallError::Ambiguous { .. }) if lost_answers < 3 => lost_answers += 1,
            Err(CallError::Ambiguous { detail }) => {
                let what_to_do = format!(
                    "Secrets named {name} whose Value is not shown may have been added. Run the setup again, or in the Microsoft Entra admin center open App registrations > {app_name} > Certificates & secrets and delete the client secrets with that description."
                );
                run.failed(&step, Failure::plain(detail, what_to_do));
                return None;
            }
            Err(e) => {
                run.call_failed(&step, e, true);
                return None;
            }
        }
    };

    // Leave exactly one live secret from this run: the one whose value we hold.
    let others = if lost_answers == 0 {
        stale
    } else {
        // A lost answer may have left a secret that the replica we read does not show yet.
        // A replica applies an application's writes in order, so once the secret added last
        // shows, every earlier one does too: read until it shows, then remove the rest.
        match secrets_named(
            graph,
            run,
            &app_object_id,
            &name,
            Some(&created.key_id),
            app_name,
        )
        .await
        {
            Some(named) => named,
            None => return Some(created),
        }
    };
    for secret in others
        .iter()
        .filter(|c| c.key_id.as_deref() != Some(created.key_id.as_str()))
    {
        if !remove_secret(graph, run, &app_object_id, secret, app_name).await {
            return Some(created);
        }
    }
    let detail = match created.shortened_from_days {
        Some(asked) => format!(
            "added for {} days: your tenant's policy refused {asked} days",
            created.lifetime_days
        ),
        None => format!("added for {} days", created.lifetime_days),
    };
    run.done(&step, detail);
    Some(created)
}

async fn grant<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    diff: &Diff,
    run: &Run<'_>,
    mode: Mode,
    client_sp: &str,
    resolved: &[DesiredResource],
    consent_url: &str,
) {
    let mut calls: Vec<(Call, Policy)> = Vec::new();
    let mut steps: Vec<StepId> = Vec::new();
    // "Not replicated yet" is only plausible when this run created one of the two service
    // principals a grant names; otherwise such an answer is a real error, reported at once
    // rather than after minutes of retries.
    let client_is_new = diff.action(&StepId::ServicePrincipal) == Action::Create;
    for r in resolved {
        let Some(resource_sp) = r.sp_id.as_deref() else {
            continue;
        };
        let step = StepId::DelegatedConsent {
            api_app_id: r.api_app_id.clone(),
        };
        if matches!(diff.action(&step), Action::Create | Action::Change) {
            let call = match tenant_wide_grant(&diff.observed.grants, client_sp, resource_sp) {
                Some(g) => widen_grant(g, r),
                None => Call::post(
                    "/oauth2PermissionGrants",
                    json_body(OAuth2PermissionGrant {
                        id: None,
                        client_id: client_sp.to_owned(),
                        consent_type: "AllPrincipals".into(),
                        principal_id: None,
                        resource_id: resource_sp.to_owned(),
                        scope: delegated_values(r).join(" "),
                    }),
                ),
            };
            calls.push((call, grant_policy(client_is_new, diff, r)));
            steps.push(step);
        }
        for p in r.application() {
            let step = StepId::AppRole {
                api_app_id: r.api_app_id.clone(),
                value: p.value.clone(),
            };
            if diff.action(&step) != Action::Create {
                continue;
            }
            let Some(role) = &p.id else { continue };
            calls.push((
                Call::post(
                    format!("/servicePrincipals/{resource_sp}/appRoleAssignedTo"),
                    json_body(AppRoleAssignment {
                        id: None,
                        principal_id: client_sp.to_owned(),
                        resource_id: resource_sp.to_owned(),
                        app_role_id: role.clone(),
                    }),
                ),
                grant_policy(client_is_new, diff, r),
            ));
            steps.push(step);
        }
    }
    for s in &steps {
        run.set(s, StepStatus::Running);
    }
    let replies = graph
        .send_all(calls, mode, &|i, n| run.retrying(&steps[i], n))
        .await;
    for (step, reply) in steps.iter().zip(replies) {
        match reply {
            Ok(r) if r.ok() => run.done(step, "granted"),
            Ok(r) => {
                let error = r.error();
                match classify(r.status, error.as_ref(), true) {
                    ErrorClass::Duplicate if matches!(step, StepId::AppRole { .. }) => {
                        run.done(step, "already granted")
                    }
                    // Someone granted meanwhile: merge into that grant.
                    ErrorClass::Duplicate => {
                        merge_into_existing_grant(graph, run, step, client_sp, resolved).await
                    }
                    ErrorClass::Forbidden => run.set(step, needs_admin(diff, consent_url)),
                    _ => run.failed(step, Failure::from_reply(&r, true)),
                }
            }
            Err(e) => run.call_failed(step, e, true),
        }
    }
}

/// A grant's retry policy: idempotent either way (a repeat answers 409 or "already
/// exists"), and "just created" when either service principal it names is new in this run.
fn grant_policy(client_is_new: bool, diff: &Diff, resource: &DesiredResource) -> Policy {
    let resource_is_new = diff.action(&StepId::ResourceServicePrincipal {
        api_app_id: resource.api_app_id.clone(),
    }) == Action::Create;
    if client_is_new || resource_is_new {
        Policy::AFTER_CREATE
    } else {
        Policy::IDEMPOTENT
    }
}

fn delegated_values(resource: &DesiredResource) -> Vec<String> {
    resource.delegated().map(|p| p.value.clone()).collect()
}

fn merge_scopes(current: &str, wanted: &[String]) -> String {
    let mut out: Vec<String> = current.split_whitespace().map(str::to_owned).collect();
    for w in wanted {
        if !out.iter().any(|s| s.eq_ignore_ascii_case(w)) {
            out.push(w.clone());
        }
    }
    out.join(" ")
}

/// `PATCH` of an existing grant: its scopes plus the resource's delegated permissions.
fn widen_grant(grant: &OAuth2PermissionGrant, resource: &DesiredResource) -> Call {
    Call::patch(
        format!(
            "/oauth2PermissionGrants/{}",
            grant.id.as_deref().unwrap_or_default()
        ),
        json_body(GrantScopeUpdate {
            scope: merge_scopes(&grant.scope, &delegated_values(resource)),
        }),
    )
}

async fn merge_into_existing_grant<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    run: &Run<'_>,
    step: &StepId,
    client_sp: &str,
    resolved: &[DesiredResource],
) {
    let StepId::DelegatedConsent { api_app_id } = step else {
        return;
    };
    let Some(r) = resolved.iter().find(|r| &r.api_app_id == api_app_id) else {
        return;
    };
    let resource_sp = r.sp_id.clone().unwrap_or_default();
    let filter = query_escape(&format!(
        "clientId eq '{}' and consentType eq 'AllPrincipals'",
        odata_quote(client_sp)
    ));
    let lookup = Call::get(format!("/oauth2PermissionGrants?$filter={filter}"));
    // Every page: the client's grants to other APIs may come first.
    let grants = match graph
        .get_all::<OAuth2PermissionGrant>(lookup, Policy::AFTER_CREATE, &|n| run.retrying(step, n))
        .await
    {
        Ok(grants) => grants,
        Err(PageError::Call(e)) => return run.call_failed(step, e, true),
        Err(PageError::Refused(r)) => return run.failed(step, Failure::from_reply(&r, true)),
        Err(e) => return run.failed(step, Failure::plain(e.to_string(), "Run the setup again.")),
    };
    let existing = grants
        .into_iter()
        .find(|g| g.resource_id.eq_ignore_ascii_case(&resource_sp));
    let Some(g) = existing else {
        run.failed(
            step,
            Failure::plain(
                "Graph says the grant exists but it cannot be read",
                "Run the setup again.",
            ),
        );
        return;
    };
    match run
        .send(graph, step, widen_grant(&g, r), Policy::AFTER_CREATE)
        .await
    {
        Some(r) if r.ok() => run.done(step, "merged into the existing grant"),
        Some(r) => run.failed(step, Failure::from_reply(&r, true)),
        None => {}
    }
}

#[cfg(test)]
mod tests {
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
