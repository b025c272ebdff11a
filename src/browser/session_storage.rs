//! sessionStorage, for the one thing that must survive the sign-in redirect: the pending
//! sign-in (state, nonce, PKCE verifier). It is read once and deleted on return.

use gloo_storage::{SessionStorage, Storage};
use serde::{de::DeserializeOwned, Serialize};

pub fn put<T: Serialize>(key: &str, value: &T) -> Result<(), String> {
    SessionStorage::set(key, value).map_err(|_| "the browser refused to keep the sign-in state (sessionStorage); allow site storage and try again".to_owned())
}

/// Reads and deletes in one step, so the value cannot be used twice.
pub fn take<T: DeserializeOwned>(key: &str) -> Option<T> {
    let value = SessionStorage::get(key).ok();
    SessionStorage::delete(key);
    value
}
