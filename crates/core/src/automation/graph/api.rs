//! What provisioning needs of [`Graph`], as one bound: code that sends calls takes
//! `&impl GraphApi` instead of repeating `<T: Transport, H: Host, K: TokenSource>`.
//! [`Graph`] is the one implementation; the methods are its own, forwarded. No `Send`
//! bound: the futures run on the browser's single thread too.

use serde::de::DeserializeOwned;

use super::{Call, CallError, Graph, Mode, PageError, Policy, Reply, RetryNotice};
use crate::automation::host::{Host, TokenSource, Transport};

/// Sending Graph calls with retries ([`Graph`]'s methods of the same names).
pub(crate) trait GraphApi {
    /// [`Graph::send`].
    async fn send(
        &self,
        call: Call,
        policy: Policy,
        notify: &dyn Fn(RetryNotice),
    ) -> Result<Reply, CallError>;

    /// [`Graph::send_until`].
    async fn send_until(
        &self,
        call: Call,
        policy: Policy,
        notify: &dyn Fn(RetryNotice),
        visible: &dyn Fn(&Reply) -> bool,
    ) -> Result<Reply, CallError>;

    /// [`Graph::send_all`].
    async fn send_all(
        &self,
        calls: Vec<(Call, Policy)>,
        mode: Mode,
        notify: &dyn Fn(usize, RetryNotice),
    ) -> Vec<Result<Reply, CallError>>;

    /// [`Graph::get_all`].
    async fn get_all<I: DeserializeOwned>(
        &self,
        call: Call,
        policy: Policy,
        notify: &dyn Fn(RetryNotice),
    ) -> Result<Vec<I>, PageError>;

    /// [`Graph::all_pages`].
    async fn all_pages<I: DeserializeOwned>(
        &self,
        first: Reply,
        policy: Policy,
        notify: &dyn Fn(RetryNotice),
    ) -> Result<Vec<I>, PageError>;
}

impl<T: Transport, H: Host, K: TokenSource> GraphApi for Graph<'_, T, H, K> {
    async fn send(
        &self,
        call: Call,
        policy: Policy,
        notify: &dyn Fn(RetryNotice),
    ) -> Result<Reply, CallError> {
        Graph::send(self, call, policy, notify).await
    }

    async fn send_until(
        &self,
        call: Call,
        policy: Policy,
        notify: &dyn Fn(RetryNotice),
        visible: &dyn Fn(&Reply) -> bool,
    ) -> Result<Reply, CallError> {
        Graph::send_until(self, call, policy, notify, visible).await
    }

    async fn send_all(
        &self,
        calls: Vec<(Call, Policy)>,
        mode: Mode,
        notify: &dyn Fn(usize, RetryNotice),
    ) -> Vec<Result<Reply, CallError>> {
        Graph::send_all(self, calls, mode, notify).await
    }

    async fn get_all<I: DeserializeOwned>(
        &self,
        call: Call,
        policy: Policy,
        notify: &dyn Fn(RetryNotice),
    ) -> Result<Vec<I>, PageError> {
        Graph::get_all(self, call, policy, notify).await
    }

    async fn all_pages<I: DeserializeOwned>(
        &self,
        first: Reply,
        policy: Policy,
        notify: &dyn Fn(RetryNotice),
    ) -> Result<Vec<I>, PageError> {
        Graph::all_pages(self, first, policy, notify).await
    }
}
