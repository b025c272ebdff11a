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

impl std::fmt::Display for SecretHealth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let ends = self
            .secrets
            .first()
            .and_then(|s| date_of(s.ends.as_deref()));
        match (self.state, ends) {
            (SecretState::None, _) => f.write_str("No client secret"),
            (SecretState::Expired, Some(date)) => write!(f, "Expired on {date}"),
            (SecretState::Expired, None) => f.write_str("Expired"),
            (SecretState::Expiring, date) => {
                let days = self.days_left.unwrap_or(0);
                write!(
                    f,
                    "Expires in {days} day{}",
                    if days == 1 { "" } else { "s" }
                )?;
                match date {
                    Some(date) => write!(f, ", on {date}"),
                    None => Ok(()),
                }
            }
            (SecretState::Fine, Some(date)) => write!(f, "Valid until {date}"),
            (SecretState::Fine, None) => f.write_str("Valid, with no end date"),
        }
    }
}

impl std::fmt::Display for SecretInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} (Secret ID {})",
            self.display_name
                .as_deref()
                .unwrap_or("A secret without a description"),
            self.key_id
        )?;
        match (self.state, date_of(self.ends.as_deref())) {
            (SecretState::Expired, Some(date)) => write!(f, ": expired on {date}"),
            (_, Some(date)) => write!(f, ": ends {date}"),
            (_, None) => Ok(()),
        }
    }
}

/// The day (UTC) of a Graph date-time, for people.
fn date_of(ends: Option<&str>) -> Option<String> {
    ends.and_then(crate::time::UtcDateTime::parse_rfc3339)
        .map(|t| t.date())
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
    fn says_the_state_with_its_date() {
        assert_eq!(at(&[]).to_string(), "No client secret");
        assert_eq!(
            at(&[secret("a", "2026-11-30T00:00:00Z")]).to_string(),
            "Expired on 2026-11-30"
        );
        assert_eq!(
            at(&[secret("b", "2026-12-20T00:00:00Z")]).to_string(),
            "Expires in 19 days, on 2026-12-20"
        );
        let fine = at(&[secret("c", "2027-06-01T10:00:00Z")]);
        assert_eq!(fine.to_string(), "Valid until 2027-06-01");
        assert_eq!(
            fine.secrets[0].to_string(),
            "A secret without a description (Secret ID c): ends 2027-06-01"
        );
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
