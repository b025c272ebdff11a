//! Automated mode end to end against entra-sim, in-process: sign-in through core's auth
//! module and the simulator's pages, observe, diff, execute, verify. Assertions are on the
//! simulator's own state (`/_sim/state`), never on what core believes it did.
#![cfg(feature = "automation")]

use entra_setup_testkit as support;

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use base64::Engine;
use entra_setup_core::automation::auth::{scopes, Discovery, Session, SessionTokens};
use entra_setup_core::automation::config::AppConfig;
use entra_setup_core::automation::graph::{Graph, RetryReason};
use entra_setup_core::automation::host::{
    Host, HttpRequest, HttpResponse, TokenError, TransportError,
};
use entra_setup_core::automation::provision::{
    self, execute, observe, verify, Admin, Diff, ExecOptions, Inputs, Outcome as ReportOutcome,
    Progress, Report, SetupResult, StepId, StepStatus,
};
use entra_setup_core::catalog;
use entra_setup_core::plan::{Options, Plan};
use entra_sim::client::Ending;
use entra_sim::users;
use serde_json::{json, Value};
use support::{BoxTransport, Sim, SimHost, Waves};

type SimTokens<'a> = SessionTokens<'a, BoxTransport, SimHost>;
type SimGraph<'a> = Graph<'a, BoxTransport, SimHost, SimTokens<'a>>;

const NANGO_CALLBACK: &str = "https://api.nango.dev/oauth/callback";

struct Env {
    sim: Sim,
    tenant: String,
    waves: Rc<Waves>,
    transport: BoxTransport,
    host: SimHost,
    config: AppConfig,
    endpoints: Discovery,
}

async fn env_with(config: entra_sim::SimConfig, tenant: &str) -> Env {
    env_through(config, tenant, |t| t).await
}

/// An environment whose transport is `wrap`ped around the simulator's.
async fn env_through(
    config: entra_sim::SimConfig,
    tenant: &str,
    wrap: impl FnOnce(BoxTransport) -> BoxTransport,
) -> Env {
    let sim = support::start_frozen(config).await;
    let waves = Rc::new(Waves::default());
    let transport = wrap(support::transport(sim.http.clone(), waves.clone()));
    let host = SimHost::new(&sim).await;
    let config = support::config(&sim, tenant);
    let endpoints = support::discover(&sim, &config).await;
    Env {
        sim,
        tenant: tenant.to_owned(),
        waves,
        transport,
        host,
        config,
        endpoints,
    }
}

async fn env(tenant: &str) -> Env {
    env_with(entra_sim::SimConfig::default(), tenant).await
}

fn plan(id: &str, redirect: Option<&str>) -> Plan {
    let mut p = Plan::new(catalog::by_id(id).unwrap(), &Options::default());
    p.redirect_uri = redirect.map(str::to_owned);
    p
}

impl Env {
    /// Signs `upn` in with the scopes `plan` needs: the session, its tokens, and the
    /// inputs of a run.
    async fn sign_in_for_run(&self, upn: &str, plan: &Plan) -> (Session, SimTokens<'_>, Inputs) {
        let session = self.sign_in(upn, plan).await;
        let inputs = self.inputs(plan, &session);
        (session.clone(), self.tokens(session), inputs)
    }

    async fn sign_in(&self, upn: &str, plan: &Plan) -> Session {
        self.sign_in_asking(upn, scopes::for_run(plan, self.config.cloud))
            .await
    }

    async fn sign_in_asking(&self, upn: &str, wanted: Vec<String>) -> Session {
        support::sign_in(
            &self.sim,
            &self.config,
            &self.endpoints,
            &self.transport,
            &self.host,
            upn,
            wanted,
        )
        .await
    }

    /// Signed in as adopt mode signs in: [`scopes::for_repair`].
    async fn sign_in_to_repair(&self, upn: &str, plan: &Plan) -> (SimTokens<'_>, Inputs) {
        let session = self
            .sign_in_asking(upn, scopes::for_repair(plan, self.config.cloud))
            .await;
        let inputs = self.inputs(plan, &session);
        (self.tokens(session), inputs)
    }

    /// What a deployer does once: a Global Administrator consents to the assistant's run
    /// scopes for the whole organization, so that admins without a consent role can sign
    /// in to it.
    async fn consent_assistant_for_org(&self, plan: &Plan) {
        let (url, _) = entra_setup_core::automation::auth::begin(
            &self.config,
            &self.endpoints,
            &support::sign_in_params(scopes::for_run(plan, self.config.cloud)),
            &support::random_bytes(entra_setup_core::automation::auth::RANDOM_BYTES),
            self.host.now_ms(),
        )
        .unwrap();
        let ending = self
            .sim
            .browser()
            .sign_in(&url, users::GLOBAL_ADMIN_UPN, true)
            .await
            .unwrap();
        assert!(matches!(ending, Ending::Redirect(_)), "{ending:?}");
    }

    fn inputs(&self, plan: &Plan, session: &Session) -> Inputs {
        Inputs::from_plan(
            plan,
            Admin::from_claims(&session.claims),
            self.host.now_ms(),
            &provision::execute::run_id_from_random(&support::random_bytes(6)),
        )
    }

    fn tokens(&self, session: Session) -> SimTokens<'_> {
        SessionTokens::new(
            &self.config,
            &self.endpoints,
            &self.transport,
            &self.host,
            session,
        )
    }

    fn graph<'a>(&'a self, tokens: &'a SimTokens<'a>) -> SimGraph<'a> {
        Graph::new(
            &self.config.graph_base_url,
            &self.transport,
            &self.host,
            tokens,
        )
    }

    async fn state(&self) -> Value {
        self.sim.tenant_state(&self.tenant).await
    }
}

struct Outcome {
    diff: Diff,
    report: Report,
    /// Sequential Graph round trips of `execute` alone.
    waves: u32,
    events: Vec<Progress>,
}

async fn run(env: &Env, tokens: &SimTokens<'_>, plan: &Plan, inputs: &Inputs) -> Outcome {
    let graph = env.graph(tokens);
    let diff = review(&graph, plan, inputs).await;
    env.waves.reset();
    let (report, events) = execute_recording(env, &graph, &diff).await;
    Outcome {
        diff,
        report,
        waves: env.waves.round_trips(),
        events,
    }
}

/// observe → diff: what the review screen shows before the admin starts the run.
async fn review(graph: &SimGraph<'_>, plan: &Plan, inputs: &Inputs) -> Diff {
    let observed = observe(graph, plan, inputs).await.expect("observe");
    provision::diff(plan, inputs, &observed)
}

/// A fresh setup of `plan` by the Global Administrator, completed in at most three
/// sequential Graph round trips.
async fn fresh_setup(env: &Env, plan: &Plan) -> SetupResult {
    let (_, tokens, inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, plan).await;
    let o = run(env, &tokens, plan, &inputs).await;
    assert_completed_in_three_round_trips(&o);
    o.report
        .result()
        .cloned()
        .expect("a completed run has a result")
}

/// Executes `diff` as the app does, keeping the progress events it reports.
async fn execute_recording(
    env: &Env,
    graph: &SimGraph<'_>,
    diff: &Diff,
) -> (Report, Vec<Progress>) {
    let events = RefCell::new(Vec::new());
    let report = execute(
        graph,
        diff,
        &ExecOptions::new(&env.config),
        &|p: &Progress| events.borrow_mut().push(p.clone()),
    )
    .await;
    (report, events.into_inner())
}

/// The objects of one collection of the simulator's state whose `field` is `value`.
fn objects_where<'a>(
    state: &'a Value,
    collection: &str,
    field: &str,
    value: &str,
) -> Vec<&'a Value> {
    state[collection]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| o[field] == value)
        .collect()
}

/// Our application(s) in the tenant, by unique name.
fn apps<'a>(state: &'a Value, unique_name: &str) -> Vec<&'a Value> {
    objects_where(state, "applications", "uniqueName", unique_name)
}

fn sps_of<'a>(state: &'a Value, app_id: &str) -> Vec<&'a Value> {
    objects_where(state, "servicePrincipals", "appId", app_id)
}

fn sp_id_of(state: &Value, app_id: &str) -> String {
    sps_of(state, app_id)[0]["id"].as_str().unwrap().to_owned()
}

fn grants_of<'a>(state: &'a Value, client_sp: &str) -> Vec<&'a Value> {
    objects_where(state, "oauth2PermissionGrants", "clientId", client_sp)
}

fn assignments_of<'a>(state: &'a Value, client_sp: &str) -> Vec<&'a Value> {
    objects_where(state, "appRoleAssignments", "principalId", client_sp)
}

/// The counts a re-run must not change.
fn footprint(state: &Value) -> (usize, usize, usize, usize, usize) {
    let n = |k: &str| state[k].as_array().map_or(0, Vec::len);
    let secrets: usize = state["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["passwordCredentials"].as_array().map_or(0, Vec::len))
        .sum();
    (
        n("applications"),
        n("servicePrincipals"),
        n("oauth2PermissionGrants"),
        n("appRoleAssignments"),
        secrets,
    )
}

async fn client_credentials(env: &Env, client_id: &str, secret: &str) -> (u16, Value) {
    // A confidential client's server, not a browser: no Origin header (graph-facts §1.4).
    let r = env
        .sim
        .http
        .post(format!("{}/{}/oauth2/v2.0/token", env.sim.base, env.tenant))
        .form(&[
            ("client_id", client_id),
            ("grant_type", "client_credentials"),
            ("client_secret", secret),
            ("scope", "https://graph.microsoft.com/.default"),
        ])
        .send()
        .await
        .unwrap();
    (r.status().as_u16(), r.json().await.unwrap())
}

/// The claims of the app-only token that the setup's secret obtains (asserting it does).
async fn app_token_claims(env: &Env, result: &SetupResult) -> Value {
    let secret = result.secret.as_ref().expect("a secret");
    let (status, body) = client_credentials(env, &result.client_id, secret.value.expose()).await;
    assert_eq!(status, 200, "{body}");
    jwt_claims(body["access_token"].as_str().unwrap())
}

fn jwt_claims(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap();
    serde_json::from_slice(
        &base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(payload)
            .unwrap(),
    )
    .unwrap()
}

fn assert_completed(o: &Outcome) {
    assert!(
        o.report.completed(),
        "run did not complete: {:?}\n{:#?}",
        o.report.halted(),
        o.report.steps
    );
}

/// The run completed, and Verify (read with `tokens`) finds everything in place.
async fn assert_completed_and_verified(
    env: &Env,
    report: &Report,
    tokens: &SimTokens<'_>,
    plan: &Plan,
    inputs: &Inputs,
) {
    assert!(
        matches!(report.outcome, ReportOutcome::Completed(_)),
        "{report:#?}"
    );
    let checks = verify(&env.graph(tokens), plan, inputs).await.unwrap();
    assert!(checks.iter().all(|c| c.ok), "{checks:#?}");
}

/// A fresh setup completes, in at most three sequential Graph round trips.
fn assert_completed_in_three_round_trips(o: &Outcome) {
    assert_completed(o);
    assert!(
        o.waves <= 3,
        "fresh setup took {} sequential round trips",
        o.waves
    );
}

#[tokio::test]
async fn nango_teams_fresh_setup_in_three_round_trips_then_rerun_creates_nothing() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("nango-microsoft-teams", Some(NANGO_CALLBACK));
    let (session, tokens, inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;

    let first = run(&env, &tokens, &plan, &inputs).await;
    assert_completed_in_three_round_trips(&first);
    assert!(
        first
            .diff
            .capability_summary
            .contains("Global Administrator"),
        "{}",
        first.diff.capability_summary
    );
    // Progress went through running to done for the created steps.
    assert!(first
        .events
        .iter()
        .any(|e| e.step == StepId::Application && e.status == StepStatus::Running));

    let result = first.report.result().cloned().unwrap();
    assert_eq!(result.tenant_id, entra_sim::DEMO_TENANT_ID);
    assert_eq!(result.redirect_uri.as_deref(), Some(NANGO_CALLBACK));
    assert!(
        result.scopes.contains("ChannelMessage.Send") && result.scopes.contains("offline_access")
    );
    let secret = result.secret.clone().expect("a secret");
    assert_eq!(secret.lifetime_days, 180);
    assert!(
        !format!("{result:?}").contains(secret.value.expose()),
        "secret in Debug output"
    );

    let state = env.state().await;
    let unique = provision::unique_name_for("nango-microsoft-teams");
    let ours = apps(&state, &unique);
    assert_eq!(ours.len(), 1);
    let app = ours[0];
    assert_eq!(app["appId"], result.client_id.as_str());
    assert_eq!(app["web"]["redirectUris"], json!([NANGO_CALLBACK]));
    assert!(app["spa"]["redirectUris"]
        .as_array()
        .is_none_or(|a| a.is_empty()));
    assert!(app["tags"]
        .as_array()
        .unwrap()
        .contains(&json!("entra-setup-assistant:nango-microsoft-teams")));
    assert!(app["notes"]
        .as_str()
        .unwrap()
        .contains(users::GLOBAL_ADMIN_UPN));
    let graph_access = &app["requiredResourceAccess"][0];
    assert_eq!(
        graph_access["resourceAppId"],
        "00000003-0000-0000-c000-000000000000"
    );
    assert_eq!(
        graph_access["resourceAccess"].as_array().unwrap().len(),
        plan.permissions.len()
    );
    assert_eq!(app["passwordCredentials"].as_array().unwrap().len(), 1);
    assert_eq!(
        app["passwordCredentials"][0]["keyId"],
        secret.key_id.as_str()
    );
    let client_sp = sp_id_of(&state, &result.client_id);
    let grants = grants_of(&state, &client_sp);
    assert_eq!(grants.len(), 1, "one grant per resource");
    assert_eq!(grants[0]["consentType"], "AllPrincipals");
    for p in &plan.permissions {
        assert!(
            grants[0]["scope"]
                .as_str()
                .unwrap()
                .split(' ')
                .any(|s| s == p.value),
            "{} not consented",
            p.value
        );
    }

    let checks = verify(&env.graph(&tokens), &plan, &inputs).await.unwrap();
    assert!(checks.iter().all(|c| c.ok), "{checks:#?}");

    // Run it again: nothing to do, nothing created.
    let before = footprint(&state);
    let second = run(&env, &tokens, &plan, &env.inputs(&plan, &session)).await;
    assert_completed(&second);
    assert!(second.diff.nothing_to_do(), "{:?}", second.diff.lines());
    assert_eq!(footprint(&env.state().await), before);
    assert!(
        second.report.result().cloned().unwrap().secret.is_none(),
        "no second secret unless asked"
    );
}

#[tokio::test]
async fn novus_calendarsync_assigns_application_permissions_and_the_secret_gets_an_app_token() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("novus-calendarsync", None);
    let result = fresh_setup(&env, &plan).await;
    assert!(result.consent.is_none());

    let state = env.state().await;
    let client_sp = sp_id_of(&state, &result.client_id);
    let graph_sp = sp_id_of(&state, "00000003-0000-0000-c000-000000000000");
    let assigned: Vec<&str> = assignments_of(&state, &client_sp)
        .iter()
        .map(|a| {
            assert_eq!(a["resourceId"], graph_sp.as_str());
            a["appRoleId"].as_str().unwrap()
        })
        .collect();
    assert_eq!(assigned.len(), 2);
    assert!(assigned.contains(&"ef54d2bf-783f-4e0f-bca1-3210c0444d99")); // Calendars.ReadWrite

    let roles = app_token_claims(&env, &result).await["roles"].clone();
    assert!(
        roles
            .as_array()
            .unwrap()
            .contains(&json!("Calendars.ReadWrite")),
        "{roles}"
    );
    // The Secret ID is not the secret.
    let secret_id = &result.secret.unwrap().key_id;
    assert_eq!(
        client_credentials(&env, &result.client_id, secret_id)
            .await
            .0,
        401
    );
}

#[tokio::test]
async fn kodo_for_cloud_grants_on_graph_exchange_and_sharepoint() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("kodo-for-cloud", None);
    let result = fresh_setup(&env, &plan).await;
    let state = env.state().await;
    let app = apps(&state, &provision::unique_name_for("kodo-for-cloud"))[0];
    let resources: Vec<&str> = app["requiredResourceAccess"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["resourceAppId"].as_str().unwrap())
        .collect();
    assert_eq!(resources.len(), 3, "{resources:?}");
    assert!(
        !resources.contains(&"00000002-0000-0000-c000-000000000000"),
        "retired Azure AD Graph added"
    );
    let client_sp = sp_id_of(&state, &result.client_id);
    let app_perms = plan
        .permissions
        .iter()
        .filter(|p| p.kind == catalog::PermissionType::Application)
        .count();
    assert_eq!(assignments_of(&state, &client_sp).len(), app_perms);
    // Delegated: one grant each for Graph and SharePoint.
    assert_eq!(grants_of(&state, &client_sp).len(), 2);
    app_token_claims(&env, &result).await;
}

#[tokio::test]
async fn defender_creates_the_missing_windows_defender_atp_service_principal() {
    let env = env(entra_sim::NO_DEFENDER_TENANT_ID).await;
    let plan = plan("nango-microsoft-defender", Some(NANGO_CALLBACK));
    let before = env.state().await;
    assert!(
        sps_of(&before, "fc780465-2017-40d4-a0c5-307022471b92").is_empty(),
        "precondition: no WindowsDefenderATP"
    );
    let (_, tokens, inputs) = env
        .sign_in_for_run(users::NO_DEFENDER_GLOBAL_ADMIN_UPN, &plan)
        .await;
    let o = run(&env, &tokens, &plan, &inputs).await;
    assert!(
        o.diff
            .lines()
            .iter()
            .any(|l| l.starts_with("create: service principal of WindowsDefenderATP")),
        "{:?}",
        o.diff.lines()
    );
    assert_completed_in_three_round_trips(&o);
    let result = o.report.result().cloned().unwrap();

    let state = env.state().await;
    let wdatp = sps_of(&state, "fc780465-2017-40d4-a0c5-307022471b92");
    assert_eq!(wdatp.len(), 1);
    let app = apps(
        &state,
        &provision::unique_name_for("nango-microsoft-defender"),
    )[0];
    let wdatp_access = app["requiredResourceAccess"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["resourceAppId"] == "fc780465-2017-40d4-a0c5-307022471b92")
        .unwrap();
    let wanted = plan
        .permissions
        .iter()
        .filter(|p| p.api_app_id == "fc780465-2017-40d4-a0c5-307022471b92")
        .count();
    assert_eq!(
        wdatp_access["resourceAccess"].as_array().unwrap().len(),
        wanted,
        "permissions resolved after the service principal appeared"
    );
    let client_sp = sp_id_of(&state, &result.client_id);
    let grants = grants_of(&state, &client_sp);
    assert_eq!(
        grants.len(),
        3,
        "one grant per API: Graph, Threat Protection, WindowsDefenderATP"
    );
    let wdatp_grant = grants
        .iter()
        .find(|g| g["resourceId"] == wdatp[0]["id"])
        .unwrap();
    assert!(wdatp_grant["scope"]
        .as_str()
        .unwrap()
        .contains("Machine.Isolate"));
    let checks = verify(&env.graph(&tokens), &plan, &inputs).await.unwrap();
    assert!(checks.iter().all(|c| c.ok), "{checks:#?}");
}

#[tokio::test]
async fn fabric_secret_obtains_a_client_credentials_token() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("nango-microsoft-fabric", None);
    let result = fresh_setup(&env, &plan).await;
    assert_eq!(
        app_token_claims(&env, &result).await["appid"],
        result.client_id.as_str()
    );
}

#[tokio::test]
async fn throttling_outages_replication_delay_and_token_expiry_still_complete_once() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("novus-calendarsync", None);
    let (_, tokens, inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;
    let graph = env.graph(&tokens);
    let diff = review(&graph, &plan, &inputs).await;

    env.sim
        .control(
            "PATCH",
            "/knobs",
            Some(json!({
                "replication_delay_ms": 20_000,
                "throttle": {"max_requests": 3, "window_ms": 10_000}
            })),
        )
        .await;
    env.sim.control("POST", "/faults", Some(json!([
        {"method": "PATCH", "path": "/v1.0/applications*", "kind": "service_unavailable", "count": 1},
        {"method": "POST", "path": "/v1.0/applications/*/addPassword", "kind": "gateway_timeout", "count": 1, "retry_after_secs": 2},
        {"path": "/v1.0/servicePrincipals/*/appRoleAssignedTo", "kind": "token_expired", "count": 1},
    ]))).await;

    let (report, events) = execute_recording(&env, &graph, &diff).await;
    assert!(report.completed(), "{report:#?}");
    let reasons: Vec<RetryReason> = events
        .iter()
        .filter_map(|e| match &e.status {
            StepStatus::Retrying { why, .. } => Some(*why),
            _ => None,
        })
        .collect();
    for expected in [
        RetryReason::Unavailable,
        RetryReason::ReplicationDelay,
        RetryReason::Throttled,
        RetryReason::TokenRefreshed,
    ] {
        assert!(
            reasons.contains(&expected),
            "no {expected:?} retry in {reasons:?}"
        );
    }
    assert!(
        env.host.total_slept_ms() > 0,
        "waits went through the injected sleeper"
    );

    env.sim
        .control(
            "PATCH",
            "/knobs",
            Some(json!({"replication_delay_ms": 0, "throttle": null})),
        )
        .await;
    let state = env.state().await;
    let result = report.result().cloned().unwrap();
    assert_eq!(
        apps(&state, &provision::unique_name_for("novus-calendarsync")).len(),
        1
    );
    assert_eq!(sps_of(&state, &result.client_id).len(), 1);
    let app = apps(&state, &provision::unique_name_for("novus-calendarsync"))[0];
    assert_eq!(
        app["passwordCredentials"].as_array().unwrap().len(),
        1,
        "exactly one live secret: {}",
        app["passwordCredentials"]
    );
    assert_eq!(
        app["passwordCredentials"][0]["keyId"],
        result.secret.as_ref().unwrap().key_id.as_str()
    );
    let client_sp = sp_id_of(&state, &result.client_id);
    assert_eq!(assignments_of(&state, &client_sp).len(), 2);
    app_token_claims(&env, &result).await;
}

#[tokio::test]
async fn a_lost_add_password_answer_leaves_exactly_one_secret() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("nango-microsoft-fabric", None);
    let (_, tokens, inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;
    env.sim.control("POST", "/faults", Some(json!(
        {"method": "POST", "path": "/v1.0/applications/*/addPassword", "kind": "drop_connection", "count": 1}
    ))).await;
    let o = run(&env, &tokens, &plan, &inputs).await;
    assert_completed(&o);
    let log = env.sim.control("GET", "/requests", None).await;
    let add_password: Vec<&Value> = log["requests"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["path"].as_str().unwrap().ends_with("/addPassword"))
        .collect();
    assert_eq!(
        add_password[0]["status"], 0,
        "precondition: the first answer was dropped"
    );
    assert!(add_password.len() >= 2);
    let result = o.report.result().cloned().unwrap();
    let state = env.state().await;
    let app = apps(
        &state,
        &provision::unique_name_for("nango-microsoft-fabric"),
    )[0];
    let creds = app["passwordCredentials"].as_array().unwrap();
    assert_eq!(creds.len(), 1, "{creds:?}");
    assert_eq!(
        creds[0]["keyId"],
        result.secret.as_ref().unwrap().key_id.as_str()
    );
    app_token_claims(&env, &result).await;
}

#[tokio::test]
async fn an_admin_without_the_role_gets_the_consent_link_and_verify_passes_after_a_global_admin_consents(
) {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("novus-calendarsync", None);
    let (_, tokens, inputs) = env.sign_in_for_run(users::CLOUD_APP_ADMIN_UPN, &plan).await;
    let o = run(&env, &tokens, &plan, &inputs).await;
    assert!(
        o.diff
            .capability_summary
            .contains("Privileged Role Administrator"),
        "{}",
        o.diff.capability_summary
    );
    assert_completed(&o);
    let result = o.report.result().cloned().unwrap();
    let hand_off = result.consent.clone().expect("a consent link");
    let url = hand_off.url.clone();
    assert!(hand_off.who.contains("Global Administrator"));
    assert!(o.report.steps.iter().any(
        |s| matches!(&s.status, StepStatus::NeedsAdmin { consent_url, .. } if *consent_url == url)
    ));
    // Everything else was done: app, service principal, secret, delegated consent.
    assert!(result.secret.is_some());
    let state = env.state().await;
    let client_sp = sp_id_of(&state, &result.client_id);
    assert!(assignments_of(&state, &client_sp).is_empty());
    assert_eq!(grants_of(&state, &client_sp).len(), 1);

    let checks = verify(&env.graph(&tokens), &plan, &inputs).await.unwrap();
    assert!(!checks.iter().find(|c| c.key == "consent").unwrap().ok);

    // Novus has no redirect URI, so Entra has no consent page that works for it
    // (AADSTS500113): the link opens this assistant in finish mode.
    assert!(
        url.ends_with(&format!(
            "/setup/novus-calendarsync?finish={}&tenant={}",
            result.client_id, result.tenant_id
        )),
        "{url}"
    );
    let unique = provision::unique_name_for(&plan.integration_id);
    let before = env.state().await;
    let (_, ga_tokens, mut ga_inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;
    ga_inputs.finish_for = Some(result.client_id.clone());
    // The Global Administrator's own choices (here another name) change nothing.
    ga_inputs.display_name = "Something else".into();
    let finished = run(&env, &ga_tokens, &plan, &ga_inputs).await;
    assert!(
        matches!(finished.report.outcome, ReportOutcome::Completed(_)),
        "{:#?}",
        finished.report
    );
    let after = env.state().await;
    let (app_before, app_after) = (apps(&before, &unique), apps(&after, &unique));
    assert_eq!(app_after.len(), 1);
    assert_eq!(app_after[0]["displayName"], app_before[0]["displayName"]);
    assert_eq!(
        app_after[0]["passwordCredentials"], app_before[0]["passwordCredentials"],
        "finish mode adds no secret and removes none"
    );
    let app_roles = plan
        .permissions
        .iter()
        .filter(|p| p.kind == catalog::PermissionType::Application)
        .count();
    assert_eq!(assignments_of(&after, &client_sp).len(), app_roles);
    // Nothing else is created (the Global Administrator's own sign-in consent aside).
    assert_eq!(
        grants_of(&after, &client_sp),
        grants_of(&before, &client_sp)
    );
    let (apps_n, sps_n, _, _, secrets) = footprint(&before);
    let (apps_n2, sps_n2, _, _, secrets2) = footprint(&after);
    assert_eq!((apps_n, sps_n, secrets), (apps_n2, sps_n2, secrets2));

    let checks = verify(&env.graph(&tokens), &plan, &inputs).await.unwrap();
    assert!(checks.iter().all(|c| c.ok), "{checks:#?}");
    assert!(app_token_claims(&env, &result).await["roles"]
        .as_array()
        .unwrap()
        .contains(&json!("Calendars.ReadWrite")));
}

#[tokio::test]
async fn a_tenant_policy_shortens_the_secret_and_says_so() {
    let env = env(entra_sim::SECRET_POLICY_TENANT_ID).await;
    let plan = plan("nango-microsoft-fabric", None);
    let (_, tokens, mut inputs) = env
        .sign_in_for_run(entra_sim::users::SECRET_POLICY_GLOBAL_ADMIN_UPN, &plan)
        .await;
    inputs.secret_lifetime_days = 365;
    let o = run(&env, &tokens, &plan, &inputs).await;
    assert_completed(&o);
    let secret = o.report.result().cloned().unwrap().secret.unwrap();
    assert_eq!(secret.shortened_from_days, Some(365));
    assert!(secret.lifetime_days <= entra_sim::SECRET_POLICY_MAX_LIFETIME_DAYS as u16);
    match o.report.status(&StepId::Secret) {
        Some(StepStatus::Done { detail }) => {
            assert!(detail.contains("refused 365 days"), "{detail}")
        }
        other => panic!("{other:?}"),
    }
    let app = &apps(
        &env.state().await,
        &provision::unique_name_for("nango-microsoft-fabric"),
    )[0]
    .clone();
    assert_eq!(app["passwordCredentials"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn a_catalog_tenant_id_mismatch_stops_before_anything_is_written() {
    // A tenant whose Graph service principal has another ID for Channel.ReadBasic.All.
    let seed = entra_sim::DEFAULT_SEED_JSON.replace(
        "9d8982ae-4365-4f57-95e9-d6032a4c0b87",
        "9d8982ae-4365-4f57-95e9-000000000000",
    );
    let config = entra_sim::SimConfig {
        seed: entra_sim::Seed::from_json(&seed).unwrap(),
        ..entra_sim::SimConfig::default()
    };
    let env = env_with(config, entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("nango-microsoft-teams", Some(NANGO_CALLBACK));
    let (_, tokens, inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;
    let before = footprint(&env.state().await);
    let o = run(&env, &tokens, &plan, &inputs).await;
    assert!(o.diff.is_blocked());
    assert!(
        o.diff.blocking[0]
            .to_string()
            .contains("Channel.ReadBasic.All"),
        "{:?}",
        o.diff.blocking
    );
    assert!(matches!(o.report.outcome, ReportOutcome::Stopped(_)));
    assert_eq!(footprint(&env.state().await), before);
}

#[tokio::test]
async fn an_ended_sign_in_pauses_and_the_resumed_run_duplicates_nothing() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("novus-calendarsync", None);
    let session = env.sign_in(users::GLOBAL_ADMIN_UPN, &plan).await;
    let inputs = env.inputs(&plan, &session);
    let lost_key;
    {
        let tokens = env.tokens(session.clone());
        let graph = env.graph(&tokens);
        let diff = review(&graph, &plan, &inputs).await;
        // Graph keeps refusing the token once the service principal and secret exist, even
        // after a refresh.
        env.sim.control("POST", "/faults", Some(json!(
            {"path": "/v1.0/servicePrincipals/*/appRoleAssignedTo", "kind": "token_expired", "count": null}
        ))).await;
        let report = execute(&graph, &diff, &ExecOptions::new(&env.config), &|_| {}).await;
        assert!(
            matches!(report.outcome, ReportOutcome::Paused(_)),
            "{report:#?}"
        );
        assert!(!report.completed());
        env.sim.control("DELETE", "/faults", None).await;
        let paused_state = env.state().await;
        let app = apps(
            &paused_state,
            &provision::unique_name_for("novus-calendarsync"),
        )[0];
        assert_eq!(
            app["passwordCredentials"].as_array().unwrap().len(),
            1,
            "precondition: the secret was added before the pause"
        );
        lost_key = app["passwordCredentials"][0]["keyId"]
            .as_str()
            .unwrap()
            .to_owned();

        // 25 hours on, the SPA refresh token is dead as well: only a new sign-in helps.
        env.host.advance(25 * 3600 * 1000).await;
        match observe(&graph, &plan, &inputs).await {
            Err(provision::ObserveError::SignInRequired(why)) => {
                // The 24-hour end of a single-page app's sign-in, said as such.
                assert_eq!(why, TokenError::SessionEnded);
                assert!(why.to_string().contains("Sign in again"), "{why}")
            }
            other => panic!("expected sign-in required, got {other:?}"),
        }
    }
    // The admin signs in again; the page (and the lost secret's value) are gone.
    let session = env.sign_in(users::GLOBAL_ADMIN_UPN, &plan).await;
    let tokens = env.tokens(session.clone());
    let inputs = Inputs {
        now_ms: env.host.now_ms(),
        ..inputs
    };
    let o = run(&env, &tokens, &plan, &inputs).await;
    assert_completed(&o);
    let result = o.report.result().cloned().unwrap();
    let state = env.state().await;
    assert_eq!(
        apps(&state, &provision::unique_name_for("novus-calendarsync")).len(),
        1
    );
    assert_eq!(sps_of(&state, &result.client_id).len(), 1);
    let app = apps(&state, &provision::unique_name_for("novus-calendarsync"))[0];
    let creds = app["passwordCredentials"].as_array().unwrap();
    assert_eq!(
        creds.len(),
        1,
        "the secret whose value was lost is replaced, not kept beside: {creds:?}"
    );
    assert_eq!(
        creds[0]["keyId"],
        result.secret.as_ref().unwrap().key_id.as_str()
    );
    assert_ne!(creds[0]["keyId"], lost_key.as_str());
    assert_eq!(
        assignments_of(&state, &sp_id_of(&state, &result.client_id)).len(),
        2
    );
}

#[tokio::test]
async fn incremental_consent_signs_in_small_and_asks_for_the_run_scopes_later() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("nango-microsoft-teams", Some(NANGO_CALLBACK));
    let small = support::sign_in(
        &env.sim,
        &env.config,
        &env.endpoints,
        &env.transport,
        &env.host,
        users::GLOBAL_ADMIN_UPN,
        scopes::sign_in(env.config.cloud),
    )
    .await;
    let missing = small.missing_scopes(&scopes::for_run(&plan, env.config.cloud), env.config.cloud);
    assert!(
        missing.contains(&"Application.ReadWrite.All".to_owned()),
        "{missing:?}"
    );
    assert!(
        !missing.contains(&"AppRoleAssignment.ReadWrite.All".to_owned()),
        "Teams has no application permissions"
    );
    let tokens = env.tokens(small.clone());
    let err = observe(&env.graph(&tokens), &plan, &env.inputs(&plan, &small))
        .await
        .unwrap_err();
    assert!(
        matches!(err, provision::ObserveError::Graph { ref failure, .. } if failure.http_status == Some(403)),
        "{err}"
    );

    let full = env.sign_in(users::GLOBAL_ADMIN_UPN, &plan).await;
    assert!(
        full.missing_scopes(&scopes::for_run(&plan, env.config.cloud), env.config.cloud)
            .is_empty(),
        "{:?}",
        full.scopes
    );
    let tokens = env.tokens(full.clone());
    observe(&env.graph(&tokens), &plan, &env.inputs(&plan, &full))
        .await
        .unwrap();
}

#[tokio::test]
async fn an_owner_without_a_role_hands_off_the_multi_tenant_service_principal_and_consent() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    // Kinde registers a multi-tenant app: its service principal needs an Application or
    // Cloud Application Administrator (serviceprincipal-upsert).
    let plan = plan(
        "kinde-microsoft-365",
        Some("https://contoso.kinde.com/connected_apps/callback"),
    );
    env.consent_assistant_for_org(&plan).await;
    let (_, tokens, inputs) = env.sign_in_for_run(users::ORDINARY_USER_UPN, &plan).await;
    let o = run(&env, &tokens, &plan, &inputs).await;
    assert_eq!(
        o.diff.action(&StepId::ServicePrincipal),
        provision::Action::NeedsAdmin,
        "said up front, not found out by a 403"
    );
    assert!(
        o.report.failed_steps().next().is_none(),
        "{:#?}",
        o.report.steps
    );
    let ReportOutcome::AwaitingConsent(result) = &o.report.outcome else {
        panic!("{:#?}", o.report);
    };
    let hand_off = result.consent.clone().unwrap();
    assert!(
        hand_off.url.contains("/v2.0/adminconsent?"),
        "{}",
        hand_off.url
    );
    assert!(hand_off.who.contains("Cloud Application Administrator"));
    let state = env.state().await;
    assert!(sps_of(&state, &result.client_id).is_empty());

    // A Global Administrator finishes it with the assistant's finish mode.
    let (_, ga_tokens, mut ga_inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;
    ga_inputs.finish_for = Some(result.client_id.clone());
    let finished = run(&env, &ga_tokens, &plan, &ga_inputs).await;
    assert_completed_and_verified(&env, &finished.report, &tokens, &plan, &inputs).await;
}

#[tokio::test]
async fn a_finish_link_for_another_client_id_is_refused_before_anything_is_written() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("novus-calendarsync", None);
    fresh_setup(&env, &plan).await;
    let before = footprint(&env.state().await);
    let (_, tokens, mut inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;
    inputs.finish_for = Some("00000000-0000-0000-0000-0000000000ff".into());
    let o = run(&env, &tokens, &plan, &inputs).await;
    assert!(
        o.diff.blocking.iter().any(|b| matches!(
            b,
            provision::Blocker::FinishLinkOtherClient { .. }
        ) && b.to_string().contains("Ask for a new link")),
        "{:?}",
        o.diff.blocking
    );
    assert!(matches!(o.report.outcome, ReportOutcome::Stopped(_)));
    assert_eq!(footprint(&env.state().await), before);
}

#[tokio::test]
async fn a_global_administrator_through_a_group_grants_everything_without_a_link() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("novus-calendarsync", None);
    // Graph app roles need a Global or Privileged Role Administrator: this admin's role
    // comes through a role-assignable group, which `/me/memberOf` does not show.
    let (_, tokens, inputs) = env
        .sign_in_for_run(users::GROUP_GLOBAL_ADMIN_UPN, &plan)
        .await;
    let o = run(&env, &tokens, &plan, &inputs).await;
    assert!(
        o.diff
            .capability_summary
            .contains("You are Global Administrator"),
        "{}",
        o.diff.capability_summary
    );
    assert_completed_and_verified(&env, &o.report, &tokens, &plan, &inputs).await;
}

#[tokio::test]
async fn an_admin_eligible_in_pim_is_told_to_activate_the_role() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("novus-calendarsync", None);
    env.consent_assistant_for_org(&plan).await;
    let (_, tokens, inputs) = env.sign_in_for_run(users::ELIGIBLE_ADMIN_UPN, &plan).await;
    let graph = env.graph(&tokens);
    let diff = review(&graph, &plan, &inputs).await;
    assert!(
        diff.capability_summary
            .contains("eligible for Privileged Role Administrator")
            && diff.capability_summary.contains("activate it in PIM"),
        "{}",
        diff.capability_summary
    );
    // Eligible is not active: the Graph app roles are left for the hand-off.
    assert!(diff
        .items
        .iter()
        .any(|i| i.action == provision::Action::NeedsAdmin));
}

/// What the simulator cannot play, in front of it: the answer to an `addPassword` lost
/// *after* the secret was added (the simulator's own `drop_connection` fault closes the
/// connection before the call is carried out). Reads that do not show a new secret yet the
/// simulator plays itself (its replication delay).
#[derive(Default)]
struct LostAnswers {
    /// Answers to `addPassword` still to lose.
    answers_to_lose: Cell<u32>,
    /// The secrets whose answers were lost.
    lost: RefCell<Vec<String>>,
}

impl LostAnswers {
    fn new(answers_to_lose: u32) -> Rc<LostAnswers> {
        Rc::new(LostAnswers {
            answers_to_lose: Cell::new(answers_to_lose),
            ..LostAnswers::default()
        })
    }

    fn wrap(self: &Rc<Self>, inner: BoxTransport) -> BoxTransport {
        let replica = self.clone();
        Box::new(move |req: HttpRequest| {
            let method = req.method().clone();
            let path = req.uri().path().to_owned();
            let sent = inner(req);
            let replica = replica.clone();
            Box::pin(async move {
                let response = sent.await?;
                if response.status().is_success()
                    && method == http::Method::POST
                    && path.starts_with("/v1.0/applications")
                    && path.ends_with("/addPassword")
                {
                    return replica.added(response);
                }
                Ok(response)
            }) as support::BoxFuture
        })
    }

    fn added(&self, response: HttpResponse) -> Result<HttpResponse, TransportError> {
        let body: Value = serde_json::from_slice(response.body()).unwrap();
        let key = body["keyId"].as_str().unwrap().to_owned();
        if self.answers_to_lose.get() > 0 {
            self.answers_to_lose.set(self.answers_to_lose.get() - 1);
            self.lost.borrow_mut().push(key);
            return Err(TransportError::dropped(
                "connection reset after the secret was added",
            ));
        }
        Ok(response)
    }
}

fn secret_keys(state: &Value, unique_name: &str) -> Vec<String> {
    apps(state, unique_name)[0]["passwordCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["keyId"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_lost_add_password_answer_during_replication_delay_leaves_exactly_one_secret() {
    let replica = LostAnswers::new(1);
    let env = env_through(
        entra_sim::SimConfig::default(),
        entra_sim::DEMO_TENANT_ID,
        |t| replica.wrap(t),
    )
    .await;
    let plan = plan("nango-microsoft-fabric", None);
    let (_, tokens, inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;
    let graph = env.graph(&tokens);
    let diff = review(&graph, &plan, &inputs).await;
    // The new application is not visible to reads for 20 s either.
    env.sim
        .control(
            "PATCH",
            "/knobs",
            Some(json!({"replication_delay_ms": 20_000})),
        )
        .await;
    let (report, events) = execute_recording(&env, &graph, &diff).await;
    assert!(report.completed(), "{report:#?}");

    let lost = replica.lost.borrow().clone();
    assert_eq!(lost.len(), 1, "precondition: one answer was lost");
    let waited: Vec<u32> = events
        .iter()
        .filter_map(|e| match &e.status {
            StepStatus::Retrying {
                why: RetryReason::ReplicationDelay,
                attempt,
                ..
            } if e.step == StepId::Secret => Some(*attempt),
            _ => None,
        })
        .collect();
    assert!(!waited.is_empty(), "the wait shows as replication delay");

    let result = report.result().cloned().unwrap();
    let secret = result.secret.as_ref().unwrap();
    assert_ne!(secret.key_id, lost[0]);
    let state = env.state().await;
    assert_eq!(
        secret_keys(
            &state,
            &provision::unique_name_for("nango-microsoft-fabric")
        ),
        [secret.key_id.as_str()],
        "exactly the secret whose value the admin holds"
    );
    app_token_claims(&env, &result).await;
}

#[tokio::test]
async fn a_secret_that_cannot_be_removed_fails_the_step_and_says_which_and_where() {
    let replica = LostAnswers::new(1);
    let env = env_through(
        entra_sim::SimConfig::default(),
        entra_sim::DEMO_TENANT_ID,
        |t| replica.wrap(t),
    )
    .await;
    let plan = plan("nango-microsoft-fabric", None);
    let (_, tokens, inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;
    env.sim.control("POST", "/faults", Some(json!(
        {"method": "POST", "path": "/v1.0/applications/*/removePassword", "kind": "service_unavailable", "count": null}
    ))).await;
    let o = run(&env, &tokens, &plan, &inputs).await;
    assert!(!o.report.completed());
    let lost = replica.lost.borrow()[0].clone();
    let failure = match o.report.status(&StepId::Secret) {
        Some(StepStatus::Failed(f)) => f.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(failure.http_status, Some(503));
    assert!(failure.what_to_do.contains(&lost), "{failure:?}");
    assert!(
        failure.what_to_do.contains(&format!(
            "App registrations > {} > Certificates & secrets",
            inputs.display_name
        )),
        "{failure:?}"
    );
    // The secret that could not be removed is still there, as the step says.
    let state = env.state().await;
    let keys = secret_keys(
        &state,
        &provision::unique_name_for("nango-microsoft-fabric"),
    );
    assert_eq!(keys.len(), 2);
    assert!(keys.contains(&lost));
}

/// Rotation without downtime: a second run with a new secret asked for leaves the first
/// working; once the admin confirms, only the secrets this assistant made are removed (by
/// default), and the vendor's new secret is the one that works.
#[tokio::test]
async fn rotation_keeps_both_secrets_until_confirmed_then_removes_only_the_assistants() {
    use entra_setup_core::automation::graph::{Call, Policy};
    use entra_setup_core::automation::provision::rotate::{old_secrets, remove_old, Removal};
    use entra_setup_core::graph_model::{Application, PasswordCredential};

    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("nango-microsoft-teams", Some(NANGO_CALLBACK));
    let first = fresh_setup(&env, &plan).await;
    let old_value = first.secret.clone().unwrap().value;

    // A secret the admin made in the portal, which the vendor might be using.
    let (_, tokens, mut inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;
    let graph = env.graph(&tokens);
    let object_id = first.application_object_id.clone();
    let by_hand: PasswordCredential = graph
        .send(
            Call::post(
                format!("/applications/{object_id}/addPassword"),
                json!({"passwordCredential": {"displayName": "Made in the portal"}}),
            ),
            Policy::ONCE,
            &|_| {},
        )
        .await
        .unwrap()
        .json()
        .unwrap();
    let by_hand_value = by_hand.secret_text.clone().unwrap();

    // Rotate: add the new secret.
    inputs.new_secret_requested = true;
    let o = run(&env, &tokens, &plan, &inputs).await;
    assert_completed(&o);
    let second = o.report.result().cloned().unwrap();
    let new = second.secret.clone().unwrap();
    assert_eq!(second.client_id, first.client_id, "the same registration");
    for (value, what) in [
        (&old_value, "the old secret"),
        (&new.value, "the new secret"),
        (&by_hand_value, "the hand-made secret"),
    ] {
        let (status, body) = client_credentials(&env, &first.client_id, value.expose()).await;
        assert_eq!(status, 200, "{what} works until the admin confirms: {body}");
    }

    // Confirmed: the old secrets offered, only the assistant's ticked by default.
    let app: Application = graph
        .send(
            Call::get(format!(
                "/applications/{object_id}?$select=id,passwordCredentials"
            )),
            Policy::IDEMPOTENT,
            &|_| {},
        )
        .await
        .unwrap()
        .json()
        .unwrap();
    let offered = old_secrets(&app, &new.key_id);
    let ticked: Vec<_> = offered.iter().filter(|s| s.made_here).cloned().collect();
    assert_eq!(offered.len(), 2, "{offered:?}");
    assert_eq!(ticked.len(), 1);
    let removed = remove_old(&graph, &object_id, &plan.display_name, &ticked).await;
    assert_eq!(removed, [(ticked[0].key_id().to_owned(), Removal::Removed)]);

    let (status, _) = client_credentials(&env, &first.client_id, old_value.expose()).await;
    assert_eq!(status, 401, "the old secret no longer works");
    for value in [&new.value, &by_hand_value] {
        let (status, body) = client_credentials(&env, &first.client_id, value.expose()).await;
        assert_eq!(status, 200, "{body}");
    }
    let state = env.state().await;
    let keys = secret_keys(&state, &inputs.unique_name(&plan));
    assert_eq!(
        keys.len(),
        2,
        "the new secret and the hand-made one: {keys:?}"
    );
    assert!(keys.contains(&new.key_id));

    // Removing it again finds nothing to remove, and says so.
    let again = remove_old(&graph, &object_id, &plan.display_name, &ticked).await;
    assert_eq!(again[0].1, Removal::AlreadyGone);
}

/// Adopt mode on Northwind's Kinde app, made in the portal: the missing parts are added,
/// nothing is removed, its name and secret are kept, it gets this assistant's unique name
/// and tags, Verify passes, and a later ordinary run finds it and creates nothing.
#[tokio::test]
async fn adopting_a_hand_made_registration_adds_only_what_is_missing_and_later_runs_find_it() {
    const KINDE_BY_HAND: &str = "e7c3a1f0-2b4d-4c6e-8a9b-0c1d2e3f4a01";
    let env = env(entra_sim::HAND_MADE_TENANT_ID).await;
    let plan = plan(
        "kinde-microsoft-365",
        Some("https://northwind.kinde.com/connected_apps/callback"),
    );
    let before = env.state().await;
    let app_before = objects_where(&before, "applications", "appId", KINDE_BY_HAND)[0].clone();
    let (_, tokens, mut inputs) = env.sign_in_for_run(users::HAND_MADE_ADMIN_UPN, &plan).await;
    inputs.adopt = Some(KINDE_BY_HAND.to_owned());
    let o = run(&env, &tokens, &plan, &inputs).await;
    assert!(o.diff.blocking.is_empty(), "{:?}", o.diff.blocking);
    assert_eq!(
        o.diff.action(&StepId::Application),
        provision::Action::Change
    );
    assert_eq!(o.diff.action(&StepId::Secret), provision::Action::Keep);
    assert_completed_and_verified(&env, &o.report, &tokens, &plan, &inputs).await;

    let after = env.state().await;
    assert_eq!(
        after["applications"].as_array().unwrap().len(),
        before["applications"].as_array().unwrap().len(),
        "no second app"
    );
    let app = objects_where(&after, "applications", "appId", KINDE_BY_HAND)[0];
    assert_eq!(app["id"], app_before["id"]);
    assert_eq!(app["uniqueName"], inputs.unique_name(&plan));
    assert!(app["tags"]
        .as_array()
        .unwrap()
        .contains(&json!("entra-setup-assistant:kinde-microsoft-365")));
    assert_eq!(app["displayName"], "Kinde", "its name is kept");
    assert_eq!(
        app["passwordCredentials"], app_before["passwordCredentials"],
        "its secret is kept"
    );
    assert_eq!(app["web"], app_before["web"]);
    assert_eq!(
        app["requiredResourceAccess"], app_before["requiredResourceAccess"],
        "it already requested what Kinde needs; nothing was removed"
    );

    // A later ordinary run (the name the page keeps) finds it and changes nothing.
    let (_, tokens, mut again) = env.sign_in_for_run(users::HAND_MADE_ADMIN_UPN, &plan).await;
    again.display_name = "Kinde".into();
    let o = run(&env, &tokens, &plan, &again).await;
    assert_completed(&o);
    assert!(
        o.diff
            .items
            .iter()
            .all(|i| matches!(i.action, provision::Action::Keep | provision::Action::Skip)),
        "{:#?}",
        o.diff.items
    );
    assert_eq!(
        footprint(&env.state().await),
        footprint(&after),
        "nothing created"
    );
}

#[tokio::test]
async fn adopting_needs_an_existing_registration_that_is_not_a_second_copy() {
    let env = env(entra_sim::HAND_MADE_TENANT_ID).await;
    let teams = plan("nango-microsoft-teams", Some(NANGO_CALLBACK));
    let (_, tokens, mut inputs) = env
        .sign_in_for_run(users::HAND_MADE_ADMIN_UPN, &teams)
        .await;
    let graph = env.graph(&tokens);

    inputs.adopt = Some("00000000-0000-4000-8000-00000000beef".into());
    let d = review(&graph, &teams, &inputs).await;
    assert!(
        matches!(&d.blocking[..], [provision::Blocker::AdoptNotFound { .. }]),
        "{:?}",
        d.blocking
    );

    // The Outlook app is not Teams', and Teams already has its managed registration.
    inputs.adopt = Some("e7c3a1f0-2b4d-4c6e-8a9b-0c1d2e3f4a03".into());
    let d = review(&graph, &teams, &inputs).await;
    assert!(
        matches!(&d.blocking[..], [provision::Blocker::AdoptConflict { .. }]),
        "{:?}",
        d.blocking
    );
}

/// A second run right after the first, before the tenant-wide grant the first made has
/// reached every replica: the review cannot see the grant, Graph refuses a second one
/// ("already exists"), and the lookup of the existing grant may not show it yet either. Entra
/// replicates writes for up to minutes (graph-facts §5, [SUPPORT-404]); the run waits, as
/// for any replication delay, and merges into the grant: one grant, nothing failed.
#[tokio::test]
async fn a_rerun_before_the_new_grant_replicates_merges_into_it() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("nango-microsoft-teams", Some(NANGO_CALLBACK));
    let (_, tokens, inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;
    env.sim
        .control(
            "PATCH",
            "/knobs",
            Some(json!({"replication_delay_ms": 20_000})),
        )
        .await;
    let first = run(&env, &tokens, &plan, &inputs).await;
    assert_completed(&first);
    let second = run(&env, &tokens, &plan, &inputs).await;
    assert_completed(&second);

    let client_id = first.report.result().unwrap().client_id.clone();
    let state = env.state().await;
    let sp = sp_id_of(&state, &client_id);
    assert_eq!(grants_of(&state, &sp).len(), 1, "one tenant-wide grant");
}

/// The review's items for permissions beyond the catalog entry.
fn extra_steps(diff: &Diff) -> Vec<StepId> {
    diff.items
        .iter()
        .filter(|i| matches!(i.step, StepId::Extra { .. }))
        .map(|i| i.step.clone())
        .collect()
}

/// `requiredResourceAccess` as `api/id/type` strings.
fn requested_access(app: &Value) -> Vec<String> {
    app["requiredResourceAccess"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|r| {
            r["resourceAccess"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |a| {
                    format!(
                        "{}/{}/{}",
                        r["resourceAppId"].as_str().unwrap(),
                        a["id"].as_str().unwrap(),
                        a["type"].as_str().unwrap()
                    )
                })
        })
        .collect()
}

/// Adopting Northwind's Outlook app, which holds two Graph application permissions beyond
/// its entry: the review lists both and keeps them; the one the admin ticks goes from the
/// registration and its app role assignment, the other stays; Verify passes; and a later run
/// lists only what is left. The 2019 Kinde app's retired Azure AD Graph permission goes the
/// same way, from the request only (it was never granted).
#[tokio::test]
async fn adopting_removes_only_the_permissions_beyond_the_entry_that_the_admin_ticks() {
    const OUTLOOK: &str = "e7c3a1f0-2b4d-4c6e-8a9b-0c1d2e3f4a03";
    const OUTLOOK_SP: &str = "8a3d5f70-1c2e-4b4a-9d6f-0e1a2b3c4d03";
    const KINDE_2019: &str = "e7c3a1f0-2b4d-4c6e-8a9b-0c1d2e3f4a04";
    let env = env(entra_sim::HAND_MADE_TENANT_ID).await;
    let outlook = plan(
        "nango-microsoft-outlook",
        Some("https://nango.northwind.example/oauth/callback"),
    );
    let before = env.state().await;
    let app_before = objects_where(&before, "applications", "appId", OUTLOOK)[0].clone();
    let assigned = |state: &Value| -> Vec<String> {
        objects_where(state, "appRoleAssignments", "principalId", OUTLOOK_SP)
            .iter()
            .map(|a| a["appRoleId"].as_str().unwrap().to_owned())
            .collect()
    };
    let roles_before = assigned(&before);
    assert_eq!(roles_before.len(), 2, "the seed's two extras");

    let (tokens, mut inputs) = env
        .sign_in_to_repair(users::HAND_MADE_ADMIN_UPN, &outlook)
        .await;
    inputs.adopt = Some(OUTLOOK.to_owned());
    let graph = env.graph(&tokens);
    let reviewed = review(&graph, &outlook, &inputs).await;
    let extras = extra_steps(&reviewed);
    assert_eq!(extras.len(), 2, "{:#?}", reviewed.items);
    for e in &reviewed.extras {
        assert_eq!(e.kind, catalog::PermissionType::Application);
        assert!(e.requested && e.assignment.is_some(), "{e:?}");
        assert!(e.value.is_some(), "named from the tenant: {e:?}");
        assert_eq!(reviewed.action(&e.step()), provision::Action::Keep);
    }
    let ticked = &reviewed.extras[0];
    let kept = &reviewed.extras[1];
    let diff = reviewed.removing(std::slice::from_ref(&ticked.step()));
    assert_eq!(diff.action(&ticked.step()), provision::Action::Remove);
    assert_eq!(diff.action(&kept.step()), provision::Action::Keep);
    let (report, _) = execute_recording(&env, &graph, &diff).await;
    assert_completed_and_verified(&env, &report, &tokens, &outlook, &inputs).await;

    let after = env.state().await;
    let app = objects_where(&after, "applications", "appId", OUTLOOK)[0].clone();
    let gone = ticked.id.clone().unwrap();
    let stays = kept.id.clone().unwrap();
    let access = requested_access(&app);
    assert!(!access.iter().any(|a| a.contains(&gone)), "{access:?}");
    assert!(access.iter().any(|a| a.contains(&stays)), "{access:?}");
    assert_eq!(
        access.len(),
        requested_access(&app_before).len() - 1,
        "only the ticked one went"
    );
    assert_eq!(assigned(&after), vec![stays.clone()]);
    assert_eq!(
        app["passwordCredentials"],
        app_before["passwordCredentials"]
    );

    // A later run lists only the one left, and removes nothing by itself.
    let again = review(&graph, &outlook, &inputs).await;
    assert_eq!(extra_steps(&again), vec![kept.step()]);
    assert!(again.nothing_to_do(), "{:#?}", again.items);

    // The 2019 Kinde app: Azure AD Graph, retired, requested but never granted.
    let kinde = plan(
        "kinde-microsoft-365",
        Some("https://northwind.kinde.com/connected_apps/callback"),
    );
    let (tokens, mut inputs) = env
        .sign_in_to_repair(users::HAND_MADE_ADMIN_UPN, &kinde)
        .await;
    inputs.adopt = Some(KINDE_2019.to_owned());
    let graph = env.graph(&tokens);
    let reviewed = review(&graph, &kinde, &inputs).await;
    let [retired] = &reviewed.extras[..] else {
        panic!("{:#?}", reviewed.extras);
    };
    assert!(
        retired.api_name.contains("Azure AD Graph")
            || retired.api_name.contains("Azure Active Directory Graph"),
        "{retired:?}"
    );
    assert!(retired.requested && retired.grant_id.is_none());
    let diff = reviewed.removing(&[retired.step()]);
    let (report, _) = execute_recording(&env, &graph, &diff).await;
    assert_completed_and_verified(&env, &report, &tokens, &kinde, &inputs).await;
    let app = objects_where(&env.state().await, "applications", "appId", KINDE_2019)[0].clone();
    assert_eq!(
        requested_access(&app)
            .iter()
            .filter(|a| a.starts_with("00000002-0000-0000-c000-000000000000"))
            .count(),
        0,
        "{app:#}"
    );
    assert_eq!(requested_access(&app).len(), 2, "Graph's two stay");
}

/// A delegated permission an admin consented to by hand beside a managed setup: the review
/// lists it on the tenant-wide grant, nothing changes until it is ticked, and ticking it
/// narrows that grant to what the integration needs (the grant itself stays).
#[tokio::test]
async fn a_ticked_delegated_extra_narrows_the_tenant_wide_grant() {
    use entra_setup_core::automation::graph::{Call, Policy};

    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let teams = plan("nango-microsoft-teams", Some(NANGO_CALLBACK));
    let first = fresh_setup(&env, &teams).await;
    let state = env.state().await;
    let sp = objects_where(&state, "servicePrincipals", "appId", &first.client_id)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let grant = objects_where(&state, "oauth2PermissionGrants", "clientId", &sp)[0].clone();
    let scope = grant["scope"].as_str().unwrap().to_owned();

    let (_, tokens, inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &teams).await;
    let graph = env.graph(&tokens);
    let widened = graph
        .send(
            Call::patch(
                format!("/oauth2PermissionGrants/{}", grant["id"].as_str().unwrap()),
                json!({"scope": format!("{scope} Files.ReadWrite.All")}),
            ),
            Policy::ONCE,
            &|_| {},
        )
        .await
        .unwrap();
    assert!(widened.ok(), "{} {:?}", widened.status, widened.error());

    let reviewed = review(&graph, &teams, &inputs).await;
    let [extra] = &reviewed.extras[..] else {
        panic!("{:#?}", reviewed.extras);
    };
    assert_eq!(extra.value.as_deref(), Some("Files.ReadWrite.All"));
    assert_eq!(extra.grant_id.as_deref(), grant["id"].as_str());
    assert!(!extra.requested);
    assert!(
        reviewed.nothing_to_do(),
        "kept unless ticked: {:#?}",
        reviewed.items
    );

    let diff = reviewed.removing(&[extra.step()]);
    assert!(!diff.nothing_to_do());
    let (report, _) = execute_recording(&env, &graph, &diff).await;
    assert!(report.completed(), "{report:#?}");
    let after = env.state().await;
    let grants = objects_where(&after, "oauth2PermissionGrants", "clientId", &sp);
    assert_eq!(grants.len(), 1);
    assert_eq!(grants[0]["scope"].as_str().unwrap(), scope);
}

/// Consent on APIs outside the plan, which the registration does not request (consent lives
/// on the service principal and outlasts the request): a Teams setup (Graph only) that an
/// admin also granted SharePoint's `AllSites.FullControl` and Exchange Online's
/// `full_access_as_app` by hand. The review names both, from those APIs' own service
/// principals, and keeps them unless ticked; ticking both deletes the grant and the
/// assignment, and the next review lists nothing beyond the entry.
#[tokio::test]
async fn consent_on_apis_outside_the_plan_is_listed_and_removed_when_ticked() {
    use entra_setup_core::automation::graph::{Call, Policy};
    const SHAREPOINT: &str = "00000003-0000-0ff1-ce00-000000000000";
    const EXCHANGE: &str = "00000002-0000-0ff1-ce00-000000000000";
    const FULL_ACCESS_AS_APP: &str = "dc890d15-9560-4a4c-9b7f-a736ec74ec40";

    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let teams = plan("nango-microsoft-teams", Some(NANGO_CALLBACK));
    assert!(
        teams
            .by_api()
            .iter()
            .all(|g| g.api_app_id != SHAREPOINT && g.api_app_id != EXCHANGE),
        "both APIs are outside the plan"
    );
    let first = fresh_setup(&env, &teams).await;
    let state = env.state().await;
    let client = sp_id_of(&state, &first.client_id);
    let sharepoint = sp_id_of(&state, SHAREPOINT);
    let exchange = sp_id_of(&state, EXCHANGE);

    // Repair's sign-in: the run's scopes and both consent-writing ones (the Exchange Online
    // assignment needs AppRoleAssignment.ReadWrite.All, which a delegated-only run lacks).
    let (tokens, inputs) = env.sign_in_to_repair(users::GLOBAL_ADMIN_UPN, &teams).await;
    let graph = env.graph(&tokens);
    for (path, body) in [
        (
            "/oauth2PermissionGrants".to_owned(),
            json!({"clientId": client, "consentType": "AllPrincipals",
                   "resourceId": sharepoint, "scope": "AllSites.FullControl"}),
        ),
        (
            format!("/servicePrincipals/{client}/appRoleAssignments"),
            json!({"principalId": client, "resourceId": exchange, "appRoleId": FULL_ACCESS_AS_APP}),
        ),
    ] {
        let made = graph
            .send(Call::post(path, body), Policy::ONCE, &|_| {})
            .await
            .unwrap();
        assert!(made.ok(), "{} {:?}", made.status, made.error());
    }

    let reviewed = review(&graph, &teams, &inputs).await;
    let mut names: Vec<String> = reviewed.extras.iter().map(|e| e.name()).collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            "Office 365 Exchange Online full_access_as_app (Application)",
            "SharePoint AllSites.FullControl (Delegated)",
        ],
        "{:#?}",
        reviewed.extras
    );
    for e in &reviewed.extras {
        assert!(!e.requested, "{e:?}");
        assert!(e.grant_id.is_some() || e.assignment.is_some(), "{e:?}");
        assert_eq!(reviewed.action(&e.step()), provision::Action::Keep);
    }
    assert!(
        reviewed.nothing_to_do(),
        "kept unless ticked: {:#?}",
        reviewed.items
    );

    let ticked: Vec<StepId> = reviewed.extras.iter().map(|e| e.step()).collect();
    let diff = reviewed.removing(&ticked);
    let (report, _) = execute_recording(&env, &graph, &diff).await;
    assert_completed_and_verified(&env, &report, &tokens, &teams, &inputs).await;
    let after = env.state().await;
    assert!(
        grants_of(&after, &client)
            .iter()
            .all(|g| g["resourceId"].as_str() != Some(sharepoint.as_str())),
        "the SharePoint grant is gone"
    );
    assert!(
        assignments_of(&after, &client)
            .iter()
            .all(|a| a["resourceId"].as_str() != Some(exchange.as_str())),
        "the Exchange Online assignment is gone"
    );
    assert!(
        !grants_of(&after, &client).is_empty(),
        "Graph's grant stays"
    );

    let again = review(&graph, &teams, &inputs).await;
    assert!(again.extras.is_empty(), "{:#?}", again.extras);
}

/// A tenant that requires a Service management reference on every new registration refuses
/// the assistant's create (400 `ServiceTreeValueMissing`). The run stops at the registration
/// with nothing made and says what to do: create it in the portal with the reference, then
/// adopt it. Done so, the adopted registration gets everything else and keeps its reference.
#[tokio::test]
async fn a_tenant_that_requires_a_service_management_reference_is_told_to_adopt() {
    use entra_setup_core::automation::graph::{Call, ErrorClass, Policy};

    let env = env(entra_sim::DEMO_TENANT_ID).await;
    env.sim
        .control(
            "PATCH",
            "/knobs",
            Some(json!({"service_management_reference_required": true})),
        )
        .await;
    let teams = plan("nango-microsoft-teams", Some(NANGO_CALLBACK));
    let before = env.state().await["applications"].as_array().unwrap().len();
    let (_, tokens, inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &teams).await;
    let refused = run(&env, &tokens, &teams, &inputs).await;
    assert!(!refused.report.completed(), "{:#?}", refused.report);
    let Some(StepStatus::Failed(failure)) = refused.report.status(&StepId::Application) else {
        panic!("{:#?}", refused.report);
    };
    assert_eq!(failure.code.as_deref(), Some("ServiceTreeValueMissing"));
    assert_eq!(
        failure.what_to_do,
        ErrorClass::ServiceManagementReferenceRequired.what_to_do()
    );
    assert_eq!(
        env.state().await["applications"].as_array().unwrap().len(),
        before,
        "nothing was created"
    );

    // The admin creates it in the portal, with the reference.
    let (tokens, mut inputs) = env.sign_in_to_repair(users::GLOBAL_ADMIN_UPN, &teams).await;
    let graph = env.graph(&tokens);
    let made = graph
        .send(
            Call::post(
                "/applications",
                json!({"displayName": "Nango Teams", "serviceManagementReference": "7c1f1e0a-5f0e-4c39-9f0b-2f1d6a1b0c3d"}),
            ),
            Policy::ONCE,
            &|_| {},
        )
        .await
        .unwrap();
    assert!(made.ok(), "{} {:?}", made.status, made.error());
    let client_id = made.json::<Value>().unwrap()["appId"]
        .as_str()
        .unwrap()
        .to_owned();
    inputs.adopt = Some(client_id.clone());
    let adopted = run(&env, &tokens, &teams, &inputs).await;
    assert_completed(&adopted);
    assert_eq!(adopted.report.result().unwrap().client_id, client_id);
    let app = objects_where(&env.state().await, "applications", "appId", &client_id)[0].clone();
    assert_eq!(
        app["serviceManagementReference"],
        "7c1f1e0a-5f0e-4c39-9f0b-2f1d6a1b0c3d"
    );
}

/// Adopt mode's search by name: registrations whose name starts with what the admin typed,
/// in any case, with their client IDs; a quote in the name is no syntax error.
#[tokio::test]
async fn adopt_search_finds_registrations_by_the_start_of_their_name() {
    use entra_setup_core::automation::provision::search;

    let env = env(entra_sim::HAND_MADE_TENANT_ID).await;
    let kinde = plan("kinde-microsoft-365", None);
    let (_, tokens, _) = env
        .sign_in_for_run(users::HAND_MADE_ADMIN_UPN, &kinde)
        .await;
    let graph = env.graph(&tokens);
    let found = search::by_name(&graph, "  kinde ").await.unwrap();
    let mut names: Vec<(&str, &str)> = found
        .found
        .iter()
        .map(|f| (f.display_name.as_str(), f.app_id.as_str()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        vec![
            ("Kinde", "e7c3a1f0-2b4d-4c6e-8a9b-0c1d2e3f4a01"),
            ("Kinde (2019)", "e7c3a1f0-2b4d-4c6e-8a9b-0c1d2e3f4a04"),
        ]
    );
    assert!(!found.more);
    assert!(found.found.iter().all(|f| !f.has_unique_name));
    let none = search::by_name(&graph, "O'Brien's app").await.unwrap();
    assert!(none.found.is_empty() && !none.more);
}

/// The secret a run on this page added, deleted in the portal meanwhile: once longer ago than
/// replication's wait, the review takes the directory at its word at once (one read, no
/// wait) and offers a new secret; within it, it still waits (the test above).
#[tokio::test]
async fn a_recent_secret_deleted_long_ago_does_not_hold_the_review() {
    use entra_setup_core::automation::graph::client::replication_wait_ms;
    use entra_setup_core::automation::graph::{Call, Policy};

    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("nango-microsoft-fabric", None);
    let first = fresh_setup(&env, &plan).await;
    let key_id = first.secret.clone().unwrap().key_id;
    let (_, tokens, mut inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;
    let graph = env.graph(&tokens);
    let removed = graph
        .send(
            Call::post(
                format!(
                    "/applications/{}/removePassword",
                    first.application_object_id
                ),
                json!({"keyId": key_id}),
            ),
            Policy::ONCE,
            &|_| {},
        )
        .await
        .unwrap();
    assert!(removed.ok(), "{} {:?}", removed.status, removed.error());

    inputs.recent_secrets = vec![key_id];
    inputs.recent_secrets_at_ms =
        Some(inputs.now_ms - i64::try_from(replication_wait_ms()).unwrap() - 1);
    let slept_before = env.host.total_slept_ms();
    let reviewed = review(&graph, &plan, &inputs).await;
    assert_eq!(env.host.total_slept_ms(), slept_before, "no wait");
    assert_eq!(
        reviewed.action(&StepId::Secret),
        provision::Action::Create,
        "{:#?}",
        reviewed.items
    );

    // Within the wait, the same review waits for the secret before it gives up, and says
    // so before each wait (the page shows it under "Reading your tenant…").
    inputs.recent_secrets_at_ms = Some(inputs.now_ms);
    let notices = std::cell::RefCell::new(Vec::new());
    provision::observe_with(&graph, &plan, &inputs, &|n| notices.borrow_mut().push(n))
        .await
        .expect("observe");
    let notices = notices.into_inner();
    let waited = env.host.total_slept_ms() - slept_before;
    assert!(waited > 0, "it waited");
    assert_eq!(
        notices.iter().map(|n| n.wait_ms).sum::<u64>(),
        waited,
        "every wait was announced: {notices:?}"
    );
    assert!(
        notices
            .iter()
            .all(|n| n.reason == entra_setup_core::automation::graph::RetryReason::ReplicationDelay),
        "{notices:?}"
    );
    assert_eq!(
        notices[0].to_string(),
        "Waiting for Microsoft Entra to catch up: the new object has not reached every replica yet (attempt 2, next try in 1.0 s)"
    );
}

/// "Review again" seconds after a run, before what it made has reached every replica
/// (graph-facts §5.3): the review must not read the missing registration and secret as
/// "none" and add a second secret. The page passes the Secret IDs its runs added; the review
/// waits for the directory to show them, as for any replication delay, and keeps the one.
#[tokio::test]
async fn a_rerun_before_the_new_secret_replicates_adds_no_second_secret() {
    let env = env(entra_sim::DEMO_TENANT_ID).await;
    let plan = plan("nango-microsoft-fabric", None);
    let (_, tokens, inputs) = env.sign_in_for_run(users::GLOBAL_ADMIN_UPN, &plan).await;
    let first = run(&env, &tokens, &plan, &inputs).await;
    assert_completed(&first);
    let key_id = first
        .report
        .result()
        .unwrap()
        .secret
        .clone()
        .unwrap()
        .key_id;
    // Nothing the run made is on the replicas the next reads reach.
    env.sim
        .control(
            "PATCH",
            "/knobs",
            Some(json!({"replication_delay_ms": 20_000})),
        )
        .await;

    // The page's next run: a new run ID, and the Secret ID its last run added.
    let mut again = inputs.clone();
    again.run_id = "second".into();
    again.recent_secrets = vec![key_id.clone()];
    let second = run(&env, &tokens, &plan, &again).await;
    assert_completed(&second);
    assert_eq!(
        second.diff.action(&StepId::Secret),
        provision::Action::Keep,
        "{:#?}",
        second.diff.items
    );
    assert_eq!(
        secret_keys(&env.state().await, &inputs.unique_name(&plan)),
        vec![key_id]
    );
}
