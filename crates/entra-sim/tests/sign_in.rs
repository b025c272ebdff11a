//! Sign-in as an SPA does it: authorize pages, PKCE, code redemption, refresh, and the
//! platform's error answers.

mod common;

use std::collections::HashMap;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use entra_sim::client::form_with_button;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn decode_segment(token: &str, index: usize) -> Value {
    let part = token.split('.').nth(index).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

async fn openid_configuration(sim: &Sim, tenant: &str) -> reqwest::Response {
    sim.http
        .get(format!(
            "{}/{tenant}/v2.0/.well-known/openid-configuration",
            sim.base
        ))
        .send()
        .await
        .unwrap()
}

/// Verifies an RS256 JWT with the tenant's published JWKS; returns its claims.
async fn verify_with_jwks(sim: &Sim, tenant: &str, token: &str) -> Value {
    let config: Value = openid_configuration(sim, tenant)
        .await
        .json()
        .await
        .unwrap();
    let jwks: Value = sim
        .http
        .get(config["jwks_uri"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let header = decode_segment(token, 0);
    assert_eq!(header["alg"], "RS256");
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == header["kid"])
        .expect("kid published");
    let n = URL_SAFE_NO_PAD.decode(key["n"].as_str().unwrap()).unwrap();
    let e = URL_SAFE_NO_PAD.decode(key["e"].as_str().unwrap()).unwrap();
    let (signed, sig) = token.rsplit_once('.').unwrap();
    ring::signature::RsaPublicKeyComponents { n: &n, e: &e }
        .verify(
            &ring::signature::RSA_PKCS1_2048_8192_SHA256,
            signed.as_bytes(),
            &URL_SAFE_NO_PAD.decode(sig).unwrap(),
        )
        .expect("signature verifies against the JWKS");
    let claims = decode_segment(token, 1);
    assert_eq!(claims["iss"], config["issuer"], "issuer matches discovery");
    claims
}

#[tokio::test]
async fn full_pkce_sign_in_with_consent_yields_verifiable_tokens_that_graph_accepts() {
    let sim = start().await;
    let pkce = pkce();
    let req = AuthRequest::new(&pkce);
    let browser = Browser::new(&sim);

    let picker = browser.get(&req.url(&sim.base)).await.html();
    let (_, button) = form_with_button(&picker, "data-user", users::GLOBAL_ADMIN_UPN).unwrap();
    assert!(button.text.contains(users::GLOBAL_ADMIN_NAME));
    assert!(button.text.contains("Global Administrator"));

    let consent = browser.pick(&picker, users::GLOBAL_ADMIN_UPN).await.html();
    assert!(consent.contains("Permissions requested"));
    assert!(consent.contains("(Application.ReadWrite.All)"));
    let location = browser.consent(&consent, "accept", false).await.location();
    assert!(location.starts_with(APP_REDIRECT));
    let params = query_params(&location);
    assert_eq!(params["state"], "st-123");

    let (status, tokens) = redeem_as_spa(&sim, &params["code"], &pkce).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert!(tokens["refresh_token"].is_string());
    assert!(tokens["scope"]
        .as_str()
        .unwrap()
        .contains("Application.ReadWrite.All"));

    let claims = verify_with_jwks(&sim, DEMO_TENANT_ID, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["iss"], format!("{}/{DEMO_TENANT_ID}/v2.0", sim.base));
    assert_eq!(claims["aud"], ASSISTANT_CLIENT_ID);
    assert_eq!(claims["tid"], DEMO_TENANT_ID);
    assert_eq!(claims["oid"], users::GLOBAL_ADMIN_ID);
    assert_eq!(claims["nonce"], "n-456");
    assert_eq!(claims["name"], users::GLOBAL_ADMIN_NAME);
    assert_eq!(claims["preferred_username"], users::GLOBAL_ADMIN_UPN);
    for c in ["exp", "iat", "nbf"] {
        assert!(claims[c].is_i64(), "{c}");
    }

    let me = graph(
        &sim,
        Method::GET,
        "/me",
        tokens["access_token"].as_str(),
        None,
    )
    .await;
    assert_eq!(me.status, StatusCode::OK);
    assert_eq!(me.body["userPrincipalName"], users::GLOBAL_ADMIN_UPN);

    // The consent was recorded as the user's own grant.
    let state = tenant_state(&sim, DEMO_TENANT_ID).await;
    let grants = state["oauth2PermissionGrants"].as_array().unwrap();
    assert!(grants
        .iter()
        .any(|g| g["consentType"] == "Principal" && g["principalId"] == users::GLOBAL_ADMIN_ID));
    assert_eq!(state["consentRecords"][0]["kind"], "user");
}

/// The Global Administrator signs in with a fresh PKCE pair: the pair and the redirect's
/// query parameters.
async fn admin_authorizes(browser: &Browser<'_>) -> (Pkce, HashMap<String, String>) {
    let pkce = pkce();
    let params = authorize(
        browser,
        &AuthRequest::new(&pkce),
        users::GLOBAL_ADMIN_UPN,
        false,
    )
    .await;
    (pkce, params)
}

#[tokio::test]
async fn wrong_verifier_is_rejected_and_a_code_is_single_use() {
    let sim = start().await;
    let (pkce, params) = admin_authorizes(&Browser::new(&sim)).await;
    let code = &params["code"];

    let (status, err) = redeem(
        &sim,
        DEMO_TENANT_ID,
        code,
        "wrong-verifier-wrong-verifier-wrong-verifier-x",
        Some(APP_ORIGIN),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"], "invalid_grant");
    assert_eq!(err["error_codes"], json!([501481]));
    assert!(err["error_description"]
        .as_str()
        .unwrap()
        .starts_with("AADSTS501481:"));
    assert!(
        err["trace_id"].is_string()
            && err["correlation_id"].is_string()
            && err["timestamp"].is_string()
    );

    let (status, _) = redeem_as_spa(&sim, code, &pkce).await;
    assert_eq!(status, StatusCode::OK);

    let (status, err) = redeem_as_spa(&sim, code, &pkce).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"], "invalid_grant");
    assert_eq!(err["error_codes"], json!([54005]));
}

#[tokio::test]
async fn a_code_expires_on_the_sim_clock() {
    let sim = start().await;
    let (pkce, params) = admin_authorizes(&Browser::new(&sim)).await;
    advance_clock_secs(&sim, 61).await;
    let (status, err) = redeem_as_spa(&sim, &params["code"], &pkce).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error_codes"], json!([70008]));
}

/// Redeems a demo-tenant refresh token as the assistant.
async fn refresh(sim: &Sim, origin: Option<&str>, refresh_token: &str) -> reqwest::Response {
    let form = [
        ("client_id", ASSISTANT_CLIENT_ID),
        ("grant_type", "refresh_token"),
        ("refresh_token", refresh_token),
        (
            "scope",
            "https://graph.microsoft.com/.default offline_access",
        ),
    ];
    token_request(sim, DEMO_TENANT_ID, &form, origin).await
}

#[tokio::test]
async fn spa_codes_and_refresh_tokens_need_an_origin() {
    let sim = start().await;
    let (pkce, params) = admin_authorizes(&Browser::new(&sim)).await;
    let (status, err) = redeem(&sim, DEMO_TENANT_ID, &params["code"], &pkce.verifier, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(err["error"], "invalid_request");
    assert_eq!(err["error_codes"], json!([9002327]));

    let (status, tokens) = redeem_as_spa(&sim, &params["code"], &pkce).await;
    assert_eq!(status, StatusCode::OK);
    let rt = tokens["refresh_token"].as_str().unwrap().to_owned();
    let r = refresh(&sim, None, &rt).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(
        r.json::<Value>().await.unwrap()["error_codes"],
        json!([9002327])
    );
    let r = refresh(&sim, Some(APP_ORIGIN), &rt).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["access-control-allow-origin"], APP_ORIGIN);
    let renewed: Value = r.json().await.unwrap();
    let rt2 = renewed["refresh_token"].as_str().unwrap().to_owned();
    assert!(renewed["refresh_token_expires_in"].as_i64().unwrap() <= 86_400);

    // SPA refresh tokens, and the ones they beget, die 24 h after sign-in.
    advance_clock_secs(&sim, 24 * 3600).await;
    let r = refresh(&sim, Some(APP_ORIGIN), &rt2).await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let err: Value = r.json().await.unwrap();
    assert_eq!(err["error"], "invalid_grant");
    assert_eq!(err["error_codes"], json!([700084]));
}

#[tokio::test]
async fn unregistered_redirect_uri_shows_an_error_page_instead_of_redirecting() {
    let sim = start().await;
    let pkce = pkce();
    let mut req = AuthRequest::new(&pkce);
    req.redirect_uri = "https://evil.example.com/cb";
    let browser = Browser::new(&sim);
    match browser.get(&req.url(&sim.base)).await {
        Page::Html(status, html) => {
            assert_eq!(status, StatusCode::BAD_REQUEST);
            assert!(html.contains("AADSTS50011"));
        }
        Page::Redirect(l) => panic!("redirected to {l}"),
    }
}

#[tokio::test]
async fn spa_sign_in_without_pkce_is_refused_at_the_redirect() {
    let sim = start().await;
    let url = format!(
        "{}/{DEMO_TENANT_ID}/oauth2/v2.0/authorize?client_id={ASSISTANT_CLIENT_ID}&response_type=code&redirect_uri={}&scope=openid&state=s1",
        sim.base,
        enc(APP_REDIRECT)
    );
    let location = Browser::new(&sim).get(&url).await.location();
    let p = query_params(&location);
    assert_eq!(p["error"], "invalid_request");
    assert!(p["error_description"].starts_with("AADSTS9002325"));
    assert_eq!(p["state"], "s1");
}

#[tokio::test]
async fn session_allows_silent_sign_in_and_fragment_mode_is_honoured() {
    let sim = start().await;
    let browser = Browser::new(&sim);
    let (pkce, _) = admin_authorizes(&browser).await;

    let mut silent = AuthRequest::new(&pkce);
    silent.extra = vec![("prompt", "none"), ("response_mode", "fragment")];
    let location = browser.get(&silent.url(&sim.base)).await.location();
    let p = fragment_params(&location);
    assert!(p.contains_key("code"), "{location}");
    assert_eq!(p["state"], "st-123");

    let stranger = Browser::new(&sim);
    let p = query_params(
        &stranger
            .get(
                &AuthRequest {
                    extra: vec![("prompt", "none")],
                    ..AuthRequest::new(&pkce)
                }
                .url(&sim.base),
            )
            .await
            .location(),
    );
    assert_eq!(p["error"], "login_required");
}

#[tokio::test]
async fn an_ordinary_user_needs_admin_approval_until_an_admin_consents_for_the_organization() {
    let sim = start().await;
    let pkce = pkce();
    let browser = Browser::new(&sim);
    let picker = browser
        .get(&AuthRequest::new(&pkce).url(&sim.base))
        .await
        .html();
    let page = browser.pick(&picker, users::ORDINARY_USER_UPN).await.html();
    assert!(page.contains("Need admin approval"));
    assert!(page.contains("AADSTS90094"));
    let back = browser.consent(&page, "back", false).await.location();
    let p = query_params(&back);
    assert_eq!(p["error"], "access_denied");
    assert!(p["error_description"].starts_with("AADSTS65004"));

    // A Global Administrator consents on behalf of the organization...
    sign_in(&sim, users::GLOBAL_ADMIN_UPN, true).await;
    // ...after which the ordinary user signs in with no consent page at all.
    let browser = Browser::new(&sim);
    let picker = browser
        .get(&AuthRequest::new(&pkce).url(&sim.base))
        .await
        .html();
    let location = browser
        .pick(&picker, users::ORDINARY_USER_UPN)
        .await
        .location();
    assert!(query_params(&location).contains_key("code"));
}

#[tokio::test]
async fn discovery_documents_follow_the_port_and_unknown_tenants_are_refused() {
    let sim = start().await;
    for tenant in [
        DEMO_TENANT_ID,
        entra_sim::DEMO_TENANT_DOMAIN,
        "organizations",
        "common",
    ] {
        let r = openid_configuration(&sim, tenant).await;
        assert_eq!(r.status(), StatusCode::OK, "{tenant}");
        let doc: Value = r.json().await.unwrap();
        assert!(doc["token_endpoint"]
            .as_str()
            .unwrap()
            .starts_with(&sim.base));
    }
    let r = openid_configuration(&sim, "nowhere.example").await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error_codes"], json!([90002]));
}

#[tokio::test]
async fn organizations_authority_lists_every_tenant_and_tokens_carry_the_users_tenant() {
    let sim = start().await;
    let tokens = sign_in_to(
        &sim,
        "organizations",
        users::NO_DEFENDER_GLOBAL_ADMIN_UPN,
        false,
    )
    .await;
    let claims = decode_segment(tokens["id_token"].as_str().unwrap(), 1);
    assert_eq!(claims["tid"], entra_sim::NO_DEFENDER_TENANT_ID);
    let org = graph(
        &sim,
        Method::GET,
        "/organization",
        tokens["access_token"].as_str(),
        None,
    )
    .await;
    assert_eq!(org.body["value"][0]["id"], entra_sim::NO_DEFENDER_TENANT_ID);
}
