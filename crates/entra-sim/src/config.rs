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
    /// `Gentle` (default) or `Realistic`: the latter turns on every realistic knob at
    /// startup (see [`Profile::apply`]).
    pub profile: Profile,
    /// Seeds the simulator's random draws (per-object replication delays), so a run is
    /// reproducible. `None`: drawn from the OS once at startup (shown by `/_sim/info`).
    pub random_seed: Option<u64>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            port: 0,
            knobs: Knobs::default(),
            spa_redirect_uris: Vec::new(),
            seed: Seed::default_seed(),
            profile: Profile::Gentle,
            random_seed: None,
        }
    }
}

impl SimConfig {
    /// A default configuration under the realistic profile.
    pub fn realistic() -> SimConfig {
        SimConfig {
            profile: Profile::Realistic,
            ..SimConfig::default()
        }
    }

    /// Applies a `--config` file: `{"profile": "realistic", "random_seed": 7,
    /// "spa_redirect_uris": [...], "knobs": {...}}`.
    pub fn apply_file(&mut self, file: ConfigFile) {
        self.spa_redirect_uris.extend(file.spa_redirect_uris);
        if let Some(profile) = file.profile {
            self.profile = profile;
        }
        if let Some(seed) = file.random_seed {
            self.random_seed = Some(seed);
        }
        if let Some(knobs) = file.knobs {
            self.knobs = knobs;
        }
    }

    /// The knobs the simulator starts (and resets) with: `knobs` with the profile applied.
    pub fn startup_knobs(&self) -> Knobs {
        let mut knobs = self.knobs.clone();
        self.profile.apply(&mut knobs);
        knobs
    }
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    #[serde(default)]
    pub profile: Option<Profile>,
    #[serde(default)]
    pub random_seed: Option<u64>,
    #[serde(default)]
    pub spa_redirect_uris: Vec<String>,
    #[serde(default)]
    pub knobs: Option<Knobs>,
}

/// How much of a real tenant's hard behaviour the simulator shows.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// Everything replicates by the fixed `replication_delay_ms` (0 by default), lists come
    /// in one page, and the lenient legacy answers stay (the profile the older tests use).
    #[default]
    Gentle,
    /// Everything a real tenant does that a client must survive, at once; each part is also
    /// a knob (see `Knobs`), listed with its source in the README's "Realistic profile".
    Realistic,
}

impl Profile {
    /// Realistic: per-object replication delays of 300..3000 ms (sim clock), pages of 2,
    /// replication answered with every form real Graph uses, upserts must carry
    /// `displayName`, v1 admin consent without a reply URL fails with AADSTS500113.
    /// Knobs already set away from their gentle default are kept.
    pub fn apply(self, knobs: &mut Knobs) {
        if self == Profile::Gentle {
            return;
        }
        knobs
            .replication_delay_range_ms
            .get_or_insert(REALISTIC_REPLICATION_DELAY_RANGE_MS);
        knobs.page_size.get_or_insert(REALISTIC_PAGE_SIZE);
        knobs.replication_bad_requests = true;
        knobs.upsert_requires_display_name = true;
        knobs.admin_consent_requires_reply_url = true;
    }

    pub fn parse(text: &str) -> Result<Profile, String> {
        match text.to_ascii_lowercase().as_str() {
            "gentle" => Ok(Profile::Gentle),
            "realistic" => Ok(Profile::Realistic),
            other => Err(format!(
                "unknown profile '{other}' (expected 'gentle' or 'realistic')"
            )),
        }
    }
}

/// Per-object replication delays of the realistic profile, in sim-clock milliseconds: long
/// enough that a client meets every "not replicated yet" form, short enough that a browser
/// end-to-end run stays fast.
pub const REALISTIC_REPLICATION_DELAY_RANGE_MS: [u64; 2] = [300, 3000];
/// Page size of the realistic profile: every list a client reads spans pages.
pub const REALISTIC_PAGE_SIZE: usize = 2;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(default, deny_unknown_fields)]
pub struct Knobs {
    /// Added before every identity and Graph response (not `/_sim/`).
    pub latency_ms: u64,
    /// Objects younger than this (sim clock) are invisible to Graph reads and references,
    /// and to sign-in lookups of apps and secrets (graph-facts §5.3).
    pub replication_delay_ms: u64,
    /// Each newly created object (application, service principal, grant, assignment,
    /// secret) also stays invisible for its own delay, drawn uniformly from `[min, max]`
    /// (sim-clock ms) by the seeded random source. `null`: no per-object delay.
    pub replication_delay_range_ms: Option<[u64; 2]>,
    /// A reference to an object not replicated yet answers 400 where real Graph does
    /// (grants: `Request_BadRequest` "Resource '…' does not exist…"; assignments:
    /// "Not a valid reference update.") instead of 404.
    pub replication_bad_requests: bool,
    /// Every collection read (also inside `$batch`) answers at most this many items, with
    /// an absolute `@odata.nextLink`. `null`: one page unless `$top` says otherwise.
    pub page_size: Option<usize>,
    /// Upserts (`PATCH …(uniqueName='…')`, `PATCH /servicePrincipals(appId='…')`) without
    /// `displayName` in the body answer 400, as the upsert docs require it.
    pub upsert_requires_display_name: bool,
    /// v1 `/{tenant}/adminconsent` for an application with no reply URL answers AADSTS500113
    /// instead of a success page.
    pub admin_consent_requires_reply_url: bool,
    /// Creating an application (`POST /applications`, or an upsert that creates one) without
    /// a `serviceManagementReference` answers 400 `ServiceTreeValueMissing`, as in a tenant
    /// that requires one on every new registration (README, "Errors the simulator emits").
    pub service_management_reference_required: bool,
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
            replication_delay_range_ms: None,
            replication_bad_requests: false,
            page_size: None,
            upsert_requires_display_name: false,
            admin_consent_requires_reply_url: false,
            service_management_reference_required: false,
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
    fn the_realistic_profile_turns_every_realistic_knob_on_and_keeps_explicit_ones() {
        let mut knobs = Knobs {
            page_size: Some(5),
            ..Knobs::default()
        };
        Profile::Realistic.apply(&mut knobs);
        assert_eq!(knobs.page_size, Some(5));
        assert_eq!(
            knobs.replication_delay_range_ms,
            Some(REALISTIC_REPLICATION_DELAY_RANGE_MS)
        );
        assert!(knobs.replication_bad_requests);
        assert!(knobs.upsert_requires_display_name);
        assert!(knobs.admin_consent_requires_reply_url);
        let mut gentle = Knobs::default();
        Profile::Gentle.apply(&mut gentle);
        assert_eq!(gentle, Knobs::default());
    }

    #[test]
    fn the_config_file_names_the_profile_and_random_seed() {
        let file: ConfigFile =
            serde_json::from_str(r#"{"profile": "realistic", "random_seed": 42}"#).unwrap();
        let mut config = SimConfig::default();
        config.apply_file(file);
        assert_eq!(config.profile, Profile::Realistic);
        assert_eq!(config.random_seed, Some(42));
        assert_eq!(config.startup_knobs().page_size, Some(REALISTIC_PAGE_SIZE));
        assert!(serde_json::from_str::<ConfigFile>(r#"{"profile": "harsh"}"#).is_err());
        assert_eq!(Profile::parse("Realistic"), Ok(Profile::Realistic));
        assert!(Profile::parse("harsh").is_err());
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
