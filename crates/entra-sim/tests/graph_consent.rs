//! Delegated grants and app role assignments through Graph: created, duplicates answered
//! as Graph does, directory-role and scope rules enforced; and the admin-consent link.

mod common;

use common::*;
use entra_sim::resources;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const GRAPH_USER_READ_ALL_ROLE: &str = "df021288-bdef-4463-88db-98f22de89214";
const SHAREPOINT_SITES_FULL_CONTROL_ROLE: &str = "678536fe-1083-478a-9c59-b99265e6b0d3";

#[tokio::test]
async fn delegated_grants_are_created_patched_and_duplicates_conflict() {
    let sim = start().await;
    let token = access_token(&sim, users::CLOUD_APP_ADMIN_UPN).await;
    let client = app_with_sp(&sim, &token, json!({"displayName": "Outlook connector"}))
        .await
        .sp_id;
    let graph_sp = sp_id(&sim, &token, resources::MICROSOFT_GRAPH).await;
    let grant = json!({"clientId": client, "consentType": "AllPrincipals", "resourceId": graph_sp, "scope": "User.Read Mail.Send"});

    let created = post(&sim, "/oauth2PermissionGrants", &token, grant.clone()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["principalId"], Value::Null);

    let duplicate = post(&sim, "/oauth2PermissionGrants", &token, grant).await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert_eq!(duplicate.code(), "Request_MultipleObjectsWithSameKeyValue");
    assert_eq!(
        duplicate.body["error"]["message"],
        "Permission entry already exists."
    );

    let filter = enc(&format!(
        "clientId eq '{client}' and consentType eq 'AllPrincipals'"
    ));
    let found = get(
        &sim,
        &format!("/oauth2PermissionGrants?$filter={filter}"),
        &token,
    )
    .await;
    assert_eq!(found.body["value"][0]["id"], id.as_str());

    let patched = graph(
        &sim,
        Method::PATCH,
        &format!("/oauth2PermissionGrants/{id}"),
        Some(&token),
        Some(json!({"scope": "User.Read Mail.Send Contacts.Read"})),
    )
    .await;
    assert_eq!(patched.status, StatusCode::NO_CONTENT);
    let read = get(&sim, &format!("/oauth2PermissionGrants/{id}"), &token).await;
    assert_eq!(read.body["scope"], "User.Read Mail.Send Contacts.Read");

    let moved = graph(
        &sim,
        Method::PATCH,
        &format!("/oauth2PermissionGrants/{id}"),
        Some(&token),
        Some(json!({"principalId": users::GLOBAL_ADMIN_ID})),
    )
    .await;
    assert_eq!(moved.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        moved.body["error"]["message"],
        "Property cannot be updated: principalId"
    );

    let bogus = graph(
        &sim,
        Method::PATCH,
        &format!("/oauth2PermissionGrants/{id}"),
        Some(&token),
        Some(json!({"scope": "User.Read Teleport.All"})),
    )
    .await;
    assert_eq!(bogus.status, StatusCode::BAD_REQUEST);

    let deleted = graph(
        &sim,
        Method::DELETE,
        &format!("/oauth2PermissionGrants/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn graph_app_roles_need_a_privileged_role_administrator() {
    let sim = start().await;
    let cloud_admin = access_token(&sim, users::CLOUD_APP_ADMIN_UPN).await;
    let client = app_with_sp(&sim, &cloud_admin, json!({"displayName": "Backup"}))
        .await
        .sp_id;
    let graph_sp = sp_id(&sim, &cloud_admin, resources::MICROSOFT_GRAPH).await;
    let sharepoint_sp = sp_id(&sim, &cloud_admin, resources::SHAREPOINT_ONLINE).await;
    let to_graph = json!({"principalId": client, "resourceId": graph_sp, "appRoleId": GRAPH_USER_READ_ALL_ROLE});

    let denied = post(
        &sim,
        &format!("/servicePrincipals/{graph_sp}/appRoleAssignedTo"),
        &cloud_admin,
        to_graph.clone(),
    )
    .await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    assert_eq!(denied.code(), "Authorization_RequestDenied");

    // The same administrator may assign app roles of other APIs.
    let sharepoint = post(
        &sim,
        &format!("/servicePrincipals/{client}/appRoleAssignments"),
        &cloud_admin,
        json!({"principalId": client, "resourceId": sharepoint_sp, "appRoleId": SHAREPOINT_SITES_FULL_CONTROL_ROLE}),
    )
    .await;
    assert_eq!(
        sharepoint.status,
        StatusCode::CREATED,
        "{}",
        sharepoint.body
    );

    let pra = access_token(&sim, users::PRIVILEGED_ROLE_ADMIN_UPN).await;
    let created = post(
        &sim,
        &format!("/servicePrincipals/{graph_sp}/appRoleAssignedTo"),
        &pra,
        to_graph.clone(),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["principalType"], "ServicePrincipal");
    assert_eq!(created.body["resourceDisplayName"], "Microsoft Graph");

    let duplicate = post(
        &sim,
        &format!("/servicePrincipals/{graph_sp}/appRoleAssignedTo"),
        &pra,
        to_graph,
    )
    .await;
    assert_eq!(duplicate.status, StatusCode::BAD_REQUEST);
    assert_eq!(duplicate.code(), "Request_BadRequest");
    assert_eq!(
        duplicate.body["error"]["message"],
        "Permission being assigned already exists on the object"
    );

    let unknown = post(
        &sim,
        &format!("/servicePrincipals/{graph_sp}/appRoleAssignedTo"),
        &pra,
        json!({"principalId": client, "resourceId": graph_sp, "appRoleId": "e1fe6dd8-ba31-4d61-89e7-88639da4683d"}),
    )
    .await;
    assert_eq!(
        unknown.status,
        StatusCode::BAD_REQUEST,
        "a delegated scope id is not an app role"
    );

    let list = get(
        &sim,
        &format!("/servicePrincipals/{client}/appRoleAssignments"),
        &pra,
    )
    .await;
    assert_eq!(list.body["value"].as_array().unwrap().len(), 2);
    let assignment = created.body["id"].as_str().unwrap();
    let revoked = graph(
        &sim,
        Method::DELETE,
        &format!("/servicePrincipals/{graph_sp}/appRoleAssignedTo/{assignment}"),
        Some(&pra),
        None,
    )
    .await;
    assert_eq!(revoked.status, StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn missing_scopes_and_roles_are_refused() {
    let sim = start().await;
    // No token at all.
    let anonymous = graph(&sim, Method::GET, "/applications", None, None).await;
    assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED);
    assert_eq!(anonymous.code(), "InvalidAuthenticationToken");
    assert!(anonymous.headers.contains_key("www-authenticate"));

    // A token with only User.Read cannot touch applications.
    let pkce = pkce();
    let mut req = AuthRequest::new(&pkce);
    req.scope = "openid profile User.Read";
    let browser = Browser::new(&sim);
    let code = authorize(&browser, &req, users::GLOBAL_ADMIN_UPN, false).await["code"].clone();
    let (_, tokens) = redeem_as_spa(&sim, &code, &pkce).await;
    let narrow = tokens["access_token"].as_str().unwrap();
    let r = post(&sim, "/applications", narrow, json!({"displayName": "x"})).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(r.code(), "Authorization_RequestDenied");

    // An ordinary user holds the scopes (after org-wide consent) but not the role.
    sign_in(&sim, users::GLOBAL_ADMIN_UPN, true).await;
    let ordinary = access_token(&sim, users::ORDINARY_USER_UPN).await;
    let admin = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let client = app_with_sp(&sim, &admin, json!({"displayName": "Needs consent"}))
        .await
        .sp_id;
    let graph_sp = sp_id(&sim, &admin, resources::MICROSOFT_GRAPH).await;
    let grant = post(
        &sim,
        "/oauth2PermissionGrants",
        &ordinary,
        json!({"clientId": client, "consentType": "AllPrincipals", "resourceId": graph_sp, "scope": "User.Read"}),
    )
    .await;
    assert_eq!(grant.status, StatusCode::FORBIDDEN);

    // An expired access token (sim clock) is refused like a real one.
    advance_clock_secs(&sim, 3600).await;
    let expired = get(&sim, "/me", &admin).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert!(expired.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("expired"));
}

#[tokio::test]
async fn a_grant_for_defender_works_once_its_service_principal_exists() {
    let sim = start().await;
    let token = access_token_in(
        &sim,
        entra_sim::NO_DEFENDER_TENANT_ID,
        users::NO_DEFENDER_GLOBAL_ADMIN_UPN,
    )
    .await;
    let client = app_with_sp(&sim, &token, json!({"displayName": "Kindo Defender"}))
        .await
        .sp_id;
    let defender = post(
        &sim,
        "/servicePrincipals",
        &token,
        json!({"appId": resources::WINDOWS_DEFENDER_ATP}),
    )
    .await;
    let defender_sp = defender.body["id"].as_str().unwrap();
    let grant = post(
        &sim,
        "/oauth2PermissionGrants",
        &token,
        json!({"clientId": client, "consentType": "AllPrincipals", "resourceId": defender_sp, "scope": "Machine.Read Alert.Read"}),
    )
    .await;
    assert_eq!(grant.status, StatusCode::CREATED, "{}", grant.body);
}

/// Admin consent through the hand-off link, as a Global Administrator would open it.
#[tokio::test]
async fn admin_consent_link_grants_delegated_scopes_and_app_roles() {
    let sim = start().await;
    let admin = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let NewApp {
        app_id,
        sp_id: client,
        ..
    } = app_with_sp(
        &sim,
        &admin,
        json!({
            "displayName": "Novus CalendarSync",
            "web": {"redirectUris": ["https://novus.example.com/consented"]},
            "requiredResourceAccess": [{
                "resourceAppId": resources::MICROSOFT_GRAPH,
                "resourceAccess": [
                    {"id": "e1fe6dd8-ba31-4d61-89e7-88639da4683d", "type": "Scope"},
                    {"id": GRAPH_USER_READ_ALL_ROLE, "type": "Role"},
                    {"id": "ef54d2bf-783f-4e0f-bca1-3210c0444d99", "type": "Role"}
                ]
            }]
        }),
    )
    .await;
    let link = format!(
        "{}/{DEMO_TENANT_ID}/v2.0/adminconsent?client_id={app_id}&scope={}&redirect_uri={}&state=xyz",
        sim.base,
        enc("https://graph.microsoft.com/.default"),
        enc("https://novus.example.com/consented")
    );

    // A Cloud Application Administrator cannot grant Graph app roles.
    let browser = Browser::new(&sim);
    let picker = browser.get(&link).await.html();
    let page = browser
        .pick(&picker, users::CLOUD_APP_ADMIN_UPN)
        .await
        .html();
    assert!(page.contains("AADSTS90094"));

    let browser = Browser::new(&sim);
    let picker = browser.get(&link).await.html();
    let consent = browser.pick(&picker, users::GLOBAL_ADMIN_UPN).await.html();
    assert!(consent.contains("User.Read.All, application"));
    let done = query_params(&browser.consent(&consent, "accept", false).await.location());
    assert_eq!(done["admin_consent"], "True");
    assert_eq!(done["tenant"], DEMO_TENANT_ID);
    assert_eq!(done["state"], "xyz");

    let assignments = get(
        &sim,
        &format!("/servicePrincipals/{client}/appRoleAssignments"),
        &admin,
    )
    .await;
    assert_eq!(assignments.body["value"].as_array().unwrap().len(), 2);
    let state = tenant_state(&sim, DEMO_TENANT_ID).await;
    let grants = state["oauth2PermissionGrants"].as_array().unwrap();
    assert!(grants.iter().any(|g| g["clientId"] == client.as_str()
        && g["consentType"] == "AllPrincipals"
        && g["scope"] == "User.Read"));
    let records = state["consentRecords"].as_array().unwrap();
    assert!(records
        .iter()
        .any(|r| r["kind"] == "admin_consent_endpoint" && r["client_app_id"] == app_id.as_str()));
}

#[tokio::test]
async fn admin_consent_in_the_no_defender_tenant_reports_the_missing_service() {
    let sim = start().await;
    // The app lives in Contoso and is multi-tenant; it asks for a Defender permission.
    let admin = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let NewApp { app_id, .. } = app_with_sp(
        &sim,
        &admin,
        json!({
            "displayName": "Kindo Defender",
            "signInAudience": "AzureADMultipleOrgs",
            "web": {"redirectUris": ["https://kindo.example.com/oauth/callback"]},
            "requiredResourceAccess": [{
                "resourceAppId": resources::WINDOWS_DEFENDER_ATP,
                "resourceAccess": [{"id": "fbd3d33a-b1f5-4573-906c-51b39682fbcf", "type": "Scope"}]
            }]
        }),
    )
    .await;
    let link = format!(
        "{}/{}/adminconsent?client_id={app_id}&redirect_uri={}",
        sim.base,
        entra_sim::NO_DEFENDER_TENANT_ID,
        enc("https://kindo.example.com/oauth/callback")
    );
    let browser = Browser::new(&sim);
    let picker = browser.get(&link).await.html();
    let p = query_params(
        &browser
            .pick(&picker, users::NO_DEFENDER_GLOBAL_ADMIN_UPN)
            .await
            .location(),
    );
    assert!(p["error_description"].starts_with("AADSTS650052"), "{p:?}");
    assert_eq!(p["admin_consent"], "True");
}
