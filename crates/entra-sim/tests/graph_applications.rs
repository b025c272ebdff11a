//! Applications, secrets and service principals through Graph, and proving a secret
//! with the client-credentials flow.

mod common;

use common::*;
use entra_sim::resources;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const USER_READ_ALL_ROLE: &str = "df021288-bdef-4463-88db-98f22de89214";
const CALENDARS_READ_WRITE_ROLE: &str = "ef54d2bf-783f-4e0f-bca1-3210c0444d99";
const USER_READ_SCOPE: &str = "e1fe6dd8-ba31-4d61-89e7-88639da4683d";

fn kinde_app() -> Value {
    json!({
        "displayName": "Kinde Calendar",
        "signInAudience": "AzureADMultipleOrgs",
        "web": { "redirectUris": ["https://contoso.kinde.com/connected_apps/callback"] },
        "requiredResourceAccess": [{
            "resourceAppId": resources::MICROSOFT_GRAPH,
            "resourceAccess": [
                { "id": USER_READ_SCOPE, "type": "Scope" },
                { "id": CALENDARS_READ_WRITE_ROLE, "type": "Role" }
            ]
        }],
        "tags": ["entra-setup-assistant", "kinde"],
        "notes": "Created by the assistant"
    })
}

#[tokio::test]
async fn create_read_filter_select_and_delete_an_application() {
    let sim = start().await;
    let token = access_token(&sim, users::CLOUD_APP_ADMIN_UPN).await;
    let created = post(&sim, "/applications", &token, kinde_app()).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let app_id = created.body["appId"].as_str().unwrap().to_owned();
    let id = created.body["id"].as_str().unwrap().to_owned();
    assert_eq!(created.body["passwordCredentials"], json!([]));
    assert_eq!(
        created.body["publisherDomain"],
        entra_sim::DEMO_TENANT_DOMAIN
    );
    assert!(created.headers.contains_key("request-id"));

    let by_app_id = get(&sim, &format!("/applications(appId='{app_id}')"), &token).await;
    assert_eq!(by_app_id.body["id"], id);
    let by_id = get(
        &sim,
        &format!("/applications/{id}?$select=id,displayName"),
        &token,
    )
    .await;
    assert_eq!(by_id.body.as_object().unwrap().len(), 3, "{}", by_id.body);
    assert!(by_id.body["@odata.context"]
        .as_str()
        .unwrap()
        .contains("applications(id,displayName)"));

    for filter in [
        format!("appId eq '{app_id}'"),
        "displayName eq 'Kinde Calendar'".to_owned(),
        "tags/any(t:t eq 'entra-setup-assistant')".to_owned(),
        "startswith(displayName,'kinde')".to_owned(),
    ] {
        let list = get(
            &sim,
            &format!("/applications?$filter={}", enc(&filter)),
            &token,
        )
        .await;
        assert_eq!(list.status, StatusCode::OK, "{filter}: {}", list.body);
        let values = list.body["value"].as_array().unwrap();
        assert_eq!(values.len(), 1, "{filter}");
        assert_eq!(values[0]["appId"], app_id.as_str());
    }
    let none = get(
        &sim,
        &format!("/applications?$filter={}", enc("displayName eq 'nope'")),
        &token,
    )
    .await;
    assert_eq!(none.body["value"], json!([]));
    let unsupported = get(
        &sim,
        &format!("/applications?$filter={}", enc("notes eq 'x'")),
        &token,
    )
    .await;
    assert_eq!(unsupported.status, StatusCode::BAD_REQUEST);
    assert_eq!(unsupported.code(), "Request_UnsupportedQuery");

    let deleted = graph(
        &sim,
        Method::DELETE,
        &format!("/applications/{id}"),
        Some(&token),
        None,
    )
    .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    let gone = get(&sim, &format!("/applications/{id}"), &token).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.code(), "Request_ResourceNotFound");
    assert!(gone.body["error"]["innerError"]["request-id"].is_string());
    assert!(gone.body["error"]["innerError"]["date"].is_string());
    assert_eq!(
        gone.body["error"]["innerError"]["request-id"],
        gone.headers["request-id"].to_str().unwrap()
    );
}

#[tokio::test]
async fn upsert_by_unique_name_creates_then_updates() {
    let sim = start().await;
    let token = access_token(&sim, users::CLOUD_APP_ADMIN_UPN).await;
    let path = "/applications(uniqueName='kinde-calendar')";
    let missing = graph(&sim, Method::PATCH, path, Some(&token), Some(kinde_app())).await;
    assert_eq!(
        missing.status,
        StatusCode::NOT_FOUND,
        "without Prefer it is a plain update"
    );

    let prefer = [("Prefer", "create-if-missing")];
    let created = graph_with(
        &sim,
        Method::PATCH,
        path,
        Some(&token),
        Some(kinde_app()),
        &prefer,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    assert_eq!(created.body["uniqueName"], "kinde-calendar");

    let updated = graph_with(
        &sim,
        Method::PATCH,
        path,
        Some(&token),
        Some(json!({"displayName": "Kinde Calendar v2"})),
        &prefer,
    )
    .await;
    assert_eq!(updated.status, StatusCode::NO_CONTENT);
    assert_eq!(updated.body, Value::Null);
    let read = get(&sim, path, &token).await;
    assert_eq!(read.body["displayName"], "Kinde Calendar v2");
    assert_eq!(
        read.body["web"]["redirectUris"][0],
        "https://contoso.kinde.com/connected_apps/callback"
    );
}

#[tokio::test]
async fn validation_refuses_unknown_properties_bad_redirect_uris_and_unknown_permissions() {
    let sim = start().await;
    let token = access_token(&sim, users::CLOUD_APP_ADMIN_UPN).await;
    let cases = [
        (json!({"displayName": "x", "colour": "blue"}), "'colour'"),
        (json!({"notes": "no display name"}), "displayName"),
        (
            json!({"displayName": "x", "web": {"redirectUris": ["http://vendor.example.com/cb"]}}),
            "web.redirectUris",
        ),
        (
            json!({"displayName": "x", "spa": {"redirectUris": ["https://*.example.com/"]}}),
            "spa.redirectUris",
        ),
        (
            json!({"displayName": "x", "passwordCredentials": [{"displayName": "s"}]}),
            "addPassword",
        ),
        (
            json!({"displayName": "x", "requiredResourceAccess": [{"resourceAppId": resources::MICROSOFT_GRAPH,
                "resourceAccess": [{"id": USER_READ_SCOPE, "type": "Role"}]}]}),
            "requiredResourceAccess",
        ),
    ];
    for (body, needle) in cases {
        let r = post(&sim, "/applications", &token, body.clone()).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(r.code(), "Request_BadRequest", "{body}");
        assert!(r.body.to_string().contains(needle), "{body} -> {}", r.body);
    }
}

#[tokio::test]
async fn a_secret_added_through_graph_is_proven_by_client_credentials_and_its_id_is_not() {
    let sim = start().await;
    let token = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let NewApp { id, app_id, .. } =
        app_with_sp(&sim, &token, json!({"displayName": "Fabric reader"})).await;
    let added = post(
        &sim,
        &format!("/applications/{id}/addPassword"),
        &token,
        json!({"passwordCredential": {"displayName": "assistant"}}),
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    let secret = added.body["secretText"].as_str().unwrap().to_owned();
    let key_id = added.body["keyId"].as_str().unwrap().to_owned();
    assert_eq!(added.body["hint"], &secret[..3]);

    // The directory keeps metadata, never the value.
    let app = get(&sim, &format!("/applications/{id}"), &token).await;
    assert_eq!(app.body["passwordCredentials"][0]["keyId"], key_id.as_str());
    assert_eq!(
        app.body["passwordCredentials"][0]["secretText"],
        Value::Null
    );
    let state = control(&sim, Method::GET, "/state", None).await.to_string();
    assert!(!state.contains(&secret));

    let (status, tokens) = client_credentials(&sim, DEMO_TENANT_ID, &app_id, &secret, None).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens.get("refresh_token").is_none());

    let (status, err) = client_credentials(&sim, DEMO_TENANT_ID, &app_id, &key_id, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(err["error"], "invalid_client");
    assert_eq!(err["error_codes"], json!([7000215]));
    assert!(err["error_description"]
        .as_str()
        .unwrap()
        .contains("not the client secret ID"));

    let (status, err) =
        client_credentials(&sim, DEMO_TENANT_ID, &app_id, &secret, Some(APP_ORIGIN)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error_codes"], json!([9002326]));

    let removed = post(
        &sim,
        &format!("/applications/{id}/removePassword"),
        &token,
        json!({"keyId": key_id}),
    )
    .await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let (status, _) = client_credentials(&sim, DEMO_TENANT_ID, &app_id, &secret, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn app_only_tokens_carry_the_assigned_app_roles() {
    let sim = start().await;
    let token = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let NewApp { id, app_id, .. } =
        app_with_sp(&sim, &token, json!({"displayName": "Directory reader"})).await;
    let client_sp = sp_id(&sim, &token, &app_id).await;
    let graph_sp = sp_id(&sim, &token, resources::MICROSOFT_GRAPH).await;
    let assigned = post(
        &sim,
        &format!("/servicePrincipals/{graph_sp}/appRoleAssignedTo"),
        &token,
        json!({"principalId": client_sp, "resourceId": graph_sp, "appRoleId": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30"}),
    )
    .await;
    assert_eq!(assigned.status, StatusCode::CREATED, "{}", assigned.body);
    let secret = graph(
        &sim,
        Method::POST,
        &format!("/applications/{id}/addPassword"),
        Some(&token),
        None,
    )
    .await
    .body["secretText"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, tokens) = client_credentials(&sim, DEMO_TENANT_ID, &app_id, &secret, None).await;
    let app_token = tokens["access_token"].as_str().unwrap();
    let list = get(&sim, "/applications?$select=appId", app_token).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    let me = get(&sim, "/me", app_token).await;
    assert_eq!(me.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_secret_policy_tenant_caps_secret_lifetime() {
    let sim = start().await;
    let token = access_token_in(
        &sim,
        entra_sim::SECRET_POLICY_TENANT_ID,
        users::SECRET_POLICY_GLOBAL_ADMIN_UPN,
    )
    .await;
    let created = post(
        &sim,
        "/applications",
        &token,
        json!({"displayName": "Capped"}),
    )
    .await;
    let id = created.body["id"].as_str().unwrap();

    let default_lifetime = post(
        &sim,
        &format!("/applications/{id}/addPassword"),
        &token,
        json!({}),
    )
    .await;
    assert_eq!(default_lifetime.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        default_lifetime.code(),
        "CredentialInvalidLifetimeAsPerAppPolicy"
    );
    assert!(default_lifetime.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains(entra_sim::SECRET_POLICY_ID));
    assert_eq!(
        default_lifetime.body["error"]["details"][0]["code"],
        "InvalidKeyEndDate"
    );

    let now = chrono::Utc::now();
    let end = (now + chrono::Duration::days(90)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let short = post(
        &sim,
        &format!("/applications/{id}/addPassword"),
        &token,
        json!({"passwordCredential": {"displayName": "90 days", "endDateTime": end}}),
    )
    .await;
    assert_eq!(short.status, StatusCode::OK, "{}", short.body);

    // The demo tenant has no policy: the 2-year default is accepted there.
    let demo = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let app = post(
        &sim,
        "/applications",
        &demo,
        json!({"displayName": "Uncapped"}),
    )
    .await;
    let r = graph(
        &sim,
        Method::POST,
        &format!(
            "/applications/{}/addPassword",
            app.body["id"].as_str().unwrap()
        ),
        Some(&demo),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn service_principals_by_app_id_upsert_and_conflicts() {
    let sim = start().await;
    let token = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let graph_sp = get(
        &sim,
        &format!("/servicePrincipals(appId='{}')", resources::MICROSOFT_GRAPH),
        &token,
    )
    .await;
    assert_eq!(graph_sp.body["displayName"], "Microsoft Graph");
    let roles = graph_sp.body["appRoles"].as_array().unwrap();
    assert!(roles
        .iter()
        .any(|r| r["value"] == "User.Read.All" && r["id"] == USER_READ_ALL_ROLE));

    let filtered = get(
        &sim,
        &format!(
            "/servicePrincipals?$filter={}&$select=id,appId",
            enc(&format!("appId eq '{}'", resources::WINDOWS_DEFENDER_ATP))
        ),
        &token,
    )
    .await;
    assert_eq!(filtered.body["value"].as_array().unwrap().len(), 1);

    let app = post(
        &sim,
        "/applications",
        &token,
        json!({"displayName": "Upserted"}),
    )
    .await;
    let app_id = app.body["appId"].as_str().unwrap();
    let path = format!("/servicePrincipals(appId='{app_id}')");
    let prefer = [("Prefer", "create-if-missing")];
    let created = graph_with(
        &sim,
        Method::PATCH,
        &path,
        Some(&token),
        Some(json!({"tags": ["x"]})),
        &prefer,
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let again = graph_with(
        &sim,
        Method::PATCH,
        &path,
        Some(&token),
        Some(json!({"tags": ["y"]})),
        &prefer,
    )
    .await;
    assert_eq!(again.status, StatusCode::NO_CONTENT);
    let duplicate = post(&sim, "/servicePrincipals", &token, json!({"appId": app_id})).await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);

    let orphan = post(
        &sim,
        "/servicePrincipals",
        &token,
        json!({"appId": "0b0b0b0b-0000-4000-8000-000000000000"}),
    )
    .await;
    assert_eq!(orphan.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        orphan.body["error"]["details"][0]["code"],
        "NoBackingApplicationObject"
    );
}

#[tokio::test]
async fn a_missing_first_party_service_principal_can_be_created() {
    let sim = start().await;
    let token = access_token_in(
        &sim,
        entra_sim::NO_DEFENDER_TENANT_ID,
        users::NO_DEFENDER_GLOBAL_ADMIN_UPN,
    )
    .await;
    let path = format!(
        "/servicePrincipals(appId='{}')",
        resources::WINDOWS_DEFENDER_ATP
    );
    let missing = get(&sim, &path, &token).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.code(), "Request_ResourceNotFound");
    let created = post(
        &sim,
        "/servicePrincipals",
        &token,
        json!({"appId": resources::WINDOWS_DEFENDER_ATP}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let scopes = created.body["oauth2PermissionScopes"].as_array().unwrap();
    assert!(
        scopes
            .iter()
            .any(|s| s["value"] == "Machine.Read"
                && s["id"] == "fbd3d33a-b1f5-4573-906c-51b39682fbcf")
    );
    assert_eq!(get_status(&sim, &path, &token).await, StatusCode::OK);
}

#[tokio::test]
async fn me_member_of_lists_directory_roles_with_template_ids() {
    let sim = start().await;
    let token = access_token(&sim, users::PRIVILEGED_ROLE_ADMIN_UPN).await;
    let r = get(
        &sim,
        "/me/memberOf/microsoft.graph.directoryRole?$select=displayName,roleTemplateId",
        &token,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["value"][0]["roleTemplateId"],
        entra_sim::roles::PRIVILEGED_ROLE_ADMINISTRATOR
    );
    assert_eq!(
        r.body["value"][0]["displayName"],
        "Privileged Role Administrator"
    );
    assert_eq!(
        r.body["value"][0]["@odata.type"],
        "#microsoft.graph.directoryRole"
    );

    let ordinary = get(
        &sim,
        "/me/memberOf",
        &access_token_after_org_consent(&sim).await,
    )
    .await;
    assert_eq!(ordinary.body["value"], json!([]));
}

async fn access_token_after_org_consent(sim: &Sim) -> String {
    sign_in(sim, users::GLOBAL_ADMIN_UPN, true).await;
    access_token(sim, users::ORDINARY_USER_UPN).await
}

#[tokio::test]
async fn organization_and_unknown_segments() {
    let sim = start().await;
    let token = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let org = get(&sim, "/organization", &token).await;
    assert_eq!(org.body["value"][0]["displayName"], "Contoso (demo)");
    assert_eq!(
        org.body["value"][0]["verifiedDomains"][0]["name"],
        entra_sim::DEMO_TENANT_DOMAIN
    );
    let nope = get(&sim, "/widgets", &token).await;
    assert_eq!(nope.status, StatusCode::BAD_REQUEST);
    assert!(nope.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("widgets"));
}
