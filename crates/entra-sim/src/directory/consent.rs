//! Recording consent: delegated permission grants and app role assignments, shared by the
//! interactive consent page, the admin-consent endpoint and Graph.

use serde_json::{json, Map, Value};

use super::{service_principal, Directory, Record, Stored, Tenant};
use crate::{clock, random};

pub fn grant_body(
    id: &str,
    client_sp_id: &str,
    consent_type: &str,
    principal_id: Option<&str>,
    resource_sp_id: &str,
    scope: &str,
) -> Map<String, Value> {
    match json!({
        "id": id,
        "clientId": client_sp_id,
        "consentType": consent_type,
        "principalId": principal_id,
        "resourceId": resource_sp_id,
        "scope": scope,
    }) {
        Value::Object(m) => m,
        _ => unreachable!("literal object"),
    }
}

pub fn assignment_body(
    id: &str,
    app_role_id: &str,
    created: &str,
    principal: &Record,
    resource: &Record,
) -> Map<String, Value> {
    match json!({
        "id": id,
        "deletedDateTime": null,
        "appRoleId": app_role_id,
        "createdDateTime": created,
        "principalDisplayName": principal.str("displayName"),
        "principalId": principal.id(),
        "principalType": "ServicePrincipal",
        "resourceDisplayName": resource.str("displayName"),
        "resourceId": resource.id(),
    }) {
        Value::Object(m) => m,
        _ => unreachable!("literal object"),
    }
}

/// Adds scopes to the matching grant, creating it when absent (consent never removes scopes).
pub fn add_delegated_scopes(
    tenant: &mut Tenant,
    client_sp_id: &str,
    resource_sp_id: &str,
    principal_id: Option<&str>,
    scopes: &[String],
    now_ms: i64,
) {
    let consent_type = if principal_id.is_some() {
        "Principal"
    } else {
        "AllPrincipals"
    };
    match tenant.grant_index(client_sp_id, resource_sp_id, consent_type, principal_id) {
        Some(index) => {
            let grant = &mut tenant.grants[index];
            let mut current: Vec<String> = grant
                .str("scope")
                .split_whitespace()
                .map(str::to_owned)
                .collect();
            for s in scopes {
                if !current.iter().any(|c| c.eq_ignore_ascii_case(s)) {
                    current.push(s.clone());
                }
            }
            grant.body.insert("scope".into(), json!(current.join(" ")));
        }
        None => {
            let body = grant_body(
                &random::graph_key(),
                client_sp_id,
                consent_type,
                principal_id,
                resource_sp_id,
                &scopes.join(" "),
            );
            tenant.grants.push(Record::new(body, now_ms));
        }
    }
}

/// Assigns an app role unless the assignment exists.
pub fn assign_app_role(
    tenant: &mut Tenant,
    client_sp_id: &str,
    resource_sp_id: &str,
    app_role_id: &str,
    now_ms: i64,
) {
    if tenant.has_assignment(client_sp_id, resource_sp_id, app_role_id) {
        return;
    }
    let sp = |id: &str| tenant.service_principals.iter().find(|s| s.id() == id);
    let (Some(principal), Some(resource)) = (sp(client_sp_id), sp(resource_sp_id)) else {
        return;
    };
    let body = assignment_body(
        &random::graph_key(),
        app_role_id,
        &clock::rfc3339(now_ms),
        principal,
        resource,
    );
    tenant.assignments.push(Record::new(body, now_ms));
}

/// The client's service principal in the tenant, created (as consent does) when the
/// client is a multi-tenant app or lives in this tenant. Returns its object id.
pub fn ensure_client_sp(
    dir: &mut Directory,
    tenant_index: usize,
    client_app_id: &str,
    now_ms: i64,
) -> Option<String> {
    if let Some(sp) = dir.tenants[tenant_index]
        .service_principals
        .iter()
        .find(|s| s.str("appId").eq_ignore_ascii_case(client_app_id))
    {
        return Some(sp.id().to_owned());
    }
    let (home, app) = dir.application_anywhere(client_app_id)?;
    if home.id != dir.tenants[tenant_index].id && !app.is_multi_tenant() {
        return None;
    }
    let id = random::guid();
    let body = service_principal::body_for_application(
        &id,
        app,
        &home.id.clone(),
        &clock::rfc3339(now_ms),
    );
    // Consent-created service principals are seen at once: the sign-in that created them
    // goes on to use them.
    dir.tenants[tenant_index]
        .service_principals
        .push(Record::new(body, i64::MIN));
    Some(id)
}
