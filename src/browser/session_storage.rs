//! sessionStorage, for what must survive the sign-in redirect and no longer: the pending
//! sign-in (state, nonce, PKCE verifier; read once and deleted on return) and the id of a
//! run that a new sign-in interrupted (not a secret).

use gloo_storage::{SessionStorage, Storage};
use serde::{de::DeserializeOwned, Serialize};

pub fn put<T: Serialize>(key: &str, value: &T) -> Result<(), String> {
    if !super::PRESENT {
        return Ok(());
    }
    SessionStorage::set(key, value).map_err(|_| "the browser refused to keep the sign-in state (sessionStorage); allow site storage and try again".to_owned())
}

pub fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    if !super::PRESENT {
        return None;
    }
    SessionStorage::get(key).ok()
}

pub fn remove(key: &str) {
    if !super::PRESENT {
        return;
    }
    SessionStorage::delete(key);
}

/// Reads and deletes in one step, so the value cannot be used twice.
pub fn take<T: DeserializeOwned>(key: &str) -> Option<T> {
    if !super::PRESENT {
        return None;
    }
    let value = SessionStorage::get(key).ok();
    SessionStorage::delete(key);
    value
}
