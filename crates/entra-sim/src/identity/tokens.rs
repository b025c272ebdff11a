//! Minting ID tokens (RS256, graph-facts §1.6) and access tokens.
//!
//! Access tokens are JWTs signed with the same key so Graph can check them; clients must
//! not rely on that (graph-facts §1.3).

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::directory::{Record, Stored};
use crate::jwt::Signer;
use crate::random;
use crate::seed::SeedUser;

pub fn issuer(base_url: &str, tenant_id: &str) -> String {
    format!("{base_url}/{tenant_id}/v2.0")
}

/// The `aud` of tokens for a resource: its URI-form name when it has one.
pub fn audience(sp: &Record) -> String {
    sp.body
        .get("servicePrincipalNames")
        .and_then(Value::as_array)
        .and_then(|names| {
            names
                .iter()
                .filter_map(Value::as_str)
                .find(|n| n.starts_with("https://"))
        })
        .map(|n| n.trim_end_matches('/').to_owned())
        .unwrap_or_else(|| sp.str("appId").to_owned())
}

/// `sub` is pairwise: stable per user and application, different across applications.
fn pairwise_subject(user_id: &str, client_id: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(format!("{client_id}:{user_id}").as_bytes()))[..43]
        .to_owned()
}

pub struct IdTokenInput<'a> {
    pub base_url: &'a str,
    pub tenant_id: &'a str,
    pub user: &'a SeedUser,
    pub client_id: &'a str,
    pub nonce: Option<&'a str>,
    pub profile: bool,
    pub email: bool,
    pub now_ms: i64,
    pub auth_time_ms: i64,
}

pub fn id_token(signer: &Signer, input: &IdTokenInput) -> String {
    let now = input.now_ms / 1000;
    let mut claims = json!({
        "aud": input.client_id,
        "iss": issuer(input.base_url, input.tenant_id),
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "auth_time": input.auth_time_ms / 1000,
        "sub": pairwise_subject(&input.user.id, input.client_id),
        "tid": input.tenant_id,
        "uti": random::opaque_token(16),
        "ver": "2.0",
    });
    // oid, name and preferred_username need the `profile` scope (graph-facts §1.6).
    if input.profile {
        claims["oid"] = json!(input.user.id);
        claims["name"] = json!(input.user.display_name);
        // A guest's sign-in name is their home account, not the `#EXT#` UPN.
        claims["preferred_username"] = json!(input.user.sign_in_name());
    }
    if input.email {
        claims["email"] = json!(input.user.mail);
    }
    if let Some(nonce) = input.nonce {
        claims["nonce"] = json!(nonce);
    }
    signer.sign(&claims)
}

pub struct AccessTokenInput<'a> {
    pub base_url: &'a str,
    pub tenant_id: &'a str,
    pub client_id: &'a str,
    pub resource: &'a Record,
    /// Delegated: the user; None for app-only tokens.
    pub user: Option<&'a SeedUser>,
    /// `scp` values (delegated) or `roles` values (app-only).
    pub permissions: &'a [String],
    pub now_ms: i64,
    pub lifetime_secs: u64,
}

pub fn access_token(signer: &Signer, input: &AccessTokenInput) -> String {
    let now = input.now_ms / 1000;
    let mut claims = json!({
        "aud": audience(input.resource),
        "iss": issuer(input.base_url, input.tenant_id),
        "iat": now,
        "nbf": now,
        "exp": now + input.lifetime_secs as i64,
        "tid": input.tenant_id,
        "appid": input.client_id,
        "azp": input.client_id,
        "uti": random::opaque_token(16),
        "ver": "1.0",
    });
    match input.user {
        Some(user) => {
            claims["idtyp"] = json!("user");
            claims["oid"] = json!(user.id);
            claims["sub"] = json!(pairwise_subject(&user.id, input.client_id));
            // Guests' access tokens carry no `upn` (their UPN is the `#EXT#` form).
            if !user.is_guest() {
                claims["upn"] = json!(user.user_principal_name);
            }
            claims["name"] = json!(user.display_name);
            claims["scp"] = json!(input.permissions.join(" "));
        }
        None => {
            claims["idtyp"] = json!("app");
            claims["roles"] = json!(input.permissions);
        }
    }
    signer.sign(&claims)
}
