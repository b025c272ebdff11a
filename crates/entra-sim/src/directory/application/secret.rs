//! Client secrets (graph-facts §4). An application's password credentials are one list,
//! [`Application::password_credentials`]: each credential as Graph shows it, with what only
//! the directory keeps beside it (the hash of its value, never the value, and when sign-ins
//! start to accept it). The body's `passwordCredentials` is Graph's view of that list,
//! written from it whenever it changes.

use std::borrow::Cow;

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use super::Application;
use crate::clock;

/// One client secret.
#[derive(Debug, Clone)]
pub struct PasswordCredential {
    pub key_id: String,
    /// As the client sent it (`null` when it sent none).
    pub display_name: Value,
    /// The value's first three characters.
    pub hint: String,
    pub start_ms: i64,
    pub end_ms: i64,
    /// What the simulator keeps of the value: only a hash, like a real directory.
    pub hash: [u8; 32],
    pub created_ms: i64,
    /// Its own replication delay: sign-ins accept it from `created_ms + delay_ms` (plus the
    /// fixed delay).
    pub delay_ms: i64,
}

impl PasswordCredential {
    /// Graph's `passwordCredential`: `secretText` is null except in addPassword's answer.
    pub fn graph_body(&self) -> Value {
        json!({
            "customKeyIdentifier": null,
            "displayName": self.display_name,
            "endDateTime": clock::rfc3339(self.end_ms),
            "hint": self.hint,
            "keyId": self.key_id,
            "secretText": null,
            "startDateTime": clock::rfc3339(self.start_ms),
        })
    }
}

/// A client secret from the seed (simulator-only fields, see the README's "Seeded
/// secrets"): `keyId`, `displayName`, `endsInDays` (from the start of the run; negative:
/// expired), `lifetimeDays` (default 180) and `secretText`, a known value so tests can sign
/// in with it. The directory keeps only its hash, as for any secret.
pub fn from_seed(seed: &Value, now_ms: i64) -> Result<PasswordCredential, String> {
    const DAY_MS: i64 = 86_400_000;
    let text = |key: &str| seed.get(key).and_then(Value::as_str);
    let key_id = text("keyId").ok_or("a secret without keyId")?.to_owned();
    let secret = text("secretText").ok_or("a secret without secretText")?;
    let ends_in_days = seed
        .get("endsInDays")
        .and_then(Value::as_i64)
        .ok_or("a secret without endsInDays")?;
    let lifetime_days = seed
        .get("lifetimeDays")
        .and_then(Value::as_i64)
        .unwrap_or(180);
    let end_ms = now_ms + ends_in_days * DAY_MS;
    Ok(PasswordCredential {
        key_id,
        display_name: seed.get("displayName").cloned().unwrap_or(Value::Null),
        hint: secret.chars().take(3).collect(),
        start_ms: end_ms - lifetime_days * DAY_MS,
        end_ms,
        hash: hash_secret(secret),
        created_ms: 0,
        delay_ms: 0,
    })
}

pub fn hash_secret(secret: &str) -> [u8; 32] {
    Sha256::digest(secret.as_bytes()).into()
}

impl Application {
    /// The client secrets, oldest first.
    pub fn password_credentials(&self) -> &[PasswordCredential] {
        &self.password_credentials
    }

    /// Adds a client secret.
    pub fn add_password(&mut self, credential: PasswordCredential) {
        self.password_credentials.push(credential);
        self.show_password_credentials();
    }

    /// Removes the client secret `key_id` (case-insensitive); `false` when there is none.
    pub fn remove_password(&mut self, key_id: &str) -> bool {
        let before = self.password_credentials.len();
        self.password_credentials
            .retain(|c| !c.key_id.eq_ignore_ascii_case(key_id));
        if self.password_credentials.len() == before {
            return false;
        }
        self.show_password_credentials();
        true
    }

    /// The body as a read served at `visible_before` shows it: a secret added since has not
    /// reached that replica (its own delay, as for a new object, and the same instant from
    /// which sign-ins accept it). Real Graph is eventually consistent for every write,
    /// updates included (graph-facts §5.3, "Entra replicates writes"): a read right after `addPassword` may not list the
    /// new secret yet.
    pub fn body_seen_at(&self, visible_before: i64) -> Cow<'_, Map<String, Value>> {
        let seen = |c: &&PasswordCredential| c.created_ms + c.delay_ms <= visible_before;
        if self.password_credentials.iter().all(|c| seen(&c)) {
            return Cow::Borrowed(&self.body);
        }
        let mut body = self.body.clone();
        if let Some(list) = body
            .get_mut("passwordCredentials")
            .and_then(Value::as_array_mut)
        {
            *list = self
                .password_credentials
                .iter()
                .filter(seen)
                .map(PasswordCredential::graph_body)
                .collect();
        }
        Cow::Owned(body)
    }

    /// Writes Graph's view of the credentials into the body.
    fn show_password_credentials(&mut self) {
        if let Some(list) = self
            .body
            .get_mut("passwordCredentials")
            .and_then(Value::as_array_mut)
        {
            *list = self
                .password_credentials
                .iter()
                .map(PasswordCredential::graph_body)
                .collect();
        }
    }
}
