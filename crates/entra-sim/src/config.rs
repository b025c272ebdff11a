//! Startup configuration and the runtime behaviour knobs.
//!
//! The same `Knobs` shape is read from the `--config` file (under `"knobs"`) and served
//! and patched at `/_sim/knobs`, so a test can set up a scenario either way.

use serde::{Deserialize, Serialize};

use crate::seed::Seed;

/// Everything needed to start a simulator.
#[derive(Debug, Clone)]
pub struct SimConfig {
    /// 0 binds any free port.
    pub port: u16,
    pub knobs: Knobs,
    /// Added to the `spa.redirectUris` of the assistant's client registration
    /// (`ids::ASSISTANT_CLIENT_ID`) on top of the seed's.
    pub spa_redirect_uris: Vec<String>,
    /// The directory to start from and to return to on `POST /_sim/reset`.
    pub seed: Seed,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            port: 0,
            knobs: Knobs::default(),
            spa_redirect_uris: Vec::new(),
            seed: Seed::default_seed(),
        }
    }
}

impl SimConfig {
    /// Applies a `--config` file: `{"spa_redirect_uris": [...], "knobs": {...}}`.
    pub fn apply_file(&mut self, file: ConfigFile) {
        self.spa_redirect_uris.extend(file.spa_redirect_uris);
        if let Some(knobs) = file.knobs {
            self.knobs = knobs;
        }
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub spa_redirect_uris: Vec<String>,
    #[serde(default)]
    pub knobs: Option<Knobs>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Knobs {
    /// Added before every identity and Graph response (not `/_sim/`).
    pub latency_ms: u64,
    /// Objects younger than this (sim clock) are invisible to Graph reads and references,
    /// and to sign-in lookups of apps and secrets (graph-facts §5.3).
    pub replication_delay_ms: u64,
    /// Graph requests (each `$batch` item counted separately) beyond `max_requests` in a
    /// fixed window of `window_ms` get 429 with `Retry-After`.
    pub throttle: Option<Throttle>,
    /// Injected failures, consumed in order of the list; see `FaultSpec`.
    pub faults: Vec<FaultSpec>,
    /// Whether Graph lists `Retry-After` in `Access-Control-Expose-Headers`.
    /// Off by default: the reference notes browser code may not be able to read it.
    pub expose_retry_after: bool,
    /// Authorization codes live this long (graph-facts §1.2: "about 1 minute").
    pub code_lifetime_secs: u64,
    pub access_token_lifetime_secs: u64,
    /// Refresh tokens issued to `spa` redirect URIs die this long after sign-in (§1.5).
    pub spa_refresh_token_lifetime_secs: u64,
    /// Oldest request-log entries are dropped past this many.
    pub request_log_limit: usize,
}

impl Default for Knobs {
    fn default() -> Self {
        Knobs {
            latency_ms: 0,
            replication_delay_ms: 0,
            throttle: None,
            faults: Vec::new(),
            expose_retry_after: false,
            code_lifetime_secs: 60,
            access_token_lifetime_secs: 3599,
            spa_refresh_token_lifetime_secs: 24 * 3600,
            request_log_limit: 5000,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Throttle {
    pub max_requests: u32,
    pub window_ms: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct FaultSpec {
    /// Assigned by the simulator when absent; used by `DELETE /_sim/faults/{id}`.
    #[serde(default)]
    pub id: Option<String>,
    /// HTTP method to match (any when absent), case-insensitive.
    #[serde(default)]
    pub method: Option<String>,
    /// Path pattern, `*` matching any run of characters: `/v1.0/servicePrincipals*`,
    /// `/*/oauth2/v2.0/token`. Matched against the path without the query string; `$batch`
    /// items are matched by their own URL prefixed with `/v1.0`.
    pub path: String,
    pub kind: FaultKind,
    /// How many matching requests fail; `null` for every one until removed. Decremented as
    /// faults fire; spent faults are removed.
    #[serde(default = "one")]
    pub count: Option<u32>,
    /// `Retry-After` seconds to send with 503/504.
    #[serde(default)]
    pub retry_after_secs: Option<u64>,
}

fn one() -> Option<u32> {
    Some(1)
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// 503 Service Unavailable.
    #[serde(alias = "503")]
    ServiceUnavailable,
    /// 504 Gateway Timeout.
    #[serde(alias = "504")]
    GatewayTimeout,
    /// The TCP connection is closed without a response.
    #[serde(alias = "drop")]
    DropConnection,
    /// Graph answers 401 InvalidAuthenticationToken as if the (valid) token had expired.
    /// Only Graph requests match this kind.
    #[serde(alias = "token_expiry")]
    TokenExpired,
}

impl FaultSpec {
    pub fn matches(&self, method: &str, path: &str) -> bool {
        if let Some(m) = &self.method {
            if !m.eq_ignore_ascii_case(method) {
                return false;
            }
        }
        glob_match(&self.path, path)
    }
}

/// `*` matches any run of characters (including `/`); everything else matches itself,
/// ASCII case-insensitively because Graph paths are case-insensitive.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().map(|c| c.to_ascii_lowercase()).collect();
    let t: Vec<char> = text.chars().map(|c| c.to_ascii_lowercase()).collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] != '*' && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_matches_prefixes_and_middles() {
        assert!(glob_match(
            "/v1.0/servicePrincipals*",
            "/v1.0/servicePrincipals/abc/appRoleAssignedTo"
        ));
        assert!(glob_match(
            "/*/oauth2/v2.0/token",
            "/contoso.com/oauth2/v2.0/token"
        ));
        assert!(glob_match("/v1.0/APPLICATIONS", "/v1.0/applications"));
        assert!(!glob_match("/v1.0/applications", "/v1.0/applications/x"));
        assert!(!glob_match("/v1.0/me*", "/v1.0/organization"));
    }

    #[test]
    fn fault_count_defaults_to_one_and_null_means_unlimited() {
        let f: FaultSpec = serde_json::from_str(r#"{"path":"/x","kind":"503"}"#).unwrap();
        assert_eq!(f.count, Some(1));
        assert_eq!(f.kind, FaultKind::ServiceUnavailable);
        let f: FaultSpec =
            serde_json::from_str(r#"{"path":"/x","kind":"drop_connection","count":null}"#).unwrap();
        assert_eq!(f.count, None);
    }
}
