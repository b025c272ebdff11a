//! Sends Graph calls alone, concurrently or in `$batch`es, and retries what Graph says may
//! be retried: 429 (Retry-After when readable, else backoff), 503/504 and lost connections
//! (backoff; 504 and lost connections only for idempotent calls), replication delay
//! (doubling waits), and an expired token (one refresh). Every wait goes through
//! [`Host::sleep`].

use std::cell::Cell;

use futures_util::future::join_all;

use super::batch::{self, BatchItem, BatchRequest, BatchResponse, MAX_BATCH};
use super::call::{Call, Reply};
use super::error::{classify, ErrorClass};
use crate::automation::host::{Host, TokenSource, Transport, TransportError};

/// How a group of independent calls travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Mode {
    /// In `$batch` requests of up to 20, the batches sent concurrently.
    Batched,
    /// Each call alone, all at once.
    Parallel,
    /// Each call alone, one after another (the benchmark's baseline).
    OneAtATime,
}

/// What the client may assume about a call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    /// Repeating it cannot create a second object (GET, PATCH, upsert, a POST that
    /// answers a repeat with 409). When false, a lost response is reported, not retried.
    pub idempotent: bool,
    /// It names an object this run just created: a 404 means "not replicated yet".
    pub just_created: bool,
}

impl Policy {
    pub const IDEMPOTENT: Policy = Policy {
        idempotent: true,
        just_created: false,
    };
    pub const AFTER_CREATE: Policy = Policy {
        idempotent: true,
        just_created: true,
    };
    pub const ONCE: Policy = Policy {
        idempotent: false,
        just_created: true,
    };
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum RetryReason {
    /// 429.
    Throttled,
    /// 503/504.
    Unavailable,
    /// The connection dropped before an answer.
    ConnectionLost,
    /// A new object is not visible everywhere yet.
    ReplicationDelay,
    /// The access token expired and was refreshed.
    TokenRefreshed,
    /// The tenant's app management policy refused the secret lifetime: a shorter one is
    /// tried (not a transport retry; the executor reports it through the same channel).
    SecretLifetimeRefused,
}

impl RetryReason {
    pub fn describe(self) -> &'static str {
        match self {
            RetryReason::Throttled => "Microsoft Graph asked us to slow down (429)",
            RetryReason::Unavailable => "Microsoft Graph was briefly unavailable",
            RetryReason::ConnectionLost => "the connection dropped",
            RetryReason::ReplicationDelay => "Entra ID is still replicating the new object",
            RetryReason::TokenRefreshed => "the sign-in token expired and was renewed",
            RetryReason::SecretLifetimeRefused => {
                "your tenant's policy refused the secret lifetime; trying a shorter one"
            }
        }
    }

    fn max_attempts(self) -> u32 {
        match self {
            RetryReason::Throttled => 8,
            RetryReason::Unavailable | RetryReason::ConnectionLost => 6,
            // 1 + 2 + ... + 128 s: about four minutes (graph-facts §5.3: "several minutes").
            RetryReason::ReplicationDelay => 9,
            RetryReason::TokenRefreshed | RetryReason::SecretLifetimeRefused => 2,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RetryNotice {
    pub reason: RetryReason,
    /// The attempt about to be made (2 = first retry).
    pub attempt: u32,
    pub wait_ms: u64,
    pub status: Option<u16>,
    pub code: Option<String>,
}

/// Why a call has no usable reply.
#[derive(Clone, Debug, PartialEq)]
pub enum CallError {
    /// A call that must not be repeated blindly lost its answer: it may or may not have
    /// happened. The caller looks before trying again.
    Ambiguous { detail: String },
    /// Retries used up; the last reply when there was one.
    GaveUp {
        reason: RetryReason,
        reply: Option<Reply>,
        detail: String,
    },
    /// No token, and refreshing cannot get one: the admin must sign in again.
    SignInRequired(String),
}

enum Outcome {
    Reply(Reply),
    Lost(TransportError),
}

enum Decision {
    Done(Result<Reply, CallError>),
    Retry(RetryReason, u64, Option<Reply>),
    Refresh,
}

pub struct Graph<'a, T: Transport, H: Host, K: TokenSource> {
    base: String,
    transport: &'a T,
    host: &'a H,
    tokens: &'a K,
    http_requests: Cell<u32>,
}

impl<'a, T: Transport, H: Host, K: TokenSource> Graph<'a, T, H, K> {
    /// `base` is the Graph base with its version, e.g. `https://graph.microsoft.com/v1.0`.
    pub fn new(base: &str, transport: &'a T, host: &'a H, tokens: &'a K) -> Self {
        Graph {
            base: base.trim_end_matches('/').to_owned(),
            transport,
            host,
            tokens,
            http_requests: Cell::new(0),
        }
    }

    /// HTTP requests sent so far (a `$batch` counts once).
    pub fn http_requests(&self) -> u32 {
        self.http_requests.get()
    }

    /// One call, with retries.
    pub async fn send(
        &self,
        call: Call,
        policy: Policy,
        notify: &dyn Fn(RetryNotice),
    ) -> Result<Reply, CallError> {
        self.send_all(vec![(call, policy)], Mode::Parallel, &|_, n| notify(n))
            .await
            .pop()
            .expect("one result per call")
    }

    /// Independent calls; one result per call, in order. `Ok` holds any reply that is not
    /// retried (2xx, or an error the caller must handle: 404, 409, 403, policy, ...).
    pub async fn send_all(
        &self,
        calls: Vec<(Call, Policy)>,
        mode: Mode,
        notify: &dyn Fn(usize, RetryNotice),
    ) -> Vec<Result<Reply, CallError>> {
        let n = calls.len();
        let mut results: Vec<Option<Result<Reply, CallError>>> = (0..n).map(|_| None).collect();
        let mut attempts = vec![0u32; n];
        let mut pending: Vec<usize> = (0..n).collect();
        let mut refreshed = false;
        while !pending.is_empty() {
            let token = match self.tokens.token().await {
                Ok(t) => t,
                Err(why) => {
                    for i in pending.drain(..) {
                        results[i] = Some(Err(CallError::SignInRequired(why.clone())));
                    }
                    break;
                }
            };
            let outcomes = self.dispatch(&calls, &pending, mode, token.expose()).await;
            let mut retry = Vec::new();
            let mut wait = 0u64;
            let mut refresh = Vec::new();
            for (i, outcome) in outcomes {
                attempts[i] += 1;
                match self.decide(outcome, calls[i].1, attempts[i]) {
                    Decision::Done(r) => results[i] = Some(r),
                    Decision::Refresh => refresh.push(i),
                    Decision::Retry(reason, wait_ms, reply) => {
                        if attempts[i] >= reason.max_attempts() {
                            results[i] = Some(Err(CallError::GaveUp {
                                reason,
                                detail: format!("{} ({} attempts)", reason.describe(), attempts[i]),
                                reply,
                            }));
                        } else {
                            notify(
                                i,
                                RetryNotice {
                                    reason,
                                    attempt: attempts[i] + 1,
                                    wait_ms,
                                    status: reply.as_ref().map(|r| r.status),
                                    code: reply.as_ref().and_then(|r| r.error()).map(|e| e.code),
                                },
                            );
                            wait = wait.max(wait_ms);
                            retry.push(i);
                        }
                    }
                }
            }
            if !refresh.is_empty() {
                let outcome = if refreshed {
                    Err("Graph refused the renewed sign-in token. Sign in again.".to_owned())
                } else {
                    self.tokens.refresh().await
                };
                match outcome {
                    Ok(()) => {
                        refreshed = true;
                        for &i in &refresh {
                            notify(
                                i,
                                RetryNotice {
                                    reason: RetryReason::TokenRefreshed,
                                    attempt: attempts[i] + 1,
                                    wait_ms: 0,
                                    status: Some(401),
                                    code: Some("InvalidAuthenticationToken".into()),
                                },
                            );
                        }
                        retry.extend(refresh);
                    }
                    Err(why) => {
                        for i in refresh {
                            results[i] = Some(Err(CallError::SignInRequired(why.clone())));
                        }
                    }
                }
            }
            if wait > 0 && !retry.is_empty() {
                self.host.sleep(wait).await;
            }
            retry.sort_unstable();
            pending = retry;
        }
        results
            .into_iter()
            .map(|r| r.expect("every call settled"))
            .collect()
    }

    fn backoff(&self, attempt: u32) -> u64 {
        // Equal jitter: half the doubled wait fixed, half random, so that retries of many
        // clients spread out but never come back immediately.
        let half = doubling_wait_ms(attempt) / 2;
        half + (self.host.jitter().clamp(0.0, 1.0) * half as f64) as u64
    }

    fn decide(&self, outcome: Outcome, policy: Policy, attempt: u32) -> Decision {
        let reply = match outcome {
            Outcome::Lost(_) if policy.idempotent => {
                return Decision::Retry(RetryReason::ConnectionLost, self.backoff(attempt), None);
            }
            Outcome::Lost(e) => {
                return Decision::Done(Err(CallError::Ambiguous {
                    detail: format!(
                        "the connection dropped before Graph answered ({})",
                        e.message
                    ),
                }))
            }
            Outcome::Reply(r) => r,
        };
        if reply.ok() {
            return Decision::Done(Ok(reply));
        }
        let error = reply.error();
        match classify(reply.status, error.as_ref(), policy.just_created) {
            ErrorClass::Throttled => {
                let wait = reply
                    .retry_after_ms()
                    .unwrap_or_else(|| self.backoff(attempt));
                Decision::Retry(RetryReason::Throttled, wait, Some(reply))
            }
            // A 504 may have been carried out behind the gateway.
            ErrorClass::Transient if reply.status == 504 && !policy.idempotent => {
                Decision::Done(Err(CallError::Ambiguous {
                    detail: "Graph timed out (504); the request may have been carried out".into(),
                }))
            }
            ErrorClass::Transient => {
                let wait = reply
                    .retry_after_ms()
                    .unwrap_or_else(|| self.backoff(attempt));
                Decision::Retry(RetryReason::Unavailable, wait, Some(reply))
            }
            ErrorClass::ReplicationDelay => Decision::Retry(
                RetryReason::ReplicationDelay,
                doubling_wait_ms(attempt),
                Some(reply),
            ),
            ErrorClass::TokenExpired => Decision::Refresh,
            _ => Decision::Done(Ok(reply)),
        }
    }

    async fn dispatch(
        &self,
        calls: &[(Call, Policy)],
        pending: &[usize],
        mode: Mode,
        token: &str,
    ) -> Vec<(usize, Outcome)> {
        match mode {
            Mode::OneAtATime => {
                let mut out = Vec::new();
                for &i in pending {
                    out.push((i, self.send_one(&calls[i].0, token).await));
                }
                out
            }
            Mode::Parallel => {
                join_all(
                    pending
                        .iter()
                        .map(|&i| async move { (i, self.send_one(&calls[i].0, token).await) }),
                )
                .await
            }
            // A lone call gains nothing from an envelope.
            Mode::Batched if pending.len() == 1 => {
                vec![(pending[0], self.send_one(&calls[pending[0]].0, token).await)]
            }
            Mode::Batched => join_all(
                pending
                    .chunks(MAX_BATCH)
                    .map(|chunk| self.send_batch(calls, chunk, token)),
            )
            .await
            .into_iter()
            .flatten()
            .collect(),
        }
    }

    async fn send_one(&self, call: &Call, token: &str) -> Outcome {
        self.http_requests.set(self.http_requests.get() + 1);
        match self.transport.send(call.to_http(&self.base, token)).await {
            Ok(resp) => Outcome::Reply(Reply::from_http(&resp)),
            Err(e) => Outcome::Lost(e),
        }
    }

    async fn send_batch(
        &self,
        calls: &[(Call, Policy)],
        chunk: &[usize],
        token: &str,
    ) -> Vec<(usize, Outcome)> {
        let request = BatchRequest {
            requests: chunk
                .iter()
                .map(|&i| BatchItem::from_call(i.to_string(), &calls[i].0, None))
                .collect(),
        };
        let envelope = Call::post(
            "/$batch",
            serde_json::to_value(&request).unwrap_or_default(),
        );
        match self.send_one(&envelope, token).await {
            Outcome::Reply(r) if r.status == 200 => {
                let mut by_id = r
                    .json::<BatchResponse>()
                    .map(batch::replies_by_id)
                    .unwrap_or_default();
                chunk
                    .iter()
                    .map(|&i| {
                        let outcome = match by_id.remove(&i.to_string()) {
                            Some(reply) => Outcome::Reply(reply),
                            None => Outcome::Lost(TransportError::dropped(
                                "the batch response has no answer for this request",
                            )),
                        };
                        (i, outcome)
                    })
                    .collect()
            }
            // The envelope itself failed (429, 503, 401, ...): every item shares its fate.
            Outcome::Reply(r) => chunk
                .iter()
                .map(|&i| (i, Outcome::Reply(r.clone())))
                .collect(),
            Outcome::Lost(e) => chunk
                .iter()
                .map(|&i| (i, Outcome::Lost(e.clone())))
                .collect(),
        }
    }
}

/// 1, 2, 4, ... 128 s after attempts 1, 2, 3, ... 8 and on.
fn doubling_wait_ms(attempt: u32) -> u64 {
    1000u64 << attempt.saturating_sub(1).min(7)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::automation::host::{HttpRequest, HttpResponse};
    use crate::automation::Secret;
    use serde_json::json;
    use std::cell::RefCell;
    use std::collections::VecDeque;

    /// Answers from a script, records what was sent.
    struct Script {
        answers: RefCell<VecDeque<Result<HttpResponse, TransportError>>>,
        sent: RefCell<Vec<HttpRequest>>,
    }

    impl Script {
        fn new(answers: Vec<Result<HttpResponse, TransportError>>) -> Script {
            Script {
                answers: RefCell::new(answers.into()),
                sent: RefCell::new(vec![]),
            }
        }
    }

    impl Transport for Script {
        fn send(
            &self,
            request: HttpRequest,
        ) -> impl std::future::Future<Output = Result<HttpResponse, TransportError>> {
            self.sent.borrow_mut().push(request);
            let answer = self
                .answers
                .borrow_mut()
                .pop_front()
                .expect("scripted answer");
            std::future::ready(answer)
        }
    }

    #[derive(Default)]
    struct Clock {
        slept: RefCell<Vec<u64>>,
    }

    impl Host for Clock {
        fn now_ms(&self) -> i64 {
            0
        }
        fn sleep(&self, ms: u64) -> impl std::future::Future<Output = ()> {
            self.slept.borrow_mut().push(ms);
            std::future::ready(())
        }
        fn jitter(&self) -> f64 {
            0.0
        }
    }

    struct Tokens {
        refreshes: Cell<u32>,
        can_refresh: bool,
    }

    impl TokenSource for Tokens {
        fn token(&self) -> impl std::future::Future<Output = Result<Secret, String>> {
            std::future::ready(Ok(Secret::new(format!("t{}", self.refreshes.get()))))
        }
        fn refresh(&self) -> impl std::future::Future<Output = Result<(), String>> {
            self.refreshes.set(self.refreshes.get() + 1);
            std::future::ready(if self.can_refresh {
                Ok(())
            } else {
                Err("sign in again".into())
            })
        }
    }

    fn tokens(can_refresh: bool) -> Tokens {
        Tokens {
            refreshes: Cell::new(0),
            can_refresh,
        }
    }

    fn answer(
        status: u16,
        headers: &[(&str, &str)],
        body: serde_json::Value,
    ) -> Result<HttpResponse, TransportError> {
        let mut b = http::Response::builder().status(status);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        Ok(b.body(body.to_string().into_bytes()).unwrap())
    }

    fn error(code: &str) -> serde_json::Value {
        json!({"error": {"code": code, "message": "m"}})
    }

    fn run<F: std::future::Future>(f: F) -> F::Output {
        futures_util::FutureExt::now_or_never(f).expect("no real waiting")
    }

    #[test]
    fn honours_retry_after_then_succeeds() {
        let t = Script::new(vec![
            answer(429, &[("Retry-After", "3")], error("TooManyRequests")),
            answer(503, &[], error("serviceNotAvailable")),
            answer(200, &[], json!({"id": "x"})),
        ]);
        let clock = Clock::default();
        let k = tokens(true);
        let g = Graph::new("https://graph.example/v1.0", &t, &clock, &k);
        let notices = RefCell::new(vec![]);
        let r = run(g.send(Call::get("/me"), Policy::IDEMPOTENT, &|n| {
            notices.borrow_mut().push(n)
        }))
        .unwrap();
        assert_eq!(r.status, 200);
        // 3 s as Graph asked, then backoff (no jitter: half of 2 s) for the 503.
        assert_eq!(*clock.slept.borrow(), vec![3000, 1000]);
        let reasons: Vec<_> = notices
            .borrow()
            .iter()
            .map(|n| (n.reason, n.attempt))
            .collect();
        assert_eq!(
            reasons,
            vec![(RetryReason::Throttled, 2), (RetryReason::Unavailable, 3)]
        );
    }

    #[test]
    fn a_lost_answer_to_a_non_idempotent_call_is_reported_not_repeated() {
        let t = Script::new(vec![Err(TransportError::dropped("reset"))]);
        let clock = Clock::default();
        let k = tokens(true);
        let g = Graph::new("https://graph.example/v1.0", &t, &clock, &k);
        let r = run(g.send(
            Call::post("/applications/x/addPassword", json!({})),
            Policy::ONCE,
            &|_| {},
        ));
        assert!(matches!(r, Err(CallError::Ambiguous { .. })), "{r:?}");
        assert_eq!(t.sent.borrow().len(), 1);

        // A 504 is just as ambiguous; an idempotent call is retried instead.
        let t = Script::new(vec![
            answer(504, &[], error("gatewayTimeout")),
            answer(204, &[], json!(null)),
        ]);
        let g = Graph::new("https://graph.example/v1.0", &t, &clock, &k);
        assert_eq!(
            run(g.send(
                Call::patch("/applications/x", json!({})),
                Policy::IDEMPOTENT,
                &|_| {}
            ))
            .unwrap()
            .status,
            204
        );
    }

    #[test]
    fn an_expired_token_is_refreshed_once_then_sign_in_is_required() {
        let expired = || answer(401, &[], error("InvalidAuthenticationToken"));
        let t = Script::new(vec![expired(), answer(200, &[], json!({}))]);
        let clock = Clock::default();
        let k = tokens(true);
        let g = Graph::new("https://graph.example/v1.0", &t, &clock, &k);
        assert_eq!(
            run(g.send(Call::get("/me"), Policy::IDEMPOTENT, &|_| {}))
                .unwrap()
                .status,
            200
        );
        assert_eq!(k.refreshes.get(), 1);
        assert_eq!(t.sent.borrow()[1].headers()["authorization"], "Bearer t1");

        let t = Script::new(vec![expired(), expired()]);
        let k = tokens(true);
        let g = Graph::new("https://graph.example/v1.0", &t, &clock, &k);
        let r = run(g.send(Call::get("/me"), Policy::IDEMPOTENT, &|_| {}));
        assert!(matches!(r, Err(CallError::SignInRequired(_))), "{r:?}");
        assert_eq!(k.refreshes.get(), 1, "refreshed once, not in a loop");

        let t = Script::new(vec![expired()]);
        let k = tokens(false);
        let g = Graph::new("https://graph.example/v1.0", &t, &clock, &k);
        assert!(
            matches!(run(g.send(Call::get("/me"), Policy::IDEMPOTENT, &|_| {})), Err(CallError::SignInRequired(m)) if m == "sign in again")
        );
    }

    #[test]
    fn batches_correlate_by_id_and_resend_only_what_failed() {
        let t = Script::new(vec![
            answer(
                200,
                &[],
                json!({"responses": [
                    {"id": "2", "status": 201, "body": {"id": "c"}},
                    {"id": "1", "status": 429, "headers": {"Retry-After": "2"}, "body": error("TooManyRequests")},
                    {"id": "0", "status": 404, "body": error("Request_ResourceNotFound")},
                ]}),
            ),
            answer(200, &[], json!({"id": "b"})),
        ]);
        let clock = Clock::default();
        let k = tokens(true);
        let g = Graph::new("https://graph.example/v1.0", &t, &clock, &k);
        let calls = vec![
            (Call::get("/a"), Policy::IDEMPOTENT),
            (Call::get("/b"), Policy::IDEMPOTENT),
            (Call::post("/c", json!({"x": 1})), Policy::IDEMPOTENT),
        ];
        let r = run(g.send_all(calls, Mode::Batched, &|_, _| {}));
        assert_eq!(
            r[0].as_ref().unwrap().status,
            404,
            "a 404 on something not just created is an answer"
        );
        assert_eq!(
            r[1].as_ref().unwrap().json::<serde_json::Value>().unwrap()["id"],
            "b"
        );
        assert_eq!(r[2].as_ref().unwrap().status, 201);
        let sent = t.sent.borrow();
        assert_eq!(sent[0].uri(), "https://graph.example/v1.0/$batch");
        let batch: serde_json::Value = serde_json::from_slice(sent[0].body()).unwrap();
        assert_eq!(
            batch["requests"][2]["headers"]["Content-Type"],
            "application/json"
        );
        assert_eq!(
            sent[1].uri(),
            "https://graph.example/v1.0/b",
            "only the throttled call again"
        );
        assert_eq!(*clock.slept.borrow(), vec![2000]);
        assert_eq!(g.http_requests(), 2);
    }

    #[test]
    fn replication_delay_doubles_the_wait_until_the_object_appears() {
        let no_backing = json!({"error": {"code": "Request_BadRequest", "message": "m",
            "details": [{"code": "NoBackingApplicationObject", "message": "m"}]}});
        let t = Script::new(vec![
            answer(400, &[], no_backing.clone()),
            answer(400, &[], no_backing.clone()),
            answer(404, &[], error("Request_ResourceNotFound")),
            answer(201, &[], json!({"id": "sp"})),
        ]);
        let clock = Clock::default();
        let k = tokens(true);
        let g = Graph::new("https://graph.example/v1.0", &t, &clock, &k);
        let r = run(g.send(
            Call::post("/servicePrincipals", json!({})),
            Policy::AFTER_CREATE,
            &|_| {},
        ));
        assert_eq!(r.unwrap().status, 201);
        assert_eq!(*clock.slept.borrow(), vec![1000, 2000, 4000]);
    }
}
