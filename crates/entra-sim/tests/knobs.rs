//! The behaviour knobs and the control API: batch, throttling, replication delay, faults,
//! latency, request log, reset, CORS, runtime redirect URIs.

mod common;

use std::time::Instant;

use common::*;
use entra_sim::{Knobs, SimConfig, Throttle};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn batch_item<'a>(reply: &'a Value, id: &str) -> &'a Value {
    reply["responses"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no item {id}"))
}

#[tokio::test]
async fn batch_runs_dependencies_fails_dependents_with_424_and_answers_out_of_order() {
    let sim = start().await;
    let token = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let body = json!({ "requests": [
        { "id": "1", "method": "GET", "url": "/me" },
        { "id": "2", "method": "POST", "url": "/applications", "headers": {"Content-Type": "application/json"},
          "body": {"displayName": "Batched"} },
        { "id": "3", "method": "GET", "url": "/applications?$filter=displayName eq 'Batched'", "dependsOn": ["2"] },
        { "id": "4", "method": "GET", "url": "/applications(appId='00000000-0000-4000-8000-00000000dead')" },
        { "id": "5", "method": "GET", "url": "/me", "dependsOn": ["4"] },
        { "id": "6", "method": "PATCH", "url": "/applications(uniqueName='batched-upsert')",
          "headers": {"Content-Type": "application/json", "Prefer": "create-if-missing"}, "body": {"displayName": "Upserted in a batch"} }
    ]});
    let reply = post(&sim, "/$batch", &token, body).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let ids: Vec<&str> = reply.body["responses"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert_ne!(
        ids,
        ["1", "2", "3", "4", "5", "6"],
        "responses are not in request order"
    );
    assert_eq!(batch_item(&reply.body, "1")["status"], 200);
    assert_eq!(batch_item(&reply.body, "2")["status"], 201);
    assert_eq!(
        batch_item(&reply.body, "3")["body"]["value"][0]["displayName"],
        "Batched"
    );
    assert_eq!(batch_item(&reply.body, "4")["status"], 404);
    assert_eq!(batch_item(&reply.body, "5")["status"], 424);
    assert_eq!(batch_item(&reply.body, "6")["status"], 201);

    let too_many: Vec<Value> = (0..21)
        .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/me"}))
        .collect();
    let reply = post(&sim, "/$batch", &token, json!({ "requests": too_many })).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);

    let duplicate_ids = json!({"requests": [{"id": "a", "method": "GET", "url": "/me"}, {"id": "a", "method": "GET", "url": "/me"}]});
    let reply = post(&sim, "/$batch", &token, duplicate_ids).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);

    // Each item is logged with its own request-id, linked to the batch.
    let log = request_log(&sim).await;
    let items: Vec<&Value> = log.iter().filter(|e| e["batch_item_id"] == "2").collect();
    assert_eq!(items[0]["status"], 201);
    assert!(items[0]["batch_request_id"].is_string());
}

#[tokio::test]
async fn throttling_answers_429_with_retry_after_until_the_window_passes() {
    let sim = start().await;
    let token = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    set_knobs(
        &sim,
        json!({"throttle": {"max_requests": 3, "window_ms": 60000}}),
    )
    .await;
    for _ in 0..3 {
        assert_eq!(get_status(&sim, "/me", &token).await, StatusCode::OK);
    }
    let throttled = get(&sim, "/me", &token).await;
    assert_eq!(throttled.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(throttled.code(), "TooManyRequests");
    assert_eq!(throttled.body["error"]["innerError"]["code"], "429");
    let retry: u64 = throttled.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry));

    // Batch items are throttled one by one.
    let batch = json!({"requests": [{"id": "1", "method": "GET", "url": "/me"}]});
    let reply = post(&sim, "/$batch", &token, batch).await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.body["responses"][0]["status"], 429);
    assert!(reply.body["responses"][0]["headers"]["Retry-After"].is_string());

    advance_clock_ms(&sim, 60000).await;
    assert_eq!(get_status(&sim, "/me", &token).await, StatusCode::OK);
    assert!(request_log(&sim)
        .await
        .iter()
        .any(|e| e["throttled"] == true && e["status"] == 429));
}

#[tokio::test]
async fn replication_delay_hides_new_objects_until_the_sim_clock_passes_it() {
    let sim = start().await;
    let token = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    set_knobs(&sim, json!({"replication_delay_ms": 30000})).await;
    // A frozen clock makes the boundary exact however slow the machine is.
    control(&sim, Method::POST, "/clock", Some(json!({"freeze": true}))).await;
    let created = post(
        &sim,
        "/applications",
        &token,
        json!({"displayName": "Fresh"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.body["id"].as_str().unwrap();
    let app_id = created.body["appId"].as_str().unwrap();

    let read = get(&sim, &format!("/applications/{id}"), &token).await;
    assert_eq!(read.status, StatusCode::NOT_FOUND);
    assert_eq!(read.code(), "Request_ResourceNotFound");
    let sp = post(&sim, "/servicePrincipals", &token, json!({"appId": app_id})).await;
    assert_eq!(sp.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        sp.body["error"]["details"][0]["code"],
        "NoBackingApplicationObject"
    );

    let entry = tenant_state(&sim, DEMO_TENANT_ID).await["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id)
        .unwrap()
        .clone();
    assert!(entry["_sim"]["visibleAt"].is_string());

    advance_clock_ms(&sim, 29000).await;
    assert_eq!(
        get_status(&sim, &format!("/applications/{id}"), &token).await,
        StatusCode::NOT_FOUND
    );
    advance_clock_ms(&sim, 1000).await;
    assert_eq!(
        get_status(&sim, &format!("/applications/{id}"), &token).await,
        StatusCode::OK
    );
    let sp = post(&sim, "/servicePrincipals", &token, json!({"appId": app_id})).await;
    assert_eq!(sp.status, StatusCode::CREATED);
}

/// A secret is an update of its application, and replicates like a new object: reads of the
/// application (alone, listed, in `$batch`) show it only once the sim clock passes it.
#[tokio::test]
async fn a_new_secret_is_missing_from_reads_until_it_replicates() {
    let sim = start().await;
    let token = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    control(&sim, Method::POST, "/clock", Some(json!({"freeze": true}))).await;
    let created = post(
        &sim,
        "/applications",
        &token,
        json!({"displayName": "Fresh"}),
    )
    .await;
    let id = created.body["id"].as_str().unwrap().to_owned();
    set_knobs(&sim, json!({"replication_delay_ms": 30000})).await;
    // The application itself is old enough to be seen...
    advance_clock_ms(&sim, 31000).await;
    let added = post(
        &sim,
        &format!("/applications/{id}/addPassword"),
        &token,
        json!({"passwordCredential": {"displayName": "new"}}),
    )
    .await;
    assert_eq!(added.status, StatusCode::OK);
    let key = added.body["keyId"].clone();
    let keys = |app: &Value| -> Vec<Value> {
        app["passwordCredentials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["keyId"].clone())
            .collect()
    };
    let listed = |list: &Value| -> Value {
        list["value"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id.as_str())
            .unwrap()
            .clone()
    };
    let batch =
        json!({"requests": [{"id": "1", "method": "GET", "url": format!("/applications/{id}")}]});
    // ...its new secret is not, on any read path.
    let read = get(&sim, &format!("/applications/{id}"), &token).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(keys(&read.body), Vec::<Value>::new());
    assert_eq!(
        keys(&listed(&get(&sim, "/applications", &token).await.body)),
        Vec::<Value>::new()
    );
    let batched = post(&sim, "/$batch", &token, batch.clone()).await;
    assert_eq!(
        keys(&batched.body["responses"][0]["body"]),
        Vec::<Value>::new()
    );

    advance_clock_ms(&sim, 30000).await;
    let read = get(&sim, &format!("/applications/{id}"), &token).await;
    assert_eq!(keys(&read.body), vec![key.clone()]);
    assert_eq!(
        keys(&listed(&get(&sim, "/applications", &token).await.body)),
        vec![key.clone()]
    );
    let batched = post(&sim, "/$batch", &token, batch).await;
    assert_eq!(keys(&batched.body["responses"][0]["body"]), vec![key]);
}

#[tokio::test]
async fn faults_fire_by_route_and_count() {
    let sim = start().await;
    let token = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    add_faults(
        &sim,
        json!([
            {"method": "GET", "path": "/v1.0/organization", "kind": "service_unavailable", "count": 2, "retry_after_secs": 3},
            {"path": "/v1.0/me", "kind": "gateway_timeout"},
            {"path": "/v1.0/applications*", "kind": "token_expired"}
        ]),
    )
    .await;
    for _ in 0..2 {
        let r = get(&sim, "/organization", &token).await;
        assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(r.headers["retry-after"], "3");
    }
    assert_eq!(
        get_status(&sim, "/organization", &token).await,
        StatusCode::OK
    );
    assert_eq!(
        get_status(&sim, "/me", &token).await,
        StatusCode::GATEWAY_TIMEOUT
    );
    assert_eq!(get_status(&sim, "/me", &token).await, StatusCode::OK);
    let expired = get(&sim, "/applications", &token).await;
    assert_eq!(expired.status, StatusCode::UNAUTHORIZED);
    assert_eq!(expired.code(), "InvalidAuthenticationToken");
    assert_eq!(
        get_status(&sim, "/applications", &token).await,
        StatusCode::OK
    );
    let remaining = control(&sim, Method::GET, "/faults", None).await;
    assert_eq!(remaining["faults"], json!([]));

    add_faults(&sim, json!({"path": "/v1.0/me", "kind": "drop_connection"})).await;
    let dropped = sim
        .http
        .get(format!("{}/v1.0/me", sim.base))
        .bearer_auth(&token)
        .send()
        .await;
    assert!(
        dropped.is_err(),
        "the connection is closed without a response"
    );
    assert_eq!(get_status(&sim, "/me", &token).await, StatusCode::OK);

    // Identity routes take faults too.
    add_faults(&sim, json!({"path": "/*/oauth2/v2.0/token", "kind": "503"})).await;
    let (status, err) =
        client_credentials(&sim, DEMO_TENANT_ID, ASSISTANT_CLIENT_ID, "x", None).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(err["error"], "temporarily_unavailable");

    let log = request_log(&sim).await;
    let faults: Vec<&Value> = log.iter().filter(|e| !e["fault"].is_null()).collect();
    assert_eq!(faults.len(), 6);
}

#[tokio::test]
async fn latency_is_added_to_each_response() {
    let sim = start_with(SimConfig {
        knobs: Knobs {
            latency_ms: 250,
            ..Knobs::default()
        },
        ..SimConfig::default()
    })
    .await;
    let started = Instant::now();
    let r = sim
        .http
        .get(format!("{}/common/discovery/v2.0/keys", sim.base))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(started.elapsed().as_millis() >= 250);
    let started = Instant::now();
    control(&sim, Method::GET, "/knobs", None).await;
    assert!(
        started.elapsed().as_millis() < 250,
        "the control API is never delayed"
    );
}

#[tokio::test]
async fn request_log_carries_the_request_ids_graph_returned() {
    let sim = start().await;
    let token = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    let r = graph_with(
        &sim,
        Method::GET,
        "/me",
        Some(&token),
        None,
        &[("client-request-id", "my-correlation")],
    )
    .await;
    let request_id = r.headers["request-id"].to_str().unwrap().to_owned();
    assert_eq!(r.headers["client-request-id"], "my-correlation");
    let log = request_log(&sim).await;
    let entry = log
        .iter()
        .find(|e| e["request_id"] == request_id.as_str())
        .expect("logged");
    assert_eq!(entry["client_request_id"], "my-correlation");
    assert_eq!(entry["path"], "/v1.0/me");
    assert_eq!(entry["status"], 200);
    let token_calls = log
        .iter()
        .filter(|e| e["path"].as_str().unwrap().ends_with("/token"))
        .count();
    assert_eq!(token_calls, 1);
}

#[tokio::test]
async fn reset_returns_to_the_seed() {
    let sim = start_with(SimConfig {
        knobs: Knobs {
            throttle: Some(Throttle {
                max_requests: 1000,
                window_ms: 1000,
            }),
            ..Knobs::default()
        },
        ..SimConfig::default()
    })
    .await;
    let token = access_token(&sim, users::GLOBAL_ADMIN_UPN).await;
    post(
        &sim,
        "/applications",
        &token,
        json!({"displayName": "Temporary"}),
    )
    .await;
    set_knobs(&sim, json!({"latency_ms": 5, "throttle": null})).await;
    advance_clock_secs(&sim, 3600).await;
    control(&sim, Method::POST, "/reset", None).await;

    let state = control(
        &sim,
        Method::GET,
        &format!("/state?tenant={DEMO_TENANT_ID}"),
        None,
    )
    .await;
    let apps = state["tenants"][0]["applications"].as_array().unwrap();
    assert_eq!(apps.len(), 1, "only the assistant's own registration");
    assert_eq!(apps[0]["appId"], ASSISTANT_CLIENT_ID);
    assert_eq!(state["knobs"]["latency_ms"], 0);
    assert_eq!(
        state["knobs"]["throttle"]["max_requests"], 1000,
        "startup knobs come back"
    );
    assert_eq!(state["clock"]["offset_ms"], 0);
    assert_eq!(state["requests"], json!([]));
    assert_eq!(state["refreshTokens"], 0);
}

#[tokio::test]
async fn cors_is_answered_like_graph_with_retry_after_hidden_by_default() {
    let sim = start().await;
    let preflight = sim
        .http
        .request(
            Method::OPTIONS,
            format!("{}/v1.0/applications(uniqueName='x')", sim.base),
        )
        .header("origin", APP_ORIGIN)
        .header("access-control-request-method", "PATCH")
        .header(
            "access-control-request-headers",
            "authorization,content-type,prefer",
        )
        .send()
        .await
        .unwrap();
    assert_eq!(preflight.status(), StatusCode::OK);
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        APP_ORIGIN
    );
    let allowed = preflight.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap();
    assert!(allowed.contains("prefer") && allowed.contains("authorization"));
    assert!(preflight.headers()["access-control-allow-methods"]
        .to_str()
        .unwrap()
        .contains("PATCH"));

    let token_preflight = sim
        .http
        .request(
            Method::OPTIONS,
            format!("{}/{DEMO_TENANT_ID}/oauth2/v2.0/token", sim.base),
        )
        .header("origin", APP_ORIGIN)
        .header("access-control-request-method", "POST")
        .send()
        .await
        .unwrap();
    assert_eq!(
        token_preflight.headers()["access-control-allow-origin"],
        APP_ORIGIN
    );

    let exposed = |r: &GraphReply| {
        r.headers["access-control-expose-headers"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let r = graph_with(
        &sim,
        Method::GET,
        "/me",
        None,
        None,
        &[("origin", APP_ORIGIN)],
    )
    .await;
    assert_eq!(r.headers["access-control-allow-origin"], APP_ORIGIN);
    assert!(exposed(&r).contains("request-id"));
    assert!(!exposed(&r).contains("Retry-After"));
    set_knobs(&sim, json!({"expose_retry_after": true})).await;
    let r = graph_with(
        &sim,
        Method::GET,
        "/me",
        None,
        None,
        &[("origin", APP_ORIGIN)],
    )
    .await;
    assert!(exposed(&r).contains("Retry-After"));
}

#[tokio::test]
async fn redirect_uris_can_be_added_at_startup_and_at_runtime() {
    let sim = start_with(SimConfig {
        spa_redirect_uris: vec!["https://app.contoso.example/".into()],
        ..SimConfig::default()
    })
    .await;
    let listed = control(
        &sim,
        Method::GET,
        &format!("/clients/{ASSISTANT_CLIENT_ID}/spa-redirect-uris"),
        None,
    )
    .await;
    assert!(listed["redirect_uris"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u == "https://app.contoso.example/"));

    let pkce = pkce();
    let mut req = AuthRequest::new(&pkce);
    req.redirect_uri = "https://preview.contoso.example/auth";
    let browser = Browser::new(&sim);
    assert!(matches!(
        browser.get(&req.url(&sim.base)).await,
        Page::Html(StatusCode::BAD_REQUEST, _)
    ));
    let added = control(
        &sim,
        Method::POST,
        &format!("/clients/{ASSISTANT_CLIENT_ID}/spa-redirect-uris"),
        Some(json!({"redirect_uris": ["https://preview.contoso.example/auth"]})),
    )
    .await;
    assert!(added["redirect_uris"]
        .as_array()
        .unwrap()
        .iter()
        .any(|u| u == "https://preview.contoso.example/auth"));
    assert!(matches!(
        browser.get(&req.url(&sim.base)).await,
        Page::Html(StatusCode::OK, _)
    ));

    let refused = sim
        .http
        .post(format!(
            "{}/_sim/clients/{ASSISTANT_CLIENT_ID}/spa-redirect-uris",
            sim.base
        ))
        .json(&json!({"uri": "http://not-https.example/"}))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::BAD_REQUEST);
}
