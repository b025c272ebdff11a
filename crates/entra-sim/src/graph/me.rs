//! `/me` and `/organization` (graph-facts §2.1, §2.4). Memberships are in
//! `memberships.rs`.

use axum::http::StatusCode;
use serde_json::{json, Map, Value};

use super::auth::Caller;
use super::odata::{Query, Resource};
use super::response::{GraphError, GraphRequest, GraphResponse, GraphResult};
use super::{collection, entity};
use crate::state::World;

pub const USER_READ: [&str; 7] = [
    "User.Read",
    "User.ReadWrite",
    "User.ReadBasic.All",
    "User.Read.All",
    "User.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

/// Scopes that reveal a directory role's `displayName` and `roleTemplateId` through
/// memberOf. With only `User.Read` the reference suggests (UNCONFIRMED) that Graph returns
/// just `@odata.type` and `id`; the simulator does that.
pub const ROLE_DETAILS: [&str; 5] = [
    "Directory.Read.All",
    "Directory.ReadWrite.All",
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "RoleManagement.ReadWrite.Directory",
];

const ORG_FULL: [&str; 4] = [
    "Organization.Read.All",
    "Organization.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

pub fn delegated_only(caller: &Caller) -> Result<&str, GraphError> {
    caller.user_id.as_deref().ok_or_else(|| {
        GraphError::with_code(
            StatusCode::BAD_REQUEST,
            "BadRequest",
            "/me request is only valid with delegated authentication flow.",
        )
    })
}

fn user_body(world: &World, caller: &Caller, user_id: &str) -> Map<String, Value> {
    let tenant = world.dir.tenant(&caller.tenant_id).expect("caller tenant");
    let user = tenant.user(user_id).expect("authenticated user exists");
    match json!({
        "businessPhones": [],
        "displayName": user.display_name,
        "givenName": user.given_name,
        "jobTitle": user.job_title,
        "mail": user.mail,
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": "en-US",
        "surname": user.surname,
        "userPrincipalName": user.user_principal_name,
        "id": user.id,
    }) {
        Value::Object(m) => m,
        _ => unreachable!("literal object"),
    }
}

pub fn get_me(world: &mut World, caller: &Caller, req: &GraphRequest) -> GraphResult {
    let user_id = delegated_only(caller)?;
    caller.require_any(&USER_READ)?;
    let body = user_body(world, caller, user_id);
    let known: Vec<String> = body.keys().cloned().collect();
    let query = Query::parse(
        req.query.as_deref(),
        &Resource {
            type_name: "user",
            filterable: &[],
        },
        &known,
    )?;
    Ok(GraphResponse::ok(entity(req, "users", &query, &body)))
}

pub fn organization(world: &mut World, caller: &Caller, req: &GraphRequest) -> GraphResult {
    let mut allowed = ORG_FULL.to_vec();
    if caller.is_delegated() {
        allowed.extend(USER_READ);
    }
    caller.require_any(&allowed)?;
    let full = caller.has_any(&ORG_FULL);
    let tenant = world.dir.tenant(&caller.tenant_id).expect("caller tenant");
    let domains: Vec<Value> = tenant
        .verified_domains
        .iter()
        .map(|d| {
            json!({
                "capabilities": "Email, OfficeCommunicationsOnline",
                "isDefault": d.is_default,
                "isInitial": d.is_initial,
                "name": d.name,
                "type": d.kind,
            })
        })
        .collect();
    // With only User.Read Graph returns id, displayName and verifiedDomains; the rest is null.
    let detail = |v: Value| if full { v } else { Value::Null };
    let org = json!({
        "id": tenant.id,
        "deletedDateTime": null,
        "businessPhones": detail(json!([])),
        "city": null,
        "country": null,
        "countryLetterCode": detail(json!("US")),
        "createdDateTime": detail(json!(tenant.created_date_time)),
        "displayName": tenant.display_name,
        "postalCode": null,
        "preferredLanguage": detail(json!("en")),
        "state": null,
        "street": null,
        "technicalNotificationMails": detail(json!([])),
        "tenantType": detail(json!("AAD")),
        "verifiedDomains": domains,
    });
    let org = org.as_object().cloned().unwrap_or_default();
    let known: Vec<String> = org.keys().cloned().collect();
    let query = Query::parse(
        req.query.as_deref(),
        &Resource {
            type_name: "organization",
            filterable: &["id"],
        },
        &known,
    )?;
    Ok(collection(req, "organization", &query, vec![&org]))
}
