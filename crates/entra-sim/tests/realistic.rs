//! The realistic profile and its knobs: per-object seeded replication delays, every
//! "not replicated yet" form, small pages with `@odata.nextLink` (also inside `$batch`),
//! the upsert `displayName` rule and AADSTS500113 for v1 admin consent without a reply URL.
//! Time moves only through `/_sim/clock`.

mod common;

use common::*;
use entra_sim::client::{Browser as PageClient, Ending};
use entra_sim::{resources, Profile, SimConfig};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn freeze(sim: &Sim) {
    control(sim, Method::POST, "/clock", Some(json!({"freeze": true}))).await;
}

#[tokio::test]
async fn the_realistic_profile_turns_every_knob_on_and_names_its_seed() {
    let sim = start_with(SimConfig {
        random_seed: Some(7),
        ..SimConfig::realistic()
    })
    .await;
    let info = control(&sim, Method::GET, "/info", None).await;
    assert_eq!(info["profile"], "realistic");
    assert_eq!(info["random_seed"], 7);
    let knobs = control(&sim, Method::GET, "/knobs", None).await;
    assert_eq!(knobs["page_size"], 2);
    assert_eq!(knobs["replication_delay_range_ms"], json!([300, 3000]));
    assert_eq!(knobs["replication_bad_requests"], true);
    assert_eq!(knobs["upsert_requires_display_name"], true);
    assert_eq!(knobs["admin_consent_requires_reply_url"], true);
    assert_eq!(knobs["expose_retry_after"], false);
    // A reset keeps the profile.
    control(&sim, Method::POST, "/reset", None).await;
    let knobs = control(&sim, Method::GET, "/knobs", None).await;
    assert_eq!(knobs["page_size"], 2);

    let gentle = start().await;
    let info = control(&gentle, Method::GET, "/info", None).await;
    assert_eq!(info["profile"], "gentle");
    let knobs = control(&gentle, Method::GET, "/knobs", None).await;
    assert_eq!(knobs["page_size"], Value::Null);
    assert_eq!(knobs["replication_delay_range_ms"], Value::Null);
    assert_eq!(Profile::parse("realistic"), Ok(Profile::Realistic));
}

/// Follows `@odata.nextLink` from `first` (a path under /v1.0); returns every item and the
/// number of pages, checking no page is larger than `max`.
async fn all_pages(sim: &Sim, token: &str, first: &str, max: usize) -> (Vec<Value>, usize) {
    let mut items = Vec::new();
    let mut pages = 0;
    let mut url = format!("{}/v1.0{first}", sim.base);
    loop {
        let r = sim.http.get(&url).bearer_auth(token).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{url}");
        let body: Value = r.json().await.unwrap();
        let page = body["value"].as_array().unwrap();
        assert!(page.len() <= max, "{url}: {} items", page.len());
        items.extend(page.iter().cloned());
        pages += 1;
        match body["@odata.nextLink"].as_str() {
            Some(next) => {
                assert!(next.starts_with(&sim.base), "absolute nextLink: {next}");
                assert!(next.contains("%24skiptoken=") || next.contains("$skiptoken="));
                url = next.to_owned();
            }
            None => return (items, pages),
        }
    }
}

#[tokio::test]
async fn every_collection_pages_by_page_size_and_top_still_works() {
    let sim = start().await;
    let admin = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let client = app_with_sp(&sim, &admin, json!({"displayName": "Paged client"})).await;
    let graph_sp = sp_id(&sim, &admin, resources::MICROSOFT_GRAPH).await;
    for (i, role) in [
        "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", // Application.Read.All
        "1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9", // Application.ReadWrite.All
        "06b708a9-e830-4db3-a914-8e69da51d44f", // AppRoleAssignment.ReadWrite.All
    ]
    .iter()
    .enumerate()
    {
        let r = post(
            &sim,
            &format!("/servicePrincipals/{graph_sp}/appRoleAssignedTo"),
            &admin,
            json!({"principalId": client.sp_id, "resourceId": graph_sp, "appRoleId": role}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{i}: {}", r.body);
    }
    for principal in [
        users::GLOBAL_ADMIN_ID,
        users::CLOUD_APP_ADMIN_ID,
        users::ORDINARY_USER_ID,
    ] {
        let r = post(
            &sim,
            "/oauth2PermissionGrants",
            &admin,
            json!({"clientId": client.sp_id, "consentType": "Principal",
                   "principalId": principal,
                   "resourceId": graph_sp, "scope": "User.Read"}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    }
    let alex = {
        sign_in(&sim, users::GLOBAL_ADMIN_UPN, true).await;
        access_token(&sim, users::GROUP_GLOBAL_ADMIN_UPN).await
    };
    let collections = [
        ("/applications".to_owned(), admin.clone()),
        ("/servicePrincipals".to_owned(), admin.clone()),
        (
            format!(
                "/oauth2PermissionGrants?$filter={}",
                enc(&format!("clientId eq '{}'", client.sp_id))
            ),
            admin.clone(),
        ),
        (
            format!("/servicePrincipals/{}/appRoleAssignments", client.sp_id),
            admin.clone(),
        ),
        ("/me/transitiveMemberOf".to_owned(), alex.clone()),
        ("/me/memberOf".to_owned(), alex.clone()),
    ];
    let mut whole = Vec::new();
    for (path, token) in &collections {
        let (items, pages) = all_pages(&sim, token, path, usize::MAX).await;
        assert_eq!(pages, 1, "{path} is one page without page_size");
        whole.push(items);
    }
    set_knobs(&sim, json!({"page_size": 2})).await;
    for ((path, token), expected) in collections.iter().zip(&whole) {
        let (items, pages) = all_pages(&sim, token, path, 2).await;
        assert_eq!(&items, expected, "{path}");
        assert_eq!(pages, expected.len().div_ceil(2).max(1), "{path}");
    }
    // $top below the page size sets the page; above it, the page size wins.
    let (items, pages) = all_pages(&sim, &admin, "/servicePrincipals?$top=1", 1).await;
    assert_eq!((items.len(), pages), (whole[1].len(), whole[1].len()));
    let (_, pages) = all_pages(&sim, &admin, "/servicePrincipals?$top=50", 2).await;
    assert_eq!(pages, whole[1].len().div_ceil(2));

    // Inside $batch: the item pages too, and its nextLink is absolute.
    let batch =
        json!({"requests": [{"id": "1", "method": "GET", "url": "/servicePrincipals?$select=id"}]});
    let reply = post(&sim, "/$batch", &admin, batch).await;
    let item = &reply.body["responses"][0];
    assert_eq!(item["status"], 200);
    assert_eq!(item["body"]["value"].as_array().unwrap().len(), 2);
    let next = item["body"]["@odata.nextLink"].as_str().unwrap();
    let rest = next.strip_prefix(&format!("{}/v1.0", sim.base)).unwrap();
    let (items, _) = all_pages(&sim, &admin, rest, 2).await;
    assert_eq!(items.len() + 2, whole[1].len());
}

#[tokio::test]
async fn every_not_replicated_form_real_graph_shows() {
    let sim = start().await;
    let admin = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let graph_sp = sp_id(&sim, &admin, resources::MICROSOFT_GRAPH).await;
    set_knobs(
        &sim,
        json!({"replication_delay_range_ms": [5000, 5000], "replication_bad_requests": true}),
    )
    .await;
    freeze(&sim).await;
    let app = post(
        &sim,
        "/applications",
        &admin,
        json!({"displayName": "Replicating"}),
    )
    .await;
    assert_eq!(app.status, StatusCode::CREATED);
    let (id, app_id) = (
        app.body["id"].as_str().unwrap(),
        app.body["appId"].as_str().unwrap(),
    );
    // The application itself: 404 to GET and PATCH; the service principal: NoBacking.
    let read = get(&sim, &format!("/applications/{id}"), &admin).await;
    assert_eq!(
        (read.status, read.code()),
        (StatusCode::NOT_FOUND, "Request_ResourceNotFound")
    );
    let patch = graph(
        &sim,
        Method::PATCH,
        &format!("/applications/{id}"),
        Some(&admin),
        Some(json!({"notes": "x"})),
    )
    .await;
    assert_eq!(patch.status, StatusCode::NOT_FOUND);
    let sp = post(&sim, "/servicePrincipals", &admin, json!({"appId": app_id})).await;
    assert_eq!(sp.status, StatusCode::BAD_REQUEST);
    assert_eq!(sp.code(), "Request_BadRequest");
    assert_eq!(
        sp.body["error"]["details"][0]["code"],
        "NoBackingApplicationObject"
    );
    assert_eq!(
        sp.body["error"]["message"],
        format!("The appId '{app_id}' of the service principal does not reference a valid application object.")
    );

    advance_clock_ms(&sim, 5000).await;
    let sp = post(&sim, "/servicePrincipals", &admin, json!({"appId": app_id})).await;
    assert_eq!(sp.status, StatusCode::CREATED, "{}", sp.body);
    let sp_id = sp.body["id"].as_str().unwrap().to_owned();

    // A grant naming it as client or as resource: 400 with the resource message.
    let grant = |client: &str, resource: &str| json!({"clientId": client, "consentType": "AllPrincipals", "resourceId": resource, "scope": "User.Read"});
    let r = post(
        &sim,
        "/oauth2PermissionGrants",
        &admin,
        grant(&sp_id, &graph_sp),
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "Request_BadRequest")
    );
    assert_eq!(
        r.body["error"]["message"],
        format!("Resource '{sp_id}' does not exist or one of its queried reference-property objects are not present.")
    );
    let assistant_sp = entra_sim::ASSISTANT_SERVICE_PRINCIPAL_ID;
    let r = post(
        &sim,
        "/oauth2PermissionGrants",
        &admin,
        json!({"clientId": assistant_sp, "consentType": "AllPrincipals", "resourceId": sp_id, "scope": ""}),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert!(r.body["error"]["message"].as_str().unwrap().contains(
        "does not exist or one of its queried reference-property objects are not present"
    ));

    // An assignment naming it in the body: 400 "Not a valid reference update."; in the path: 404.
    let role = "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30";
    let assignment = json!({"principalId": sp_id, "resourceId": graph_sp, "appRoleId": role});
    let r = post(
        &sim,
        &format!("/servicePrincipals/{graph_sp}/appRoleAssignedTo"),
        &admin,
        assignment.clone(),
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::BAD_REQUEST, "Request_BadRequest")
    );
    assert_eq!(r.body["error"]["message"], "Not a valid reference update.");
    let r = post(
        &sim,
        &format!("/servicePrincipals/{sp_id}/appRoleAssignments"),
        &admin,
        assignment.clone(),
    )
    .await;
    assert_eq!(
        (r.status, r.code()),
        (StatusCode::NOT_FOUND, "Request_ResourceNotFound")
    );
    let r = post(
        &sim,
        &format!("/servicePrincipals/{sp_id}/appRoleAssignedTo"),
        &admin,
        json!({"principalId": assistant_sp, "resourceId": sp_id, "appRoleId": role}),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);

    // Once replicated, each succeeds.
    advance_clock_ms(&sim, 5000).await;
    let r = post(
        &sim,
        "/oauth2PermissionGrants",
        &admin,
        grant(&sp_id, &graph_sp),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let r = post(
        &sim,
        &format!("/servicePrincipals/{graph_sp}/appRoleAssignedTo"),
        &admin,
        assignment,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);

    // The gentle form of the same references is 404.
    set_knobs(&sim, json!({"replication_bad_requests": false})).await;
    let fresh = post(
        &sim,
        "/oauth2PermissionGrants",
        &admin,
        grant("00000000-0000-4000-8000-000000000001", &graph_sp),
    )
    .await;
    assert_eq!(fresh.status, StatusCode::NOT_FOUND);
}

/// Delays of the objects created by the same calls under `seed`.
async fn delays_with_seed(seed: u64) -> Vec<i64> {
    let sim = start_with(SimConfig {
        random_seed: Some(seed),
        ..SimConfig::realistic()
    })
    .await;
    let admin = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let mut delays = delays_of_new_apps(&sim, &admin, 4).await;
    // A reset replays the same draws.
    control(&sim, Method::POST, "/reset", None).await;
    let admin = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    assert_eq!(delays_of_new_apps(&sim, &admin, 4).await, delays);
    delays.sort();
    delays
}

async fn delays_of_new_apps(sim: &Sim, token: &str, n: usize) -> Vec<i64> {
    for i in 0..n {
        let r = post(
            sim,
            "/applications",
            token,
            json!({"displayName": format!("Seeded {i}")}),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED);
    }
    tenant_state(sim, DEMO_TENANT_ID).await["applications"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["_sim"]["replicationDelayMs"].as_i64())
        .collect()
}

#[tokio::test]
async fn per_object_delays_are_drawn_from_the_range_and_reproducible_by_seed() {
    let a = delays_with_seed(42).await;
    assert_eq!(a.len(), 4);
    assert!(a.iter().all(|d| (300..=3000).contains(d)), "{a:?}");
    assert!(a.windows(2).any(|w| w[0] != w[1]), "delays vary: {a:?}");
    assert_eq!(delays_with_seed(42).await, a);
    assert_ne!(delays_with_seed(43).await, a);
}

#[tokio::test]
async fn each_object_becomes_visible_after_its_own_delay() {
    let sim = start().await;
    let admin = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    set_knobs(&sim, json!({"replication_delay_range_ms": [300, 3000]})).await;
    freeze(&sim).await;
    let mut apps = Vec::new();
    for i in 0..5 {
        let r = post(
            &sim,
            "/applications",
            &admin,
            json!({"displayName": format!("Own delay {i}")}),
        )
        .await;
        apps.push(r.body["id"].as_str().unwrap().to_owned());
    }
    let state = tenant_state(&sim, DEMO_TENANT_ID).await;
    let delay_of = |id: &str| -> i64 {
        state["applications"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap()["_sim"]["replicationDelayMs"]
            .as_i64()
            .unwrap()
    };
    let mut elapsed = 0;
    let mut order: Vec<(i64, &String)> = apps.iter().map(|id| (delay_of(id), id)).collect();
    order.sort();
    for (delay, id) in order {
        let step = (delay - 1 - elapsed).max(0);
        advance_clock_ms(&sim, step as u64).await;
        elapsed += step;
        if delay - 1 == elapsed {
            assert_eq!(
                get_status(&sim, &format!("/applications/{id}"), &admin).await,
                StatusCode::NOT_FOUND
            );
        }
        advance_clock_ms(&sim, (delay - elapsed) as u64).await;
        elapsed = delay;
        assert_eq!(
            get_status(&sim, &format!("/applications/{id}"), &admin).await,
            StatusCode::OK
        );
    }
}

#[tokio::test]
async fn upserts_must_carry_display_name_when_the_knob_says_so() {
    let sim = start().await;
    let admin = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let upsert = |body: Value, prefer: bool| {
        let sim = &sim;
        let admin = admin.clone();
        async move {
            let headers: &[(&str, &str)] = if prefer {
                &[("Prefer", "create-if-missing")]
            } else {
                &[]
            };
            graph_with(
                sim,
                Method::PATCH,
                "/applications(uniqueName='upsert-rule')",
                Some(&admin),
                Some(body),
                headers,
            )
            .await
        }
    };
    assert_eq!(
        upsert(json!({"displayName": "Upsert rule"}), true)
            .await
            .status,
        StatusCode::CREATED
    );
    // Gentle: an update through the upsert without displayName is accepted.
    assert_eq!(
        upsert(json!({"notes": "a"}), true).await.status,
        StatusCode::NO_CONTENT
    );
    set_knobs(&sim, json!({"upsert_requires_display_name": true})).await;
    let refused = upsert(json!({"notes": "b"}), true).await;
    assert_eq!(
        (refused.status, refused.code()),
        (StatusCode::BAD_REQUEST, "Request_BadRequest")
    );
    assert_eq!(refused.body["error"]["details"][0]["target"], "displayName");
    assert_eq!(
        upsert(json!({"displayName": "Upsert rule", "notes": "b"}), true)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    // Without Prefer it is a plain update, which needs no displayName.
    assert_eq!(
        upsert(json!({"notes": "c"}), false).await.status,
        StatusCode::NO_CONTENT
    );
    // serviceprincipal-upsert states no such rule.
    let app_id = get(&sim, "/applications(uniqueName='upsert-rule')", &admin)
        .await
        .body["appId"]
        .as_str()
        .unwrap()
        .to_owned();
    let sp = graph_with(
        &sim,
        Method::PATCH,
        &format!("/servicePrincipals(appId='{app_id}')"),
        Some(&admin),
        Some(json!({"tags": ["x"]})),
        &[("Prefer", "create-if-missing")],
    )
    .await;
    assert_eq!(sp.status, StatusCode::CREATED, "{}", sp.body);
}

#[tokio::test]
async fn v1_admin_consent_without_a_reply_url_fails_with_aadsts500113() {
    let sim = start_with(SimConfig::realistic()).await;
    let admin = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    set_knobs(&sim, json!({"replication_delay_range_ms": null})).await;
    let app = app_with_sp(
        &sim,
        &admin,
        json!({"displayName": "No reply URL",
               "requiredResourceAccess": [{"resourceAppId": resources::MICROSOFT_GRAPH,
                 "resourceAccess": [{"id": "9a5d68dd-52b0-4cc2-bd40-abcf44ac3a30", "type": "Role"}]}]}),
    )
    .await;
    let browser = PageClient::new(sim.http.clone(), &sim.base);
    let link = format!(
        "{}/{DEMO_TENANT_ID}/adminconsent?client_id={}",
        sim.base, app.app_id
    );
    let picker = match browser.get(&link).await.unwrap() {
        Page::Html(_, html) => html,
        other => panic!("expected the picker: {other:?}"),
    };
    let consent = match browser
        .pick(&picker, users::GLOBAL_ADMIN_UPN)
        .await
        .unwrap()
    {
        Page::Html(_, html) => html,
        other => panic!("expected the consent page: {other:?}"),
    };
    let ending = browser.consent(&consent, "accept", false).await.unwrap();
    let Page::Html(status, html) = ending else {
        panic!("expected an error page")
    };
    assert_eq!(status, 400);
    assert!(html.contains("data-error-code=\"AADSTS500113\""), "{html}");
    assert!(html.contains("No reply address is registered for the application."));
    let assignments = tenant_state(&sim, DEMO_TENANT_ID).await["appRoleAssignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["principalId"] == app.sp_id.as_str())
        .count();
    assert_eq!(assignments, 0, "nothing granted");

    // The same app with a reply URL goes through the v2 endpoint.
    let patch = graph(
        &sim,
        Method::PATCH,
        &format!("/applications/{}", app.id),
        Some(&admin),
        Some(json!({"web": {"redirectUris": ["https://vendor.example/callback"]}})),
    )
    .await;
    assert_eq!(patch.status, StatusCode::NO_CONTENT, "{}", patch.body);
    let v2 = format!(
        "{}/{DEMO_TENANT_ID}/v2.0/adminconsent?client_id={}&scope={}&redirect_uri={}",
        sim.base,
        app.app_id,
        enc("https://graph.microsoft.com/.default"),
        enc("https://vendor.example/callback")
    );
    match browser
        .sign_in(&v2, users::GLOBAL_ADMIN_UPN, false)
        .await
        .unwrap()
    {
        Ending::Redirect(to) => {
            assert_eq!(query_params(&to)["admin_consent"], "True", "{to}")
        }
        other => panic!("expected the redirect: {other:?}"),
    }
}
