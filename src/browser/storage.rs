//! localStorage for what an admin would be annoyed to lose on reload (ticked steps, IDs
//! and settings). Never for secrets or tokens: callers store types that have no secret
//! field, so a secret cannot reach storage by accident.

use gloo_storage::{LocalStorage, Storage};
use serde::{de::DeserializeOwned, Serialize};

/// Every key this app writes starts with this, so a reset can find them all.
pub const PREFIX: &str = "entra-setup-assistant/";

/// The stored value, or `None` when absent or unreadable (an older shape, edited by hand):
/// starting fresh beats failing to open the page.
pub fn load<T: DeserializeOwned>(key: &str) -> Option<T> {
    if !super::PRESENT {
        return None;
    }
    LocalStorage::get(format!("{PREFIX}{key}")).ok()
}

/// Stores a value; storage that is full or disabled (private mode) only loses persistence.
pub fn save<T: Serialize>(key: &str, value: &T) {
    if !super::PRESENT {
        return;
    }
    let _ = LocalStorage::set(format!("{PREFIX}{key}"), value);
}

pub fn remove(key: &str) {
    if !super::PRESENT {
        return;
    }
    LocalStorage::delete(format!("{PREFIX}{key}"));
}
