//! A registration's client secrets: which still work and for how long.

use serde::Serialize;

use super::EXPIRING_SOON_DAYS;
use crate::graph_model::PasswordCredential;
use crate::time::{parse_rfc3339_ms, MS_PER_DAY};

/// The best a registration's secrets give: one that works for a while is enough.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretState {
    /// No secret at all.
    None,
    /// Every secret has ended.
    Expired,
    /// The latest-ending secret ends within [`EXPIRING_SOON_DAYS`].
    Expiring,
    Fine,
}

impl std::fmt::Display for SecretState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SecretState::None => "none",
            SecretState::Expired => "expired",
            SecretState::Expiring => "expiring",
            SecretState::Fine => "fine",
        })
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SecretInfo {
    /// The Secret ID (never the Value: Graph does not return it).
    pub key_id: String,
    pub display_name: Option<String>,
    /// When it ends (`endDateTime`), as Graph gives it.
    pub ends: Option<String>,
    pub state: SecretState,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SecretHealth {
    pub state: SecretState,
    /// Days until the latest-ending secret ends (negative once it has).
    pub days_left: Option<i64>,
    /// Latest-ending first.
    pub secrets: Vec<SecretInfo>,
}

pub(super) fn assess(credentials: &[PasswordCredential], now_ms: i64) -> SecretHealth {
    let mut secrets: Vec<(Option<i64>, SecretInfo)> = credentials
        .iter()
        .map(|c| {
            let end = c.end_date_time.as_deref().and_then(parse_rfc3339_ms);
            let info = SecretInfo {
                key_id: c.key_id.clone().unwrap_or_default(),
                display_name: c.display_name.clone(),
                ends: c.end_date_time.clone(),
                state: state_at(end, now_ms),
            };
            (end, info)
        })
        .collect();
    // An unreadable end date sorts as "never ends", as Graph's portal shows such secrets.
    secrets.sort_by_key(|(end, _)| std::cmp::Reverse(end.unwrap_or(i64::MAX)));
    let best = secrets.first();
    SecretHealth {
        state: best.map_or(SecretState::None, |(_, s)| s.state),
        days_left: best
            .and_then(|(end, _)| *end)
            .map(|end| (end - now_ms).div_euclid(MS_PER_DAY)),
        secrets: secrets.into_iter().map(|(_, s)| s).collect(),
    }
}

fn state_at(end: Option<i64>, now_ms: i64) -> SecretState {
    match end {
        None => SecretState::Fine,
        Some(end) if end <= now_ms => SecretState::Expired,
        Some(end) if end - now_ms < EXPIRING_SOON_DAYS * MS_PER_DAY => SecretState::Expiring,
        Some(_) => SecretState::Fine,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: &str = "2026-12-01T00:00:00Z";

    fn secret(id: &str, end: &str) -> PasswordCredential {
        PasswordCredential {
            key_id: Some(id.into()),
            end_date_time: Some(end.into()),
            ..Default::default()
        }
    }

    fn at(credentials: &[PasswordCredential]) -> SecretHealth {
        assess(credentials, parse_rfc3339_ms(NOW).unwrap())
    }

    #[test]
    fn the_latest_ending_secret_decides() {
        assert_eq!(at(&[]).state, SecretState::None);
        assert_eq!(
            at(&[secret("a", "2026-11-30T00:00:00Z")]).state,
            SecretState::Expired
        );
        let soon = at(&[
            secret("a", "2026-11-30T00:00:00Z"),
            secret("b", "2026-12-20T00:00:00Z"),
        ]);
        assert_eq!(
            (soon.state, soon.days_left),
            (SecretState::Expiring, Some(19))
        );
        assert_eq!(soon.secrets[0].key_id, "b", "latest-ending first");
        assert_eq!(soon.secrets[1].state, SecretState::Expired);
        let fine = at(&[
            secret("a", "2027-06-01T00:00:00Z"),
            secret("b", "2026-12-20T00:00:00Z"),
        ]);
        assert_eq!(fine.state, SecretState::Fine);
    }

    #[test]
    fn thirty_days_is_the_edge_of_expiring() {
        assert_eq!(
            at(&[secret("a", "2026-12-30T23:59:59Z")]).state,
            SecretState::Expiring
        );
        assert_eq!(
            at(&[secret("a", "2026-12-31T00:00:00Z")]).state,
            SecretState::Fine
        );
    }
}
