//! The client secret: add it (falling back to shorter lifetimes a tenant policy allows),
//! and leave exactly one live secret from this run: the one whose Value is held.

use super::{json_body, unreadable};
use crate::automation::graph::{
    Call, CallError, GraphApi, Policy, Reply, RetryNotice, RetryReason,
};
use crate::automation::provision::diff::{secret_display_name, Action, Diff};
use crate::automation::provision::events::{Failure, StepId, StepStatus};
use crate::automation::provision::report::CreatedSecret;
use crate::automation::provision::run::Run;
use crate::graph_model::{
    AddPassword, AppRegistration, Application, NewPassword, PasswordCredential, RemovePassword,
};
use crate::time::MS_PER_DAY;

/// Shorter lifetimes to fall back to when a tenant policy refuses the chosen one.
const SHORTER_LIFETIMES: [u16; 5] = [365, 180, 90, 30, 7];

/// This run's secrets (named `name`), read afresh; with `must_show`, read again (as
/// replication delay) until that secret shows. `None`: the read failed and the step says so.
async fn secrets_named(
    graph: &impl GraphApi,
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
pub(crate) fn still_live(app_name: &str, secret: &PasswordCredential) -> String {
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
async fn remove_secret(
    graph: &impl GraphApi,
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

pub(crate) async fn add_secret(
    graph: &impl GraphApi,
    diff: &Diff,
    run: &Run<'_>,
    app: &AppRegistration,
) -> Option<CreatedSecret> {
    let step = StepId::Secret;
    let (Some(requested), Action::Create) = (diff.desired.secret_days, diff.action(&step)) else {
        return None;
    };
    let app_object_id = app.object_id.clone();
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
