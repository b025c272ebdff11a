//! Consent: the tenant-wide delegated grant per resource API (created, or widened when one
//! exists) and each app role assignment, all sent together in `$batch`es.

use super::json_body;
use crate::automation::graph::paths::{odata_quote, query_escape};
use crate::automation::graph::{
    classify, Call, CallError, ErrorClass, GraphApi, Mode, PageError, Policy, Reply,
};
use crate::automation::provision::diff::{tenant_wide_grant, Action, DesiredResource, Diff};
use crate::automation::provision::events::{Failure, StepId, StepStatus};
use crate::automation::provision::extras::{narrowed, Extra};
use crate::automation::provision::run::{needs_admin, Run};
use crate::graph_model::{AppRoleAssignment, Collection, GrantScopeUpdate, OAuth2PermissionGrant};

pub(crate) async fn grant(
    graph: &impl GraphApi,
    diff: &Diff,
    run: &Run<'_>,
    mode: Mode,
    client_sp: &str,
    resolved: &[DesiredResource],
    consent_url: &str,
) {
    let mut calls: Vec<(Call, Policy)> = Vec::new();
    let mut steps: Vec<StepId> = Vec::new();
    // Extras ticked for removal that a call of another step carries out (a grant widened
    // and narrowed in one PATCH): they share its outcome.
    let mut riders: Vec<Vec<StepId>> = Vec::new();
    let removed = diff.removed();
    let mut folded: Vec<&str> = Vec::new();
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
            let mut rides = Vec::new();
            let call = match tenant_wide_grant(&diff.observed.grants, client_sp, resource_sp) {
                Some(g) => {
                    let narrowing: Vec<&Extra> = removed
                        .iter()
                        .copied()
                        .filter(|e| e.grant_id == g.id)
                        .collect();
                    folded.extend(g.id.as_deref());
                    rides = narrowing.iter().map(|e| e.step()).collect();
                    widen_grant(g, r, &narrowing)
                }
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
            riders.push(rides);
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
            riders.push(Vec::new());
        }
    }
    for (call, step, rides) in removals(diff, &removed, &folded) {
        calls.push((call, Policy::IDEMPOTENT));
        steps.push(step);
        riders.push(rides);
    }
    for s in steps.iter().chain(riders.iter().flatten()) {
        run.set(s, StepStatus::Running);
    }
    let replies = graph
        .send_all(calls, mode, &|i, n| run.retrying(&steps[i], n))
        .await;
    for ((step, rides), reply) in steps.iter().zip(&riders).zip(replies) {
        if matches!(step, StepId::Extra { .. }) {
            removal_done(run, step, reply);
        } else {
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
        // A rider shares the outcome of the PATCH that carried it.
        let outcome = run.status(step);
        for rider in rides {
            match &outcome {
                Some(StepStatus::Done { .. }) => {
                    run.done(rider, "removed from the tenant-wide grant")
                }
                Some(other) => run.set(rider, other.clone()),
                None => {}
            }
        }
    }
}

/// The calls that remove ticked extras not folded into a widening PATCH: a grant narrowed
/// (deleted when nothing is left of it), an app role assignment deleted. Each call's first
/// extra is its step, the rest ride along.
fn removals(diff: &Diff, removed: &[&Extra], folded: &[&str]) -> Vec<(Call, StepId, Vec<StepId>)> {
    let mut out = Vec::new();
    for g in diff
        .observed
        .grants
        .iter()
        .filter(|g| g.id.as_deref().is_some_and(|id| !folded.contains(&id)))
    {
        let narrowing: Vec<&Extra> = removed
            .iter()
            .copied()
            .filter(|e| e.grant_id.is_some() && e.grant_id == g.id)
            .collect();
        let Some((first, rest)) = narrowing.split_first() else {
            continue;
        };
        let path = format!(
            "/oauth2PermissionGrants/{}",
            g.id.as_deref().unwrap_or_default()
        );
        let scope = narrowed(&g.scope, &narrowing);
        let call = if scope.is_empty() {
            Call::delete(path)
        } else {
            Call::patch(path, json_body(GrantScopeUpdate { scope }))
        };
        out.push((call, first.step(), rest.iter().map(|e| e.step()).collect()));
    }
    for e in removed {
        if let Some((resource_sp, assignment)) = &e.assignment {
            out.push((
                Call::delete(format!(
                    "/servicePrincipals/{resource_sp}/appRoleAssignedTo/{assignment}"
                )),
                e.step(),
                Vec::new(),
            ));
        }
    }
    out
}

/// A removal's answer; 404: gone already (an earlier attempt whose answer was lost).
fn removal_done(run: &Run<'_>, step: &StepId, reply: Result<Reply, CallError>) {
    match reply {
        Ok(r) if r.ok() || r.status == 404 => run.done(step, "removed"),
        Ok(r) => run.failed(step, Failure::from_reply(&r, false)),
        Err(e) => run.call_failed(step, e, false),
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

pub(crate) fn merge_scopes(current: &str, wanted: &[String]) -> String {
    let mut out: Vec<String> = current.split_whitespace().map(str::to_owned).collect();
    for w in wanted {
        if !out.iter().any(|s| s.eq_ignore_ascii_case(w)) {
            out.push(w.clone());
        }
    }
    out.join(" ")
}

/// `PATCH` of an existing grant: its scopes plus the resource's delegated permissions,
/// less the extras ticked for removal.
fn widen_grant(
    grant: &OAuth2PermissionGrant,
    resource: &DesiredResource,
    removed: &[&Extra],
) -> Call {
    Call::patch(
        format!(
            "/oauth2PermissionGrants/{}",
            grant.id.as_deref().unwrap_or_default()
        ),
        json_body(GrantScopeUpdate {
            scope: narrowed(
                &merge_scopes(&grant.scope, &delegated_values(resource)),
                removed,
            ),
        }),
    )
}

async fn merge_into_existing_grant(
    graph: &impl GraphApi,
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
    let ours = |g: &OAuth2PermissionGrant| g.resource_id.eq_ignore_ascii_case(&resource_sp);
    // Graph has just said the grant exists, yet a replica behind that write lists none: a
    // grant made seconds ago (a run started again right after another) reaches every replica
    // within minutes (graph-facts §5, [SUPPORT-404]). So the first page is read again, as for
    // replication delay, until it shows the grant or says more pages follow (the client's
    // grants to other APIs may come first).
    let shows = |reply: &Reply| {
        reply
            .json::<Collection<OAuth2PermissionGrant>>()
            .is_some_and(|page| page.next_link.is_some() || page.value.iter().any(ours))
    };
    let notify = |n| run.retrying(step, n);
    let first = match graph
        .send_until(lookup, Policy::AFTER_CREATE, &notify, &shows)
        .await
    {
        Ok(first) => first,
        Err(e) => return run.call_failed(step, e, true),
    };
    let grants = match graph
        .all_pages::<OAuth2PermissionGrant>(first, Policy::AFTER_CREATE, &notify)
        .await
    {
        Ok(grants) => grants,
        Err(PageError::Call(e)) => return run.call_failed(step, e, true),
        Err(PageError::Refused(r)) => return run.failed(step, Failure::from_reply(&r, true)),
        Err(e) => return run.failed(step, Failure::plain(e.to_string(), "Run the setup again.")),
    };
    let existing = grants.into_iter().find(|g| ours(g));
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
        .send(graph, step, widen_grant(&g, r, &[]), Policy::AFTER_CREATE)
        .await
    {
        Some(r) if r.ok() => run.done(step, "merged into the existing grant"),
        Some(r) => run.failed(step, Failure::from_reply(&r, true)),
        None => {}
    }
}
