//! sessionStorage, for what must survive the sign-in redirect and no longer: the pending
//! sign-in (state, nonce, PKCE verifier; read once and deleted on return) and the id of a
//! run that a new sign-in interrupted (not a secret).

use serde::{de::DeserializeOwned, Serialize};

use super::web_storage;

pub fn put<T: Serialize>(key: &str, value: &T) -> Result<(), String> {
    if !super::PRESENT {
        return Ok(());
    }
    web_storage::session()
        .ok_or(())
        .and_then(|storage| web_storage::set(&storage, key, value))
        .map_err(|()| "the browser refused to keep the sign-in state (sessionStorage); allow site storage and try again".to_owned())
}

pub fn get<T: DeserializeOwned>(key: &str) -> Option<T> {
    web_storage::get(&web_storage::session()?, key)
}

pub fn remove(key: &str) {
    if let Some(storage) = web_storage::session() {
        let _ = storage.remove_item(key);
    }
}

/// Reads and deletes in one step, so the value cannot be used twice.
pub fn take<T: DeserializeOwned>(key: &str) -> Option<T> {
    let storage = web_storage::session()?;
    let value = web_storage::get(&storage, key);
    let _ = storage.remove_item(key);
    value
}
