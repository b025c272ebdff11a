//! localStorage for what an admin would be annoyed to lose on reload (ticked steps, IDs
//! and settings). Never for secrets or tokens: callers store types that have no secret
//! field, so a secret cannot reach storage by accident.

use serde::{de::DeserializeOwned, Serialize};

use super::web_storage;

/// Every key this app writes starts with this, so a reset can find them all.
pub const PREFIX: &str = "entra-setup-assistant/";

/// The stored value, or `None` when absent or unreadable (an older shape, edited by hand):
/// starting fresh beats failing to open the page.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    web_storage::get(&web_storage::local()?, &format!("{PREFIX}{key}"))
}

/// Stores a value; storage that is full or disabled (private mode) only loses persistence.
pub fn save<T: Serialize>(key: &str, value: &T) {
    if let Some(storage) = web_storage::local() {
        let _ = web_storage::set(&storage, &format!("{PREFIX}{key}"), value);
    }
}

pub fn remove(key: &str) {
    if let Some(storage) = web_storage::local() {
        let _ = storage.remove_item(&format!("{PREFIX}{key}"));
    }
}
