//! `/applications`: create, read, update (including the `uniqueName` upsert), delete,
//! `addPassword`, `removePassword` (graph-facts §3, §4).

use std::sync::LazyLock;

use axum::http::StatusCode;
use chrono::{DateTime, Months};
use serde_json::{json, Map, Value};

use super::auth::{Caller, APP_MANAGER_ROLES};
use super::odata::{Query, Resource};
use super::response::{GraphError, GraphRequest, GraphResponse, GraphResult};
use super::{created, entity, list_visible, position_by_key, Key};
use crate::directory::application::{self, hash_secret, Application, Invalid, PasswordCredential};
use crate::directory::{Directory, Record, Stored, Tenant};
use crate::state::World;
use crate::{clock, random};

const SET: &str = "applications";

pub const RESOURCE: Resource = Resource {
    type_name: "application",
    filterable: &[
        "id",
        "appId",
        "displayName",
        "uniqueName",
        "publisherDomain",
        "signInAudience",
        "tags/any",
        "identifierUris/any",
    ],
};

pub const READ: [&str; 4] = [
    "Application.Read.All",
    "Application.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];
pub const WRITE: [&str; 2] = ["Application.ReadWrite.All", "Directory.ReadWrite.All"];

/// What `$select` may name: the properties of Graph's application body.
static PROPERTIES: LazyLock<Vec<String>> = LazyLock::new(|| {
    application::default_body("", "", "", "")
        .keys()
        .cloned()
        .collect()
});

/// Index of the application a key addresses, as the replica serving the read sees it.
fn find(world: &World, caller: &Caller, key: &Key) -> Result<usize, GraphError> {
    position_by_key(
        &caller.tenant(world).applications,
        key,
        world.visible_before(),
    )
    .ok_or_else(|| GraphError::not_found(key.describe()))
}

/// Whether an application of the tenant already has this `uniqueName`.
fn unique_name_taken(tenant: &Tenant, name: &str) -> bool {
    tenant.applications.iter().any(|a| {
        a.unique_name()
            .is_some_and(|n| n.eq_ignore_ascii_case(name))
    })
}

fn unique_name_conflict() -> GraphError {
    GraphError::conflict(
        "Another object with the same value for property uniqueName already exists.",
    )
}

/// Index of the application a write addresses, once the caller may write applications
/// and manage this one.
fn find_managed(world: &World, caller: &Caller, key: &Key) -> Result<usize, GraphError> {
    caller.require_any(&WRITE)?;
    let index = find(world, caller, key)?;
    require_manage(world, caller, &caller.tenant(world).applications[index])?;
    Ok(index)
}

/// Delegated callers manage applications they own, or any with an app-management role.
fn require_manage(world: &World, caller: &Caller, app: &Application) -> Result<(), GraphError> {
    match &caller.user_id {
        Some(user) if app.owners.iter().any(|o| o.eq_ignore_ascii_case(user)) => Ok(()),
        _ => caller.require_role(world, &APP_MANAGER_ROLES),
    }
}

/// (scope ids, role ids) a resource exposes, from its service principal in the tenant or
/// the first-party definition; None when neither is known.
pub fn permissions_resolver<'a>(
    dir: &'a Directory,
    tenant: &'a Tenant,
) -> impl Fn(&str) -> Option<application::Exposed> + 'a {
    move |resource_app_id: &str| {
        let ids = |v: Option<&Value>| -> Vec<String> {
            v.and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|p| p.get("id").and_then(Value::as_str))
                        .map(str::to_owned)
                        .collect()
                })
                .unwrap_or_default()
        };
        if let Some(sp) = tenant.sp_by_app_id(resource_app_id, i64::MAX) {
            return Some((
                ids(sp.body.get("oauth2PermissionScopes")),
                ids(sp.body.get("appRoles")),
            ));
        }
        dir.first_party_app(resource_app_id).map(|fp| {
            (
                fp.oauth2_permission_scopes
                    .iter()
                    .map(|s| s.id.clone())
                    .collect(),
                fp.app_roles.iter().map(|r| r.id.clone()).collect(),
            )
        })
    }
}

pub fn list(world: &mut World, caller: &Caller, req: &GraphRequest) -> GraphResult {
    caller.require_any(&READ)?;
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &PROPERTIES[..])?;
    let visible_before = world.visible_before();
    // Each as the serving replica shows it (secrets added since are not on it yet).
    let applications: Vec<Record> = caller
        .tenant(world)
        .applications
        .iter()
        .map(|a| {
            Record::delayed(
                a.body_seen_at(visible_before).into_owned(),
                a.created_ms,
                a.delay_ms,
            )
        })
        .collect();
    Ok(list_visible(
        req,
        SET,
        &query,
        &applications,
        visible_before,
    ))
}

pub fn get(world: &mut World, caller: &Caller, req: &GraphRequest, key: &Key) -> GraphResult {
    caller.require_any(&READ)?;
    let query = Query::parse(req.query.as_deref(), &RESOURCE, &PROPERTIES[..])?;
    let app = &caller.tenant(world).applications[find(world, caller, key)?];
    let body = app.body_seen_at(world.visible_before());
    Ok(GraphResponse::ok(entity(req, SET, &query, &body)))
}

pub fn create(world: &mut World, caller: &Caller, req: &GraphRequest) -> GraphResult {
    caller.require_any(&WRITE)?;
    let props = req.json_object()?;
    let app = create_application(world, caller, props, None)?;
    let location = format!("{}/v1.0/{SET}/{}", req.base_url, app.id());
    Ok(created(req, SET, &app.body).with_header("Location", location))
}

fn create_application(
    world: &mut World,
    caller: &Caller,
    mut props: Map<String, Value>,
    unique_name: Option<&str>,
) -> Result<Application, GraphError> {
    let tenant = caller.tenant(world);
    if !tenant.users_can_register_apps {
        caller.require_role(world, &APP_MANAGER_ROLES)?;
    }
    let reference = props
        .get("serviceManagementReference")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if world.knobs.service_management_reference_required && reference.trim().is_empty() {
        // Code: microsoft-foundry/foundry-agent-webapp#3 ("ServiceTreeValueMissing"); message:
        // AzureAD/microsoft-identity-web#3243, both from Graph in a tenant that requires it.
        return Err(GraphError::with_code(
            StatusCode::BAD_REQUEST,
            "ServiceTreeValueMissing",
            "ServiceManagementReference field is required for Create, but is missing in the request. Refer to the TSG `https://aka.ms/service-management-reference-error` for resolving the error",
        ));
    }
    application::validate_properties(
        &props,
        true,
        "AzureADMyOrg",
        &permissions_resolver(&world.dir, tenant),
    )?;
    if let Some(u) = unique_name {
        match props.get("uniqueName").and_then(Value::as_str) {
            Some(given) if !given.eq_ignore_ascii_case(u) => {
                return Err(GraphError::bad_request(
                    "The uniqueName in the request body does not match the uniqueName in the URL.",
                ))
            }
            _ => {
                props.insert("uniqueName".into(), json!(u));
            }
        }
    }
    if let Some(u) = props.get("uniqueName").and_then(Value::as_str) {
        if unique_name_taken(tenant, u) {
            return Err(unique_name_conflict());
        }
    }
    let now = world.now_ms();
    let delay_ms = world.draw_replication_delay();
    let tenant = caller.tenant_mut(world);
    let mut body = application::default_body(
        &random::guid(),
        &random::guid(),
        &clock::rfc3339(now),
        tenant.default_domain(),
    );
    application::merge_patch(&mut body, &props);
    let app = Application::new(
        body,
        now,
        delay_ms,
        caller.user_id.iter().cloned().collect(),
    );
    tenant.applications.push(app.clone());
    Ok(app)
}

pub fn update(world: &mut World, caller: &Caller, req: &GraphRequest, key: &Key) -> GraphResult {
    caller.require_any(&WRITE)?;
    let props = req.json_object()?;
    // application-upsert (microsoft-graph-docs-contrib api-reference/v1.0/api/application-upsert.md):
    // "The request body must contain **displayName**, which is a required property." Creating
    // always needs it (validate_properties); the realistic profile also refuses an upsert that
    // updates without it. The exact message Graph gives is UNCONFIRMED: the simulator answers
    // as for any invalid property value.
    let upsert = matches!(key, Key::UniqueName(_)) && req.prefers_create_if_missing();
    if upsert && world.knobs.upsert_requires_display_name && !props.contains_key("displayName") {
        return Err(Invalid::value("displayName", "displayName is required").into());
    }
    // Upserts by uniqueName are served by the primary (they must not create a duplicate),
    // so they see objects the replication delay still hides from reads.
    let visible_before = match key {
        Key::UniqueName(_) => i64::MAX,
        _ => world.visible_before(),
    };
    let tenant = caller.tenant(world);
    let Some(index) = position_by_key(&tenant.applications, key, visible_before) else {
        return match key {
            Key::UniqueName(u) if req.prefers_create_if_missing() => {
                let app = create_application(world, caller, props, Some(u))?;
                Ok(created(req, SET, &app.body))
            }
            _ => Err(GraphError::not_found(key.describe())),
        };
    };
    let app = &tenant.applications[index];
    require_manage(world, caller, app)?;
    application::validate_properties(
        &props,
        false,
        app.sign_in_audience(),
        &permissions_resolver(&world.dir, tenant),
    )?;
    if let Some(new) = props.get("uniqueName") {
        let same = match (app.unique_name(), new.as_str()) {
            (Some(old), Some(new)) => old.eq_ignore_ascii_case(new),
            (None, _) => true,
            _ => false,
        };
        if !same {
            return Err(GraphError::bad_request(
                "Property 'uniqueName' is immutable once set.",
            ));
        }
        if let (None, Some(n)) = (app.unique_name(), new.as_str()) {
            if unique_name_taken(tenant, n) {
                return Err(unique_name_conflict());
            }
        }
    }
    let app = &mut caller.tenant_mut(world).applications[index];
    application::merge_patch(&mut app.body, &props);
    Ok(GraphResponse::no_content())
}

pub fn delete(world: &mut World, caller: &Caller, key: &Key) -> GraphResult {
    let index = find_managed(world, caller, key)?;
    let tenant = caller.tenant_mut(world);
    let app = tenant.applications.remove(index);
    let sp_ids: Vec<String> = tenant
        .service_principals
        .iter()
        .filter(|s| s.str("appId").eq_ignore_ascii_case(app.app_id()))
        .map(|s| s.id().to_owned())
        .collect();
    for sp in sp_ids {
        tenant.delete_sp(&sp);
    }
    Ok(GraphResponse::no_content())
}

const PASSWORD_CREDENTIAL_INPUT: [&str; 4] = [
    "displayName",
    "endDateTime",
    "startDateTime",
    "customKeyIdentifier",
];

pub fn add_password(
    world: &mut World,
    caller: &Caller,
    req: &GraphRequest,
    key: &Key,
) -> GraphResult {
    let index = find_managed(world, caller, key)?;
    let body = if req.body.is_empty() {
        Map::new()
    } else {
        req.json_object()?
    };
    if let Some(k) = body.keys().find(|k| k.as_str() != "passwordCredential") {
        return Err(GraphError::unknown_property(k));
    }
    let input = match body.get("passwordCredential") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            return Err(GraphError::bad_request(
                "Invalid value specified for property 'passwordCredential'.",
            ))
        }
    };
    if let Some(k) = input
        .keys()
        .find(|k| !PASSWORD_CREDENTIAL_INPUT.contains(&k.as_str()))
    {
        return Err(if ["keyId", "hint", "secretText"].contains(&k.as_str()) {
            Invalid::read_only(k).into()
        } else {
            GraphError::unknown_property(k)
        });
    }
    let now = world.now_ms();
    let date = |name: &str| -> Result<Option<i64>, GraphError> {
        match input.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => clock::parse_rfc3339_ms(s).map(Some).ok_or_else(|| {
                GraphError::bad_request(format!("Invalid value specified for property '{name}'."))
            }),
            Some(_) => Err(GraphError::bad_request(format!(
                "Invalid value specified for property '{name}'."
            ))),
        }
    };
    let start = date("startDateTime")?.unwrap_or(now);
    let end = match date("endDateTime")? {
        Some(e) => e,
        // Default lifetime: two years after the start (graph-facts §4.1).
        None => DateTime::from_timestamp_millis(start)
            .and_then(|d| d.checked_add_months(Months::new(24)))
            .map(|d| d.timestamp_millis())
            .unwrap_or(start),
    };
    if end <= start {
        return Err(
            GraphError::bad_request("Key credential end date is invalid.").detail(
                "InvalidKeyEndDate",
                "The end date must be later than the start date.",
                Some("EndDate"),
            ),
        );
    }
    let tenant = caller.tenant(world);
    check_secret_policy(tenant, &tenant.applications[index], start, end)?;
    let secret = random::secret_text();
    let key_id = random::guid();
    let credential = PasswordCredential {
        key_id,
        display_name: input.get("displayName").cloned().unwrap_or(Value::Null),
        hint: secret[..3].to_owned(),
        start_ms: start,
        end_ms: end,
        hash: hash_secret(&secret),
        created_ms: now,
        delay_ms: world.draw_replication_delay(),
    };
    let mut response = credential.graph_body();
    caller.tenant_mut(world).applications[index].add_password(credential);
    response["secretText"] = json!(secret);
    response["@odata.context"] = json!(format!(
        "{}/v1.0/$metadata#microsoft.graph.passwordCredential",
        req.base_url
    ));
    Ok(GraphResponse::ok(response))
}

/// App management policy restrictions on password credentials (graph-facts §4.1).
fn check_secret_policy(
    tenant: &Tenant,
    app: &Application,
    start: i64,
    end: i64,
) -> Result<(), GraphError> {
    let Some(policy) = &tenant.policy else {
        return Ok(());
    };
    let app_created = clock::parse_rfc3339_ms(app.str("createdDateTime")).unwrap_or(0);
    for rule in &policy.password_credentials {
        let applies = rule
            .restrict_for_apps_created_after_date_time
            .as_deref()
            .and_then(clock::parse_rfc3339_ms)
            .is_none_or(|after| app_created > after);
        if !applies {
            continue;
        }
        match rule.restriction_type.as_str() {
            "passwordAddition" => {
                return Err(GraphError::with_code(
                    StatusCode::BAD_REQUEST,
                    "CredentialTypeNotAllowedAsPerAppPolicy",
                    format!(
                        "Password credentials are not allowed as per assigned policy '{}'.",
                        policy.id
                    ),
                ))
            }
            "passwordLifetime" => {
                let max = rule
                    .max_lifetime
                    .as_deref()
                    .and_then(clock::parse_iso8601_duration_ms);
                if max.is_some_and(|max| end - start > max) {
                    return Err(GraphError::with_code(
                        StatusCode::BAD_REQUEST,
                        "CredentialInvalidLifetimeAsPerAppPolicy",
                        format!("Credential lifetime exceeds the max value allowed as per assigned policy '{}'.", policy.id),
                    )
                    .detail(
                        "InvalidKeyEndDate",
                        &format!(
                            "The end date exceeds the maximum lifetime {} allowed by policy.",
                            rule.max_lifetime.as_deref().unwrap_or("")
                        ),
                        Some("EndDate"),
                    ));
                }
            }
            _ => {}
        }
    }
    Ok(())
}

pub fn remove_password(
    world: &mut World,
    caller: &Caller,
    req: &GraphRequest,
    key: &Key,
) -> GraphResult {
    let index = find_managed(world, caller, key)?;
    let body = req.json_object()?;
    if let Some(k) = body.keys().find(|k| k.as_str() != "keyId") {
        return Err(GraphError::unknown_property(k));
    }
    let key_id = body
        .get("keyId")
        .and_then(Value::as_str)
        .filter(|k| uuid::Uuid::parse_str(k).is_ok())
        .ok_or_else(|| GraphError::bad_request("Invalid value specified for property 'keyId'."))?
        .to_owned();
    let app = &mut caller.tenant_mut(world).applications[index];
    if !app.remove_password(&key_id) {
        return Err(GraphError::not_found(&key_id));
    }
    Ok(GraphResponse::no_content())
}
