//! Sends Graph calls alone, concurrently or in `$batch`es, and retries what Graph says may
//! be retried: 429 (Retry-After when readable, else backoff), 503/504 and lost connections
//! (backoff; 504 and lost connections only for idempotent calls), replication delay
//! (doubling waits), and an expired token (one refresh). Every wait goes through
//! [`Host::sleep`]. Lists are read to their last page ([`Graph::all_pages`]).

use std::cell::Cell;

use futures_util::future::join_all;
use serde::de::DeserializeOwned;

use super::batch::{self, BatchItem, BatchRequest, BatchResponse, MAX_BATCH};
use super::call::{Call, Reply};
use super::error::{classify, ErrorClass};
use crate::automation::host::{Host, TokenError, TokenSource, Transport, TransportError};
use crate::graph_model::Collection;

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
            RetryReason::ReplicationDelay => "waiting for Microsoft Entra to catch up: the new object has not reached every replica yet",
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

/// What the page says while it waits: "Microsoft Graph asked us to slow down (429)
/// (attempt 2, next try in 1.5 s)".
impl std::fmt::Display for RetryNotice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let why = self.reason.describe();
        let mut chars = why.chars();
        if let Some(first) = chars.next() {
            write!(f, "{}{}", first.to_uppercase(), chars.as_str())?;
        }
        write!(
            f,
            " (attempt {}, next try in {}.{} s)",
            self.attempt,
            self.wait_ms / 1000,
            self.wait_ms % 1000 / 100
        )
    }
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
    SignInRequired(TokenError),
}

/// At most this many pages of one list are read: a guard against a `nextLink` that loops.
/// With Graph's default page of 100 that is 10 000 grants or assignments for one app.
const MAX_PAGES: usize = 100;

/// Why a list could not be read to its last page.
#[derive(Clone, Debug, PartialEq)]
pub enum PageError {
    /// A page's call did not settle.
    Call(CallError),
    /// A page answered with an error status.
    Refused(Reply),
    /// A page is not a collection (`{"value": [...]}`).
    Unreadable,
    /// `@odata.nextLink` points outside the configured Graph base URL. It is not followed:
    /// the request would carry the admin's token to whoever wrote the link.
    ForeignNextLink(String),
    /// More than [`MAX_PAGES`] pages.
    TooManyPages,
}

impl std::fmt::Display for PageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PageError::Call(CallError::Ambiguous { detail })
            | PageError::Call(CallError::GaveUp { detail, .. }) => f.write_str(detail),
            PageError::Call(CallError::SignInRequired(why)) => write!(f, "{why}"),
            PageError::Refused(r) => write!(f, "Graph answered HTTP {} for the next page", r.status),
            PageError::Unreadable => f.write_str("a page of Graph's answer could not be read"),
            PageError::ForeignNextLink(link) => write!(
                f,
                "Graph's answer continues at {link}, which is not the configured Microsoft Graph; it was not followed"
            ),
            PageError::TooManyPages => write!(f, "Graph's answer has more than {MAX_PAGES} pages"),
        }
    }
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

    /// Sends the list request `call` and reads every page of its answer.
    pub async fn get_all<I: DeserializeOwned>(
        &self,
        call: Call,
        policy: Policy,
        notify: &dyn Fn(RetryNotice),
    ) -> Result<Vec<I>, PageError> {
        let first = self
            .send(call, policy, notify)
            .await
            .map_err(PageError::Call)?;
        self.all_pages(first, policy, notify).await
    }

    /// The items of `first` (the answer to a list request, alone or from a `$batch`) and of
    /// every page after it: Graph pages lists with an absolute `@odata.nextLink` until the
    /// last page, which has none (graph-facts §9; https://learn.microsoft.com/graph/paging).
    /// A `nextLink` is only followed under the configured base URL ([`PageError::ForeignNextLink`]).
    pub async fn all_pages<I: DeserializeOwned>(
        &self,
        first: Reply,
        policy: Policy,
        notify: &dyn Fn(RetryNotice),
    ) -> Result<Vec<I>, PageError> {
        let mut reply = first;
        let mut items = Vec::new();
        for pages in 1.. {
            if !reply.ok() {
                return Err(PageError::Refused(reply));
            }
            let page = reply.json::<Collection<I>>().ok_or(PageError::Unreadable)?;
            items.extend(page.value);
            let Some(link) = page.next_link else {
                break;
            };
            if pages == MAX_PAGES {
                return Err(PageError::TooManyPages);
            }
            reply = self
                .send(self.next_page(&link)?, policy, notify)
                .await
                .map_err(PageError::Call)?;
        }
        Ok(items)
    }

    /// The call for an `@odata.nextLink`: relative to the base (so it travels like any other
    /// call, `$batch` included), and only when the link is under the base URL, compared up to
    /// a path separator so that `https://graph.microsoft.com.example` is not "under"
    /// `https://graph.microsoft.com`.
    fn next_page(&self, link: &str) -> Result<Call, PageError> {
        let foreign = || PageError::ForeignNextLink(link.to_owned());
        let (head, rest) = link.split_at_checked(self.base.len()).ok_or_else(foreign)?;
        if head.eq_ignore_ascii_case(&self.base) && rest.starts_with('/') {
            Ok(Call::get(rest))
        } else {
            Err(foreign())
        }
    }

    /// Sends `call` until `visible` accepts its 2xx answer, waiting as for replication delay
    /// in between: for a replica that answers 200 but does not show a write yet, which no
    /// status reveals. An error answer is returned as it is. Gives up like replication delay
    /// does (about four minutes).
    pub async fn send_until(
        &self,
        call: Call,
        policy: Policy,
        notify: &dyn Fn(RetryNotice),
        visible: &dyn Fn(&Reply) -> bool,
    ) -> Result<Reply, CallError> {
        let reason = RetryReason::ReplicationDelay;
        let mut attempt = 1;
        loop {
            let reply = self.send(call.clone(), policy, notify).await?;
            if !reply.ok() || visible(&reply) {
                return Ok(reply);
            }
            if attempt >= reason.max_attempts() {
                return Err(CallError::GaveUp {
                    reason,
                    detail: format!("{} ({attempt} attempts)", reason.describe()),
                    reply: None,
                });
            }
            let wait_ms = doubling_wait_ms(attempt);
            attempt += 1;
            notify(RetryNotice {
                reason,
                attempt,
                wait_ms,
                status: Some(reply.status),
                code: None,
            });
            self.host.sleep(wait_ms).await;
        }
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
                    Err(TokenError::RenewedTokenRefused)
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

/// The longest the client waits for a write to replicate (`send_until`, and a replication
/// delay's retries): every doubling wait before its last attempt, about four minutes.
pub fn replication_wait_ms() -> u64 {
    (1..RetryReason::ReplicationDelay.max_attempts())
        .map(doubling_wait_ms)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::automation::host::{HttpRequest, HttpResponse};

    #[test]
    fn replication_is_waited_for_about_four_minutes() {
        assert_eq!(replication_wait_ms(), 255_000);
    }
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
        fn token(&self) -> impl std::future::Future<Output = Result<Secret, TokenError>> {
            std::future::ready(Ok(Secret::new(format!("t{}", self.refreshes.get()))))
        }
        fn refresh(&self) -> impl std::future::Future<Output = Result<(), TokenError>> {
            self.refreshes.set(self.refreshes.get() + 1);
            std::future::ready(if self.can_refresh {
                Ok(())
            } else {
                Err(TokenError::SessionEnded)
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
        assert!(matches!(
            run(g.send(Call::get("/me"), Policy::IDEMPOTENT, &|_| {})),
            Err(CallError::SignInRequired(TokenError::SessionEnded))
        ));
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

    fn graph_for<'a>(
        t: &'a Script,
        clock: &'a Clock,
        k: &'a Tokens,
    ) -> Graph<'a, Script, Clock, Tokens> {
        Graph::new("https://graph.example/v1.0", t, clock, k)
    }

    /// Each 400 form of "not replicated yet" that real Graph gives (go-azure-sdk
    /// `sdk/odata/errors.go`) is retried with doubling waits after a create, and is an
    /// answer (not retried) for a call that names nothing the run created.
    #[test]
    fn every_400_replication_form_is_retried_only_after_a_create() {
        let bad_request =
            |message: &str| json!({"error": {"code": "Request_BadRequest", "message": message}});
        let forms = [
            (
                Call::post("/oauth2PermissionGrants", json!({})),
                bad_request("Resource '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0' does not exist or one of its queried reference-property objects are not present."),
            ),
            (
                Call::post("/servicePrincipals/r/appRoleAssignedTo", json!({})),
                bad_request("Not a valid reference update."),
            ),
            (
                Call::post("/servicePrincipals", json!({})),
                bad_request("The appId 'a' of the service principal does not reference a valid application object."),
            ),
        ];
        for (call, body) in forms {
            let t = Script::new(vec![
                answer(400, &[], body.clone()),
                answer(400, &[], body.clone()),
                answer(201, &[], json!({"id": "x"})),
            ]);
            let clock = Clock::default();
            let k = tokens(true);
            let g = graph_for(&t, &clock, &k);
            let notices = RefCell::new(vec![]);
            let r = run(g.send(call.clone(), Policy::AFTER_CREATE, &|n| {
                notices.borrow_mut().push(n)
            }));
            assert_eq!(r.unwrap().status, 201, "{body}");
            let seen: Vec<_> = notices
                .borrow()
                .iter()
                .map(|n| (n.reason, n.attempt, n.status))
                .collect();
            assert_eq!(
                seen,
                vec![
                    (RetryReason::ReplicationDelay, 2, Some(400)),
                    (RetryReason::ReplicationDelay, 3, Some(400)),
                ]
            );
            assert_eq!(*clock.slept.borrow(), vec![1000, 2000]);

            // Not after a create: Graph's answer, at once.
            let t = Script::new(vec![answer(400, &[], body.clone())]);
            let g = graph_for(&t, &clock, &k);
            let r = run(g.send(call, Policy::IDEMPOTENT, &|_| panic!("retried: {body}")));
            assert_eq!(r.unwrap().status, 400);
            assert_eq!(t.sent.borrow().len(), 1);
        }
    }

    #[test]
    fn replication_delay_gives_up_after_about_four_minutes() {
        let not_found = || answer(404, &[], error("Request_ResourceNotFound"));
        let t = Script::new((0..9).map(|_| not_found()).collect());
        let clock = Clock::default();
        let k = tokens(true);
        let g = graph_for(&t, &clock, &k);
        let r = run(g.send(Call::get("/applications/x"), Policy::AFTER_CREATE, &|_| {}));
        assert!(
            matches!(&r, Err(CallError::GaveUp { reason: RetryReason::ReplicationDelay, reply: Some(reply), .. }) if reply.status == 404),
            "{r:?}"
        );
        assert_eq!(clock.slept.borrow().iter().sum::<u64>(), 255_000);
    }

    fn page(ids: &[&str], next: Option<&str>) -> Result<HttpResponse, TransportError> {
        let value: Vec<_> = ids.iter().map(|id| json!({"id": id})).collect();
        let mut body = json!({"value": value});
        if let Some(link) = next {
            body["@odata.nextLink"] = json!(link);
        }
        answer(200, &[], body)
    }

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Item {
        id: String,
    }

    #[test]
    fn lists_are_read_to_the_last_page() {
        let t = Script::new(vec![
            page(
                &["a", "b"],
                Some("https://graph.example/v1.0/oauth2PermissionGrants?$filter=x&$skiptoken=p2"),
            ),
            page(
                &["c", "d"],
                Some("https://GRAPH.example/v1.0/oauth2PermissionGrants?$filter=x&$skiptoken=p3"),
            ),
            page(&["e"], None),
        ]);
        let clock = Clock::default();
        let k = tokens(true);
        let g = graph_for(&t, &clock, &k);
        let items: Vec<Item> = run(g.get_all(
            Call::get("/oauth2PermissionGrants?$filter=x"),
            Policy::IDEMPOTENT,
            &|_| {},
        ))
        .unwrap();
        let ids: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c", "d", "e"]);
        let sent = t.sent.borrow();
        let uris: Vec<String> = sent.iter().map(|r| r.uri().to_string()).collect();
        assert_eq!(
            uris,
            [
                "https://graph.example/v1.0/oauth2PermissionGrants?$filter=x",
                "https://graph.example/v1.0/oauth2PermissionGrants?$filter=x&$skiptoken=p2",
                "https://graph.example/v1.0/oauth2PermissionGrants?$filter=x&$skiptoken=p3",
            ]
        );
        assert!(sent
            .iter()
            .all(|r| r.headers()["authorization"] == "Bearer t0"));
        assert_eq!(g.http_requests(), 3);
    }

    #[test]
    fn a_later_page_is_retried_like_any_call_and_its_failure_is_reported() {
        let next = Some("https://graph.example/v1.0/x?$skiptoken=2");
        let t = Script::new(vec![
            page(&["a"], next),
            answer(503, &[], error("serviceNotAvailable")),
            page(&["b"], next),
            answer(403, &[], error("Authorization_RequestDenied")),
        ]);
        let clock = Clock::default();
        let k = tokens(true);
        let g = graph_for(&t, &clock, &k);
        let r: Result<Vec<Item>, _> = run(g.get_all(Call::get("/x"), Policy::IDEMPOTENT, &|_| {}));
        assert!(
            matches!(&r, Err(PageError::Refused(reply)) if reply.status == 403),
            "{r:?}"
        );
        assert_eq!(t.sent.borrow().len(), 4);
    }

    #[test]
    fn a_next_link_outside_the_configured_graph_is_refused_and_gets_no_token() {
        for link in [
            "https://evil.example/v1.0/oauth2PermissionGrants?$skiptoken=2",
            "https://graph.example.evil.example/v1.0/x",
            "https://graph.example/v1.0.evil.example/x",
            "http://graph.example/v1.0/x",
            "/v1.0/x",
            "",
        ] {
            let t = Script::new(vec![page(&["a"], Some(link))]);
            let clock = Clock::default();
            let k = tokens(true);
            let g = graph_for(&t, &clock, &k);
            let r: Result<Vec<Item>, _> =
                run(g.get_all(Call::get("/x"), Policy::IDEMPOTENT, &|_| {}));
            match r {
                Err(e @ PageError::ForeignNextLink(_)) => {
                    assert!(e.to_string().contains("not followed"), "{e}")
                }
                other => panic!("{link}: {other:?}"),
            }
            assert_eq!(t.sent.borrow().len(), 1, "{link} was requested");
        }
    }

    #[test]
    fn a_next_link_loop_ends() {
        let link = "https://graph.example/v1.0/x?$skiptoken=same";
        let t = Script::new((0..MAX_PAGES).map(|_| page(&["a"], Some(link))).collect());
        let clock = Clock::default();
        let k = tokens(true);
        let g = graph_for(&t, &clock, &k);
        let r: Result<Vec<Item>, _> = run(g.get_all(Call::get("/x"), Policy::IDEMPOTENT, &|_| {}));
        assert_eq!(r, Err(PageError::TooManyPages));
    }

    #[test]
    fn send_until_waits_for_a_write_to_show_as_replication_delay() {
        let app = |keys: &[&str]| {
            let creds: Vec<_> = keys.iter().map(|k| json!({"keyId": k})).collect();
            answer(200, &[], json!({"id": "app", "passwordCredentials": creds}))
        };
        let t = Script::new(vec![
            app(&[]),
            answer(404, &[], error("Request_ResourceNotFound")),
            app(&["k1"]),
            app(&["k1", "k2"]),
        ]);
        let clock = Clock::default();
        let k = tokens(true);
        let g = graph_for(&t, &clock, &k);
        let notices = RefCell::new(vec![]);
        let shows_k2 = |r: &Reply| {
            r.body.as_ref().unwrap()["passwordCredentials"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c["keyId"] == "k2")
        };
        let r = run(g.send_until(
            Call::get("/applications/app"),
            Policy::AFTER_CREATE,
            &|n| notices.borrow_mut().push((n.reason, n.attempt)),
            &shows_k2,
        ))
        .unwrap();
        assert!(shows_k2(&r));
        assert_eq!(t.sent.borrow().len(), 4);
        assert!(notices
            .borrow()
            .iter()
            .all(|(why, _)| *why == RetryReason::ReplicationDelay));
        assert_eq!(notices.borrow().len(), 3);

        // Never visible: gives up as replication delay, without a misleading reply.
        let t = Script::new((0..9).map(|_| app(&[])).collect());
        let g = graph_for(&t, &clock, &k);
        let r = run(g.send_until(
            Call::get("/applications/app"),
            Policy::AFTER_CREATE,
            &|_| {},
            &shows_k2,
        ));
        assert!(
            matches!(
                r,
                Err(CallError::GaveUp {
                    reason: RetryReason::ReplicationDelay,
                    reply: None,
                    ..
                })
            ),
            "{r:?}"
        );
    }
}
