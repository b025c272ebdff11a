//! The fault matrix: for three integrations (delegated with admin consent, application
//! permissions, three APIs with a missing resource service principal), every fault injected
//! one at a time at every Graph path a clean run calls, against entra-sim in-process. Every
//! cell must complete (or pause for a new sign-in and complete when resumed with the same run
//! id) with exactly one app, one service principal, the asked-for secret, one grant per
//! resource and one assignment per app role, read from the simulator's state.
//!
//! Faults the simulator injects itself (`/_sim/faults`, `/_sim/knobs`): 503, 504 with
//! Retry-After, a connection dropped before the call is carried out, an expired token, 429
//! with Retry-After (its throttle), and replication delay (404 / NoBackingApplicationObject on
//! new objects). Faults played in front of it by [`Injector`]: a connection dropped *after* the
//! call was carried out, and the 400/403/404 answers of a replica that does not know a new
//! object yet (go-azure-sdk `sdk/odata/errors.go`; see `graph::error::ReplicationForm`).
#![cfg(feature = "automation")]

use entra_setup_testkit as support;

use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;

use entra_setup_core::automation::auth::{scopes, Discovery, SessionTokens};
use entra_setup_core::automation::config::AppConfig;
use entra_setup_core::automation::graph::Graph;
use entra_setup_core::automation::host::{Host, HttpRequest, HttpResponse, TransportError};
use entra_setup_core::automation::provision::{
    self, execute, observe, ExecOptions, Inputs, Report,
};
use entra_setup_core::catalog::{self, PermissionType};
use entra_setup_core::plan::{Options, Plan};
use entra_sim::users;
use serde_json::{json, Value};
use support::{BoxFuture, BoxTransport, Sim, SimHost, Waves};

const NANGO_CALLBACK: &str = "https://api.nango.dev/oauth/callback";
const WINDOWS_DEFENDER_ATP: &str = "fc780465-2017-40d4-a0c5-307022471b92";

/// An integration of the matrix and where it is set up.
struct Case {
    id: &'static str,
    redirect: Option<&'static str>,
    tenant: &'static str,
    admin: &'static str,
}

const CASES: [Case; 3] = [
    Case {
        id: "nango-microsoft-teams",
        redirect: Some(NANGO_CALLBACK),
        tenant: entra_sim::DEMO_TENANT_ID,
        admin: users::GLOBAL_ADMIN_UPN,
    },
    Case {
        id: "novus-calendarsync",
        redirect: None,
        tenant: entra_sim::DEMO_TENANT_ID,
        admin: users::GLOBAL_ADMIN_UPN,
    },
    Case {
        id: "nango-microsoft-defender",
        redirect: Some(NANGO_CALLBACK),
        tenant: entra_sim::NO_DEFENDER_TENANT_ID,
        admin: users::NO_DEFENDER_GLOBAL_ADMIN_UPN,
    },
];

impl Case {
    fn plan(&self) -> Plan {
        let mut p = Plan::new(catalog::by_id(self.id).unwrap(), &Options::default());
        p.redirect_uri = self.redirect.map(str::to_owned);
        p
    }
}

/// One fault, injected once.
#[derive(Clone, Debug)]
enum Fault {
    /// A fault entra-sim injects (`/_sim/faults`) on the first call to `path`.
    Sim {
        method: String,
        path: String,
        kind: &'static str,
    },
    /// entra-sim's throttle: every Graph call beyond 2 in 10 s answers 429 with Retry-After.
    Throttle,
    /// entra-sim's replication delay: new objects are invisible to reads for 20 s.
    ReplicationDelay,
    /// The first call to `path` is carried out, and its answer lost.
    AnswerLost { method: String, path: String },
    /// The first call to `path` (alone or in a `$batch`) reaches a replica that does not know
    /// the new object: it is not carried out and answers `status` with `body`.
    ReplicaMiss {
        method: String,
        path: String,
        status: u16,
        body: Value,
    },
}

/// When a fault is injected: before the review's reads, or between review and execute.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Phase {
    Review,
    Execute,
}

/// A Graph call as the simulator logs it, with IDs made wildcards: `POST
/// /v1.0/applications/*/addPassword`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Step {
    phase: Phase,
    method: String,
    path: String,
    in_batch: bool,
}

fn is_guid(s: &str) -> bool {
    s.len() == 36
        && s.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// `/v1.0/servicePrincipals(appId='x')` → `/v1.0/servicePrincipals(appId=*)`, GUID segments → `*`.
fn wildcard(path: &str) -> String {
    path.split('/')
        .map(|segment| match segment.find("='") {
            Some(i) => format!("{}*)", &segment[..=i]),
            None if is_guid(segment) => "*".to_owned(),
            None => segment.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// `*` matches any run of characters, ASCII case-insensitively (Graph paths are).
fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern.eq_ignore_ascii_case(text),
        Some((head, tail)) => {
            text.len() >= head.len()
                && text.is_char_boundary(head.len())
                && text[..head.len()].eq_ignore_ascii_case(head)
                && (head.len()..=text.len())
                    .filter(|&i| text.is_char_boundary(i))
                    .any(|i| glob(tail, &text[i..]))
        }
    }
}

fn graph_error(code: &str, message: &str) -> Value {
    json!({"error": {"code": code, "message": message}})
}

/// The faults of one step.
fn faults_at(step: &Step) -> Vec<Fault> {
    let (method, path) = (step.method.clone(), step.path.clone());
    let sim = |kind| Fault::Sim {
        method: method.clone(),
        path: path.clone(),
        kind,
    };
    let mut faults = vec![
        sim("service_unavailable"),
        sim("gateway_timeout"),
        sim("drop_connection"),
        sim("token_expired"),
    ];
    if !step.in_batch {
        faults.push(Fault::AnswerLost {
            method: method.clone(),
            path: path.clone(),
        });
    }
    let miss = |status, body| Fault::ReplicaMiss {
        method: method.clone(),
        path: path.clone(),
        status,
        body,
    };
    let post = method == "POST";
    if post && glob("/v1.0/oauth2PermissionGrants", &path) {
        faults.push(miss(400, graph_error("Request_BadRequest",
            "Resource '2f1c2b55-3d04-4b1e-9a43-6c2b1d2e3f40' does not exist or one of its queried reference-property objects are not present.")));
        faults.push(miss(
            404,
            graph_error("Request_ResourceNotFound", "Resource not found."),
        ));
    }
    if post && glob("/v1.0/servicePrincipals/*/appRoleAssignedTo", &path) {
        faults.push(miss(
            400,
            graph_error("Request_BadRequest", "Not a valid reference update."),
        ));
        faults.push(miss(
            404,
            graph_error("Request_ResourceNotFound", "Resource not found."),
        ));
    }
    if method == "PATCH" && glob("/v1.0/servicePrincipals(appId=*)", &path) {
        faults.push(miss(400, json!({"error": {"code": "Request_BadRequest",
            "message": "The appId 'x' of the service principal does not reference a valid application object.",
            "details": [{"code": "NoBackingApplicationObject", "message": "m"}]}})));
        faults.push(miss(403, graph_error("Authorization_RequestDenied",
            "When using this permission, the backing application of the service principal being created must in the local tenant")));
    }
    if post && glob("/v1.0/applications/*/addPassword", &path) {
        faults.push(miss(
            404,
            graph_error("Request_ResourceNotFound", "Resource not found."),
        ));
    }
    faults
}

/// Plays [`Fault::AnswerLost`] and [`Fault::ReplicaMiss`] in front of the simulator.
#[derive(Default)]
struct Injector {
    fault: RefCell<Option<Fault>>,
    fired: Cell<bool>,
}

impl Injector {
    fn arm(&self, fault: Fault) {
        *self.fault.borrow_mut() = Some(fault);
    }

    /// Takes the fault if `method path` is its call.
    fn take(&self, method: &str, path: &str, in_batch: bool) -> Option<Fault> {
        let mut slot = self.fault.borrow_mut();
        let hit = match slot.as_ref()? {
            Fault::AnswerLost { method: m, path: p } => !in_batch && m == method && glob(p, path),
            Fault::ReplicaMiss {
                method: m, path: p, ..
            } => m == method && glob(p, path),
            _ => false,
        };
        self.fired.set(self.fired.get() || hit);
        hit.then(|| slot.take()).flatten()
    }

    fn wrap(self: &Rc<Self>, inner: BoxTransport) -> BoxTransport {
        let injector = self.clone();
        let inner = Rc::new(inner);
        Box::new(move |req: HttpRequest| {
            let injector = injector.clone();
            let inner = inner.clone();
            Box::pin(async move { injector.send(&inner, req).await }) as BoxFuture
        })
    }

    async fn send(
        &self,
        inner: &BoxTransport,
        req: HttpRequest,
    ) -> Result<HttpResponse, TransportError> {
        let method = req.method().as_str().to_owned();
        let path = req.uri().path().to_owned();
        if path.eq_ignore_ascii_case("/v1.0/$batch") {
            return self.send_batch(inner, req).await;
        }
        match self.take(&method, &path, false) {
            Some(Fault::AnswerLost { .. }) => {
                inner(req).await?;
                Err(TransportError::dropped(
                    "connection reset after the call was carried out",
                ))
            }
            Some(Fault::ReplicaMiss { status, body, .. }) => Ok(json_response(status, &body)),
            _ => inner(req).await,
        }
    }

    /// A `$batch` whose envelope may lose its answer, or one of whose items may miss.
    async fn send_batch(
        &self,
        inner: &BoxTransport,
        req: HttpRequest,
    ) -> Result<HttpResponse, TransportError> {
        if let Some(Fault::AnswerLost { .. }) = self.take("POST", "/v1.0/$batch", false) {
            inner(req).await?;
            return Err(TransportError::dropped(
                "connection reset after the batch was carried out",
            ));
        }
        let (parts, body) = req.into_parts();
        let mut batch: Value = serde_json::from_slice(&body).unwrap();
        let items = batch["requests"].as_array_mut().unwrap();
        let missed = items.iter().position(|item| {
            let url = item["url"].as_str().unwrap();
            let path = format!("/v1.0{}", url.split('?').next().unwrap());
            matches!(
                self.fault.borrow().as_ref(),
                Some(Fault::ReplicaMiss { method, path: p, .. })
                    if item["method"] == method.as_str() && glob(p, &path)
            )
        });
        let Some(index) = missed else {
            return inner(http::Request::from_parts(parts, body)).await;
        };
        let item = items.remove(index);
        let Some(Fault::ReplicaMiss {
            status,
            body: error,
            ..
        }) = self.fault.borrow_mut().take()
        else {
            unreachable!("matched above")
        };
        self.fired.set(true);
        let miss = json!({"id": item["id"], "status": status,
            "headers": {"Content-Type": "application/json"}, "body": error});
        if items.is_empty() {
            return Ok(json_response(200, &json!({"responses": [miss]})));
        }
        let forwarded = serde_json::to_vec(&batch).unwrap();
        let response = inner(http::Request::from_parts(parts, forwarded)).await?;
        let (parts, body) = response.into_parts();
        let mut answer: Value = serde_json::from_slice(&body).unwrap();
        answer["responses"].as_array_mut().unwrap().push(miss);
        Ok(http::Response::from_parts(
            parts,
            serde_json::to_vec(&answer).unwrap(),
        ))
    }
}

fn json_response(status: u16, body: &Value) -> HttpResponse {
    http::Response::builder()
        .status(status)
        .header("content-type", "application/json")
        .body(serde_json::to_vec(body).unwrap())
        .unwrap()
}

/// A fresh simulator for one cell, with the injector in front of it.
struct Tenant {
    sim: Sim,
    injector: Rc<Injector>,
    transport: BoxTransport,
    host: SimHost,
    config: AppConfig,
    endpoints: Discovery,
}

async fn tenant(case: &Case) -> Tenant {
    let sim = support::start_frozen(entra_sim::SimConfig::default()).await;
    let injector = Rc::new(Injector::default());
    let transport = injector.wrap(support::transport(
        sim.http.clone(),
        Rc::new(Waves::default()),
    ));
    let host = SimHost::new(&sim).await;
    let config = support::config(&sim, case.tenant);
    let endpoints = support::discover(&sim, &config).await;
    Tenant {
        sim,
        injector,
        transport,
        host,
        config,
        endpoints,
    }
}

type Tokens<'a> = SessionTokens<'a, BoxTransport, SimHost>;

impl Tenant {
    async fn sign_in(&self, case: &Case, plan: &Plan) -> SessionTokens<'_, BoxTransport, SimHost> {
        let session = support::sign_in(
            &self.sim,
            &self.config,
            &self.endpoints,
            &self.transport,
            &self.host,
            case.admin,
            scopes::for_run(plan, self.config.cloud),
        )
        .await;
        SessionTokens::new(
            &self.config,
            &self.endpoints,
            &self.transport,
            &self.host,
            session,
        )
    }

    /// Observe, diff, execute with `inputs`, the fault injected before `phase`.
    async fn run(
        &self,
        tokens: &Tokens<'_>,
        plan: &Plan,
        inputs: &Inputs,
        fault: Option<(&Fault, Phase)>,
    ) -> Result<Report, String> {
        let graph = Graph::new(
            &self.config.graph_base_url,
            &self.transport,
            &self.host,
            tokens,
        );
        let inject = |phase| async move {
            match fault {
                Some((fault, at)) if at == phase => self.inject(fault).await,
                _ => {}
            }
        };
        inject(Phase::Review).await;
        let observed = observe(&graph, plan, inputs)
            .await
            .map_err(|e| format!("observe: {e}"))?;
        let diff = provision::diff(plan, inputs, &observed);
        inject(Phase::Execute).await;
        let options = ExecOptions::new(&self.config);
        Ok(execute(&graph, &diff, &options, &|_| {}).await)
    }

    async fn inject(&self, fault: &Fault) {
        let control = |method, path, body| self.sim.control(method, path, Some(body));
        match fault {
            Fault::Sim { method, path, kind } => {
                control(
                    "POST",
                    "/faults",
                    json!({"method": method, "path": path, "kind": kind,
                    "count": 1, "retry_after_secs": 2}),
                )
                .await;
            }
            Fault::Throttle => {
                control(
                    "PATCH",
                    "/knobs",
                    json!({"throttle": {"max_requests": 2, "window_ms": 10_000}}),
                )
                .await;
            }
            Fault::ReplicationDelay => {
                control("PATCH", "/knobs", json!({"replication_delay_ms": 20_000})).await;
            }
            other => self.injector.arm(other.clone()),
        }
    }

    async fn calm(&self) {
        self.sim.control("DELETE", "/faults", None).await;
        self.sim
            .control(
                "PATCH",
                "/knobs",
                Some(json!({"replication_delay_ms": 0, "throttle": null})),
            )
            .await;
    }

    async fn state(&self, case: &Case) -> Value {
        self.sim.tenant_state(case.tenant).await
    }
}

fn inputs(tenant: &Tenant, plan: &Plan, tokens: &Tokens<'_>) -> Inputs {
    Inputs::from_plan(
        plan,
        provision::Admin::from_claims(&tokens.session().claims),
        tenant.host.now_ms(),
        &provision::execute::run_id_from_random(&support::random_bytes(6)),
    )
}

/// The Graph calls a clean run of `case` makes in each phase, from the simulator's log.
async fn steps_of(case: &Case) -> Vec<Step> {
    let tenant = tenant(case).await;
    let plan = case.plan();
    let tokens = tenant.sign_in(case, &plan).await;
    let inputs = inputs(&tenant, &plan, &tokens);
    let graph = Graph::new(
        &tenant.config.graph_base_url,
        &tenant.transport,
        &tenant.host,
        &tokens,
    );
    let mut steps = BTreeSet::new();
    tenant.sim.control("DELETE", "/requests", None).await;
    let observed = observe(&graph, &plan, &inputs).await.unwrap();
    steps.extend(tenant.logged(Phase::Review).await);
    let diff = provision::diff(&plan, &inputs, &observed);
    let options = ExecOptions::new(&tenant.config);
    let report = execute(&graph, &diff, &options, &|_| {}).await;
    assert!(
        report.completed(),
        "{}: the clean run did not complete: {report:#?}",
        case.id
    );
    steps.extend(tenant.logged(Phase::Execute).await);
    steps.into_iter().collect()
}

impl Tenant {
    /// The Graph calls logged since the last time, as steps of `phase`; clears the log.
    async fn logged(&self, phase: Phase) -> Vec<Step> {
        let log = self.sim.control("GET", "/requests", None).await;
        self.sim.control("DELETE", "/requests", None).await;
        log["requests"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["path"].as_str().unwrap().starts_with("/v1.0/"))
            .map(|r| Step {
                phase,
                method: r["method"].as_str().unwrap().to_owned(),
                path: wildcard(r["path"].as_str().unwrap()),
                in_batch: !r["batch_item_id"].is_null(),
            })
            .collect()
    }
}

/// What went wrong in a cell: not completed, or something made twice.
#[derive(Debug, Default)]
struct Verdict {
    completed: bool,
    duplicated: Vec<String>,
    problems: Vec<String>,
}

impl Verdict {
    fn expect(&mut self, what: &str, found: usize, wanted: usize) {
        let line = format!("{found} {what}, wanted {wanted}");
        match found.cmp(&wanted) {
            std::cmp::Ordering::Greater => self.duplicated.push(line),
            std::cmp::Ordering::Less => self.problems.push(line),
            std::cmp::Ordering::Equal => {}
        }
    }
}

/// Runs one cell: the fault, then (after a pause) a resumed run with the same run id.
async fn run_cell(case: &Case, fault: &Fault, phase: Phase) -> Verdict {
    let tenant = tenant(case).await;
    let plan = case.plan();
    let tokens = tenant.sign_in(case, &plan).await;
    let inputs = inputs(&tenant, &plan, &tokens);
    let mut verdict = Verdict::default();
    let mut report = match tenant
        .run(&tokens, &plan, &inputs, Some((fault, phase)))
        .await
    {
        Ok(r) => r,
        Err(e) => {
            verdict.problems.push(e);
            return verdict;
        }
    };
    tenant.calm().await;
    let mut secret = report.result().and_then(|r| r.secret.clone());
    if matches!(report.outcome, provision::Outcome::Paused(_)) {
        let tokens = tenant.sign_in(case, &plan).await;
        let resumed = Inputs {
            now_ms: tenant.host.now_ms(),
            ..inputs.clone()
        };
        match tenant.run(&tokens, &plan, &resumed, None).await {
            Ok(r) => {
                secret = r.result().and_then(|r| r.secret.clone()).or(secret);
                report = r;
            }
            Err(e) => verdict.problems.push(format!("resume: {e}")),
        }
    }
    verdict.completed = report.completed();
    if !verdict.completed {
        verdict.problems.push(format!(
            "not completed: {:?} failed {:?}",
            report.halted(),
            report
                .steps
                .iter()
                .filter(|s| matches!(s.status, provision::StepStatus::Failed(_)))
                .map(|s| format!("{}: {:?}", s.step.key(), s.status))
                .collect::<Vec<_>>()
        ));
    }
    if !tenant.injector.fired.get()
        && matches!(fault, Fault::AnswerLost { .. } | Fault::ReplicaMiss { .. })
    {
        verdict.problems.push("the fault never fired".into());
    }
    count_objects(
        &tenant.state(case).await,
        case,
        &plan,
        secret.map(|s| s.key_id),
        &mut verdict,
    );
    verdict
}

/// Exactly one app, one service principal (and one WindowsDefenderATP), one live secret (the
/// one the admin holds), one grant per resource with delegated permissions and one
/// assignment per app role.
fn count_objects(
    state: &Value,
    case: &Case,
    plan: &Plan,
    secret: Option<String>,
    verdict: &mut Verdict,
) {
    let list = |k: &str| state[k].as_array().cloned().unwrap_or_default();
    let unique = provision::unique_name_for(case.id);
    let apps: Vec<Value> = list("applications")
        .into_iter()
        .filter(|a| a["uniqueName"] == unique.as_str())
        .collect();

    verdict.expect("applications", apps.len(), 1);
    let Some(app) = apps.first() else { return };
    let sps = |app_id: &str| {
        list("servicePrincipals")
            .into_iter()
            .filter(|s| s["appId"] == app_id)
            .collect::<Vec<_>>()
    };
    let client = sps(app["appId"].as_str().unwrap());
    verdict.expect("service principals", client.len(), 1);
    if case.tenant == entra_sim::NO_DEFENDER_TENANT_ID {
        verdict.expect(
            "WindowsDefenderATP service principals",
            sps(WINDOWS_DEFENDER_ATP).len(),
            1,
        );
    }
    let creds = app["passwordCredentials"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    verdict.expect("secrets", creds.len(), 1);
    if creds.len() == 1 && secret.as_deref() != creds[0]["keyId"].as_str() {
        verdict
            .problems
            .push("the live secret is not the one shown".into());
    }
    let Some(sp_id) = client.first().map(|s| s["id"].clone()) else {
        return;
    };
    let delegated_apis: BTreeSet<String> = plan
        .permissions
        .iter()
        .filter(|p| p.kind == PermissionType::Delegated)
        .map(|p| p.api_app_id.to_ascii_lowercase())
        .collect();
    let grants = list("oauth2PermissionGrants")
        .into_iter()
        .filter(|g| g["clientId"] == sp_id)
        .count();
    verdict.expect("grants", grants, delegated_apis.len());
    let roles = plan
        .permissions
        .iter()
        .filter(|p| p.kind == PermissionType::Application)
        .count();
    let assignments = list("appRoleAssignments")
        .into_iter()
        .filter(|a| a["principalId"] == sp_id)
        .count();
    verdict.expect("app role assignments", assignments, roles);
}

#[tokio::test]
async fn fault_matrix_every_fault_at_every_step_completes_once() {
    let mut cells = 0;
    let mut completed = 0;
    let mut duplicated = 0;
    let mut failures = Vec::new();
    for case in &CASES {
        let mut faults = vec![
            (Fault::Throttle, Phase::Execute),
            (Fault::ReplicationDelay, Phase::Execute),
        ];
        for step in steps_of(case).await {
            faults.extend(faults_at(&step).into_iter().map(|f| (f, step.phase)));
        }
        for (fault, phase) in &faults {
            let verdict = run_cell(case, fault, *phase).await;
            cells += 1;
            completed += usize::from(
                verdict.completed && verdict.problems.is_empty() && verdict.duplicated.is_empty(),
            );
            duplicated += usize::from(!verdict.duplicated.is_empty());
            if !(verdict.completed && verdict.problems.is_empty() && verdict.duplicated.is_empty())
            {
                failures.push(format!("{} / {phase:?} {fault:?}: {verdict:?}", case.id));
            }
        }
    }
    println!("fault matrix: {cells} cells, {completed} completed, {duplicated} duplicated");
    assert!(
        cells > 100,
        "the matrix is generated from the runs' calls: {cells} cells"
    );
    assert!(
        failures.is_empty(),
        "{} cells failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn paths_become_patterns_that_match_them() {
    assert_eq!(
        wildcard("/v1.0/applications/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0/addPassword"),
        "/v1.0/applications/*/addPassword"
    );
    assert_eq!(
        wildcard("/v1.0/servicePrincipals(appId='00000003-0000-0000-c000-000000000000')"),
        "/v1.0/servicePrincipals(appId=*)"
    );
    assert!(glob(
        "/v1.0/servicePrincipals(appId=*)",
        "/v1.0/servicePrincipals(appId='x')"
    ));
    assert!(glob(
        "/v1.0/applications/*/addPassword",
        "/v1.0/APPLICATIONS/a/addPassword"
    ));
    assert!(!glob(
        "/v1.0/applications/*/addPassword",
        "/v1.0/applications/a/removePassword"
    ));
    assert!(!glob(
        "/v1.0/oauth2PermissionGrants",
        "/v1.0/oauth2PermissionGrants/g"
    ));
}
