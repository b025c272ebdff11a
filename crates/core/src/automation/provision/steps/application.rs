//! The registration and its service principals: upsert the application, read (or create)
//! the resource APIs' service principals, upsert the client's service principal, and add
//! permissions that could only be resolved once a resource's service principal existed.

use super::{json_body, unreadable};
use crate::automation::graph::error::{classify, ErrorClass};
use crate::automation::graph::paths::{
    app_by_unique_name, app_lookup, resource_lookup, sp_by_app_id,
};
use crate::automation::graph::{Call, CallError, GraphApi, Mode, Policy};
use crate::automation::provision::diff::{merged_access, Action, Desired, DesiredResource, Diff};
use crate::automation::provision::events::{Failure, StepId, StepStatus};
use crate::automation::provision::observe::Adoption;
use crate::automation::provision::run::{needs_admin, Run};
use crate::graph_model::{AppRegistration, Application, ServicePrincipal};

pub(crate) async fn upsert_application(
    graph: &impl GraphApi,
    diff: &Diff,
    run: &Run<'_>,
) -> Option<AppRegistration> {
    let step = StepId::Application;
    let registration = |app: Option<Application>| {
        let parsed = app.and_then(AppRegistration::from_application);
        if parsed.is_none() {
            run.failed(&step, unreadable());
        }
        parsed
    };
    let observed = diff.observed.application.clone();
    let Some(body) = diff.application_body.clone() else {
        return registration(observed);
    };
    run.set(&step, StepStatus::Running);
    let adopted = observed
        .as_ref()
        .and_then(|a| a.id.clone())
        .filter(|_| diff.observed.adoption == Adoption::Adopting);
    let call = match &adopted {
        // Adopt mode: the registration has no uniqueName yet, so it is addressed by its
        // object ID; the body sets the uniqueName (an upsert by it would create a second app).
        Some(object_id) => Call::patch(format!("/applications/{object_id}"), json_body(body)),
        None => Call::patch(
            app_by_unique_name(&diff.desired.unique_name),
            json_body(body),
        )
        .header("Prefer", "create-if-missing"),
    };
    let reply = run.send(graph, &step, call, Policy::IDEMPOTENT).await?;
    match reply.status {
        201 => {
            let app = registration(reply.json::<Application>())?;
            run.done(&step, format!("created, client ID {}", app.app_id));
            Some(app)
        }
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
            let app = registration(app)?;
            run.done(
                &step,
                if adopted.is_some() {
                    "adopted: it now carries this assistant's unique name and tags"
                } else {
                    "updated"
                },
            );
            Some(app)
        }
        // The one request built from what the admin typed (name, redirect URI).
        _ => {
            let mut failure = Failure::from_reply(&reply, false);
            if classify(reply.status, reply.error().as_ref(), false) == ErrorClass::Invalid {
                failure.what_to_do = "Check the values you entered (display name, redirect URI) against Graph's message, then review and apply again.".into();
            }
            run.failed(&step, failure);
            None
        }
    }
}

/// Fresh reads of the resource APIs' service principals (creating missing ones); these
/// overlap the application upsert.
pub(crate) async fn resource_service_principals(
    graph: &impl GraphApi,
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

pub(crate) async fn client_service_principal(
    graph: &impl GraphApi,
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

pub(crate) async fn late_required_access(
    graph: &impl GraphApi,
    diff: &Diff,
    run: &Run<'_>,
    app: &AppRegistration,
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
    let current = app
        .application
        .required_resource_access
        .clone()
        .unwrap_or_default();
    let update = Application {
        required_resource_access: Some(merged_access(
            &current,
            &desired.required_resource_access(),
        )),
        ..Application::default()
    };
    let call = Call::patch(
        format!("/applications/{}", app.object_id),
        json_body(update),
    );
    match run.send(graph, &step, call, Policy::AFTER_CREATE).await {
        Some(r) if r.ok() => run.done(&step, "added"),
        Some(r) => run.failed(&step, Failure::from_reply(&r, true)),
        None => {}
    }
}
