//! The Microsoft Graph requests that make the registration, in order, for change review
//! (and runnable as a `.http` file once the `{placeholders}` are filled in from earlier
//! responses). Sequence: graph-facts.md §12.

use super::{
    add_password_body, application_body, check, collection, one_line, pretty, slug,
    unresolved_notes, ExportError, ExportFile,
};
use crate::catalog::PermissionType;
use crate::cloud::Cloud;
use crate::graph_model::{AppRoleAssignment, OAuth2PermissionGrant, ServicePrincipal};
use crate::plan::{unique_name_for, Plan, PlannedPermission};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GraphRequest {
    /// One line: no control characters.
    pub title: String,
    pub method: &'static str,
    pub url: String,
    /// Headers besides `Authorization` and the `Content-Type` of a body, e.g. the
    /// `Prefer: create-if-missing` that makes a PATCH an upsert.
    pub headers: &'static [(&'static str, &'static str)],
    /// Pretty-printed JSON.
    pub body: Option<String>,
    /// What to take from the response, or what to do if it fails (one line).
    pub note: Option<String>,
}

/// The placeholder for a resource API's service principal object ID in this tenant.
fn resource_sp(api_name: &str) -> String {
    format!("{{{}-sp-id}}", slug(api_name))
}

fn unresolved_placeholder(p: &PlannedPermission) -> String {
    format!(
        "{{id of {} in {} of {}}}",
        p.value,
        collection(p.kind),
        p.api_name
    )
}

/// The requests against the global cloud's Graph (see [`graph_requests_in`]).
pub fn graph_requests(plan: &Plan) -> Result<Vec<GraphRequest>, ExportError> {
    graph_requests_in(plan, Cloud::Global)
}

/// The requests against `cloud`'s Graph v1.0.
pub fn graph_requests_in(plan: &Plan, cloud: Cloud) -> Result<Vec<GraphRequest>, ExportError> {
    check(plan)?;
    let graph = cloud.graph_base_url();
    let mut out = Vec::new();
    let groups = plan.by_api();

    for g in &groups {
        let unresolved: Vec<&str> = g
            .permissions
            .iter()
            .filter(|p| p.needs_resolution())
            .map(|p| &*p.value)
            .collect();
        let mut note = format!(
            "Take its id as {}. If it returns 404, create it: POST {graph}/servicePrincipals with {{\"appId\": \"{}\"}}.",
            resource_sp(g.api_name),
            g.api_app_id
        );
        if !unresolved.is_empty() {
            note.push_str(&format!(
                " Look up the id of {} by value in oauth2PermissionScopes (Delegated) or appRoles (Application).",
                unresolved.join(", ")
            ));
        }
        out.push(GraphRequest {
            title: format!("Find the {} service principal in your tenant", g.api_name),
            method: "GET",
            url: format!(
                "{graph}/servicePrincipals(appId='{}')?$select=id,appId,displayName,appRoles,oauth2PermissionScopes",
                g.api_app_id
            ),
            headers: &[],
            body: None,
            note: Some(note),
        });
    }

    let redirect = plan.redirect_uri_or_pattern();
    let app = application_body(plan, redirect.as_deref(), |p| match &p.id {
        Some(id) => id.to_string(),
        None => unresolved_placeholder(p),
    });
    // An upsert keyed by the unique name automated mode uses (graph-facts.md §3.3), never a
    // lookup by display name: admins rename apps, and a re-run must find the same one.
    let app_url = format!(
        "{graph}/applications(uniqueName='{}')",
        unique_name_for(&plan.integration_id)
    );
    out.push(GraphRequest {
        title: format!(
            "Create or update the app registration \"{}\" by its unique name",
            plan.display_name
        ),
        method: "PATCH",
        url: app_url.clone(),
        headers: &[("Prefer", "create-if-missing")],
        body: Some(pretty(&app)),
        note: Some("201 Created: the app is new; take id as {app-object-id} and appId as {app-id} (the client ID) from the response and skip the next request. 204 No Content: the app with this unique name existed and was updated; the next request reads its IDs.".to_owned()),
    });
    out.push(GraphRequest {
        title: "Read the app registration's IDs (after a 204)".to_owned(),
        method: "GET",
        url: format!("{app_url}?$select=id,appId"),
        headers: &[],
        body: None,
        note: Some("Take id as {app-object-id} and appId as {app-id} (the client ID). A 404 right after creating the app means replication is still running: retry after 1, 2, 4, ... seconds.".to_owned()),
    });

    if let Some(days) = plan.secret_lifetime_days {
        out.push(GraphRequest {
            title: format!("Add a client secret that expires in {days} days"),
            method: "POST",
            url: format!("{graph}/applications/{{app-object-id}}/addPassword"),
            headers: &[],
            body: Some(
pretty(&add_password_body(
                plan,
                &format!("{{now + {days} days, e.g. 2026-06-30T00:00:00Z}}"),
            )),
            ),
            note: Some("secretText in the response is the secret's Value, shown only this once; keyId is the Secret ID.".to_owned()),
        });
    }

    out.push(GraphRequest {
        title: "Create the app's service principal (enterprise application)".to_owned(),
        method: "POST",
        url: format!("{graph}/servicePrincipals"),
        headers: &[],
        body: Some(pretty(&ServicePrincipal {
            app_id: Some("{app-id}".to_owned()),
            ..ServicePrincipal::default()
        })),
        note: Some("Take id as {client-sp-id}. A 400 NoBackingApplicationObject right after creating the app means replication is still running: retry after 1, 2, 4, ... seconds.".to_owned()),
    });

    for g in &groups {
        let scopes: Vec<&str> = g
            .of_kind(PermissionType::Delegated)
            .map(|p| &*p.value)
            .collect();
        if scopes.is_empty() {
            continue;
        }
        out.push(GraphRequest {
            title: format!("Grant admin consent for the delegated {} permissions", g.api_name),
            method: "POST",
            url: format!("{graph}/oauth2PermissionGrants"),
            headers: &[],
            body: Some(pretty(&OAuth2PermissionGrant {
                client_id: "{client-sp-id}".to_owned(),
                consent_type: OAuth2PermissionGrant::ALL_PRINCIPALS.to_owned(),
                resource_id: resource_sp(g.api_name),
                scope: scopes.join(" "),
                ..OAuth2PermissionGrant::default()
            })),
            note: Some("409 Conflict means a grant already exists: PATCH /oauth2PermissionGrants/{id} with the full scope list instead.".to_owned()),
        });
    }

    for g in &groups {
        for p in g.of_kind(PermissionType::Application) {
            let role_id = match &p.id {
                Some(id) => id.to_string(),
                None => unresolved_placeholder(p),
            };
            out.push(GraphRequest {
                title: format!("Grant the application permission {} ({})", p.value, g.api_name),
                method: "POST",
                url: format!("{graph}/servicePrincipals/{}/appRoleAssignedTo", resource_sp(g.api_name)),
                headers: &[],
                body: Some(pretty(&AppRoleAssignment {
                    principal_id: "{client-sp-id}".to_owned(),
                    resource_id: resource_sp(g.api_name),
                    app_role_id: role_id,
                    ..AppRoleAssignment::default()
                })),
                note: Some("\"Permission being assigned already exists on the object\" means it is already granted.".to_owned()),
            });
        }
    }
    // Titles and notes are comment lines of the `.http` file: a line break in a name must
    // not start a request of its own.
    for r in &mut out {
        r.title = one_line(&r.title).into_owned();
        if let Some(note) = &mut r.note {
            *note = one_line(note).into_owned();
        }
    }
    Ok(out)
}

/// The sequence as a `.http` file (VS Code REST Client / JetBrains HTTP client format),
/// for the global cloud (see [`graph_requests_file_in`]).
pub fn graph_requests_file(plan: &Plan) -> Result<ExportFile, ExportError> {
    graph_requests_file_in(plan, Cloud::Global)
}

/// [`graph_requests_file`] against `cloud`'s Graph, with a token for that Graph.
pub fn graph_requests_file_in(plan: &Plan, cloud: Cloud) -> Result<ExportFile, ExportError> {
    let requests = graph_requests_in(plan, cloud)?;
    let mut content = format!(
        "# Microsoft Graph requests that register \"{}\" ({}), in order.\n# For review: {{placeholders}} come from earlier responses. Every request needs\n# Authorization: Bearer <token for {}>.\n",
        one_line(&plan.display_name),
        one_line(&plan.integration_id),
        cloud.graph_resource()
    );
    for (i, r) in requests.iter().enumerate() {
        content.push_str(&format!("\n### {}. {}\n", i + 1, r.title));
        if let Some(note) = &r.note {
            content.push_str(&format!("# {note}\n"));
        }
        content.push_str(&format!("{} {}\n", r.method, r.url));
        for (name, value) in r.headers {
            content.push_str(&format!("{name}: {value}\n"));
        }
        if let Some(body) = &r.body {
            content.push_str("Content-Type: application/json\n\n");
            content.push_str(body);
            content.push('\n');
        }
    }
    Ok(ExportFile {
        filename: format!("{}-graph-requests.http", plan.integration_id),
        mime: "text/plain".into(),
        content,
        notes: unresolved_notes(plan, "request 1 for its API reads it by value, or run"),
    })
}
