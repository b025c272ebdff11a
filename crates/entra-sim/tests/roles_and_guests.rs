//! Roles held through role-assignable groups, PIM-eligible roles that grant nothing, and
//! the MSP guest who signs in to a second tenant through its tenant-specific authority.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use entra_sim::client::{Browser as PageClient, Ending};
use entra_sim::{groups, resources, roles, NO_DEFENDER_TENANT_ID};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

fn ids_of(reply: &GraphReply, field: &str) -> Vec<String> {
    reply.body["value"]
        .as_array()
        .unwrap_or_else(|| panic!("{}", reply.body))
        .iter()
        .map(|v| v[field].as_str().unwrap_or("").to_owned())
        .collect()
}

/// A delegated token for a user without admin rights, once the organization consented.
async fn token_after_org_consent(sim: &Sim, upn: &str) -> String {
    sign_in(sim, users::GLOBAL_ADMIN_UPN, true).await;
    access_token(sim, upn).await
}

#[tokio::test]
async fn a_global_administrator_through_a_group_is_one_transitively_not_directly() {
    let sim = start().await;
    let alex = token_after_org_consent(&sim, users::GROUP_GLOBAL_ADMIN_UPN).await;

    let direct = get(&sim, "/me/memberOf", &alex).await;
    assert_eq!(direct.status, StatusCode::OK);
    assert_eq!(ids_of(&direct, "id"), vec![groups::TENANT_ADMINS_ID]);
    assert_eq!(
        direct.body["value"][0]["@odata.type"],
        "#microsoft.graph.group"
    );
    let direct_roles = get(&sim, "/me/memberOf/microsoft.graph.directoryRole", &alex).await;
    assert_eq!(direct_roles.body["value"], json!([]));

    let roles_path =
        "/me/transitiveMemberOf/microsoft.graph.directoryRole?$select=id,displayName,roleTemplateId";
    let transitive = get(&sim, roles_path, &alex).await;
    assert_eq!(transitive.status, StatusCode::OK, "{}", transitive.body);
    assert_eq!(
        ids_of(&transitive, "roleTemplateId"),
        vec![roles::GLOBAL_ADMINISTRATOR]
    );
    assert_eq!(
        transitive.body["value"][0]["displayName"],
        "Global Administrator"
    );
    let everything = get(&sim, "/me/transitiveMemberOf", &alex).await;
    let types: Vec<&str> = everything.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["@odata.type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["#microsoft.graph.group", "#microsoft.graph.directoryRole"]
    );
    let only_groups = get(&sim, "/me/transitiveMemberOf/microsoft.graph.group", &alex).await;
    assert_eq!(ids_of(&only_groups, "id"), vec![groups::TENANT_ADMINS_ID]);

    // The group-held role authorizes: a Microsoft Graph app role needs Global or
    // Privileged Role Administrator.
    let client = app_with_sp(&sim, &alex, json!({"displayName": "Alex's app"})).await;
    let graph_sp = sp_id(&sim, &alex, resources::MICROSOFT_GRAPH).await;
    let assigned = post(
        &sim,
        &format!("/servicePrincipals/{graph_sp}/appRoleAssignedTo"),
        &alex,
        json!({"principalId": client.sp_id, "resourceId": graph_sp,
               "appRoleId": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30"}),
    )
    .await;
    assert_eq!(assigned.status, StatusCode::CREATED, "{}", assigned.body);

    // A directly held role shows the same way in both.
    let adele = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let direct = get(&sim, "/me/memberOf/microsoft.graph.directoryRole", &adele).await;
    let transitive = get(&sim, roles_path, &adele).await;
    assert_eq!(
        ids_of(&direct, "roleTemplateId"),
        ids_of(&transitive, "roleTemplateId")
    );
}

#[tokio::test]
async fn an_eligible_role_is_listed_by_pim_and_grants_nothing() {
    let sim = start().await;
    let patti = token_after_org_consent(&sim, users::ELIGIBLE_ADMIN_UPN).await;
    let path = "/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='principal')";
    let eligible = get(&sim, path, &patti).await;
    assert_eq!(eligible.status, StatusCode::OK, "{}", eligible.body);
    let items = eligible.body["value"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    let item = &items[0];
    assert_eq!(
        item["@odata.type"],
        "#microsoft.graph.unifiedRoleEligibilityScheduleInstance"
    );
    assert_eq!(item["principalId"], users::ELIGIBLE_ADMIN_ID);
    assert_eq!(
        item["roleDefinitionId"],
        roles::PRIVILEGED_ROLE_ADMINISTRATOR
    );
    assert_eq!(item["directoryScopeId"], "/");
    assert_eq!(item["memberType"], "Direct");
    assert!(item["id"].is_string() && item["startDateTime"].is_string());
    assert!(eligible.body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("$metadata#Collection(unifiedRoleEligibilityScheduleInstance)"));

    // Not active: no role in memberOf or transitiveMemberOf, and no grant or assignment.
    for roles_path in [
        "/me/memberOf/microsoft.graph.directoryRole",
        "/me/transitiveMemberOf/microsoft.graph.directoryRole",
    ] {
        assert_eq!(get(&sim, roles_path, &patti).await.body["value"], json!([]));
    }
    let graph_sp = sp_id(&sim, &patti, resources::MICROSOFT_GRAPH).await;
    let grant = post(
        &sim,
        "/oauth2PermissionGrants",
        &patti,
        json!({"clientId": entra_sim::ASSISTANT_SERVICE_PRINCIPAL_ID, "consentType": "AllPrincipals",
               "resourceId": graph_sp, "scope": "User.Read"}),
    )
    .await;
    assert_eq!(
        (grant.status, grant.code()),
        (StatusCode::FORBIDDEN, "Authorization_RequestDenied")
    );

    // Someone with no eligibility gets an empty list; the call needs a role-management scope.
    let adele = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    assert_eq!(get(&sim, path, &adele).await.body["value"], json!([]));
    let bad = get(
        &sim,
        "/roleManagement/directory/roleEligibilityScheduleInstances/filterByCurrentUser(on='directoryScope')",
        &adele,
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_guest_signs_in_to_the_second_tenant_through_its_authority_and_home_otherwise() {
    let sim = start().await;

    // Through Fabrikam's authority: Fabrikam's tokens, the guest object, her home account
    // as the sign-in name. She is Cloud Application Administrator there, so she consents
    // for the organization herself.
    let fabrikam = sign_in_to(&sim, NO_DEFENDER_TENANT_ID, users::GUEST_UPN, true).await;
    let id = claims(fabrikam["id_token"].as_str().unwrap());
    assert_eq!(id["tid"], NO_DEFENDER_TENANT_ID);
    assert_eq!(id["oid"], users::GUEST_IN_FABRIKAM_ID);
    assert_eq!(id["preferred_username"], users::GUEST_UPN);
    let token = fabrikam["access_token"].as_str().unwrap();
    let access = claims(token);
    assert_eq!(access["tid"], NO_DEFENDER_TENANT_ID);
    assert_eq!(access["oid"], users::GUEST_IN_FABRIKAM_ID);
    let me = get(&sim, "/me", token).await;
    assert_eq!(me.body["userPrincipalName"], users::GUEST_IN_FABRIKAM_UPN);
    assert_eq!(me.body["mail"], users::GUEST_UPN);
    let roles = get(
        &sim,
        "/me/transitiveMemberOf/microsoft.graph.directoryRole",
        token,
    )
    .await;
    assert_eq!(
        ids_of(&roles, "roleTemplateId"),
        vec![roles::CLOUD_APPLICATION_ADMINISTRATOR]
    );
    // What she creates lands in Fabrikam.
    let app = post(
        &sim,
        "/applications",
        token,
        json!({"displayName": "MSP app"}),
    )
    .await;
    assert_eq!(app.status, StatusCode::CREATED);
    let in_tenant = |state: &Value| {
        state["applications"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["displayName"] == "MSP app")
    };
    assert!(in_tenant(&tenant_state(&sim, NO_DEFENDER_TENANT_ID).await));
    assert!(!in_tenant(&tenant_state(&sim, DEMO_TENANT_ID).await));

    // Through `organizations` (or Contoso's authority) she is her home self, listed once.
    sign_in(&sim, users::GLOBAL_ADMIN_UPN, true).await;
    let pkce = pkce();
    let mut req = AuthRequest::new(&pkce);
    req.tenant = "organizations";
    let browser = Browser::new(&sim);
    let picker = browser.get(&req.url(&sim.base)).await.html();
    assert_eq!(
        picker
            .matches(&format!("data-user=\"{}\"", users::GUEST_UPN))
            .count(),
        1
    );
    let params = authorize(&browser, &req, users::GUEST_UPN, false).await;
    let (status, home) = redeem(
        &sim,
        "organizations",
        &params["code"],
        &pkce.verifier,
        Some(APP_ORIGIN),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{home}");
    let id = claims(home["id_token"].as_str().unwrap());
    assert_eq!(id["tid"], DEMO_TENANT_ID);
    assert_eq!(id["oid"], users::GUEST_HOME_ID);
}

#[tokio::test]
async fn the_client_helper_signs_every_new_user_in() {
    let sim = start().await;
    sign_in(&sim, users::GLOBAL_ADMIN_UPN, true).await;
    let browser = PageClient::new(sim.http.clone(), &sim.base);
    for (tenant, upn) in [
        (DEMO_TENANT_ID, users::GROUP_GLOBAL_ADMIN_UPN),
        (DEMO_TENANT_ID, users::ELIGIBLE_ADMIN_UPN),
        (DEMO_TENANT_ID, users::GUEST_UPN),
        (entra_sim::NO_DEFENDER_TENANT_DOMAIN, users::GUEST_UPN),
    ] {
        let pkce = pkce();
        let mut req = AuthRequest::new(&pkce);
        req.tenant = tenant;
        match browser.sign_in(&req.url(&sim.base), upn, true).await {
            Ok(Ending::Redirect(to)) => {
                assert!(query_params(&to).contains_key("code"), "{upn}: {to}")
            }
            other => panic!("{upn} at {tenant}: {other:?}"),
        }
    }
    // A guest cannot sign in to her resource tenant without naming it.
    let pkce = pkce();
    let mut req = AuthRequest::new(&pkce);
    req.tenant = "organizations";
    let picker = Browser::new(&sim).get(&req.url(&sim.base)).await.html();
    assert!(!picker.contains(users::GUEST_IN_FABRIKAM_UPN));
}
