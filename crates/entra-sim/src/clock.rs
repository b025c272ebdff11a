//! The simulator's clock: real time plus an offset that tests move forward.
//!
//! Everything time-dependent (code, token and refresh-token lifetimes, replication delay,
//! throttling windows, secret expiry) reads this clock, so a test advances it through
//! `/_sim/clock` instead of sleeping.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;

#[derive(Debug, Clone, Default)]
pub struct SimClock {
    offset_ms: i64,
    frozen_at_ms: Option<i64>,
}

#[derive(Debug, Serialize)]
pub struct ClockView {
    pub now: String,
    pub now_ms: i64,
    pub offset_ms: i64,
    pub frozen: bool,
}

impl SimClock {
    pub fn now_ms(&self) -> i64 {
        self.frozen_at_ms
            .unwrap_or_else(|| real_now_ms() + self.offset_ms)
    }

    pub fn advance(&mut self, ms: i64) {
        match &mut self.frozen_at_ms {
            Some(at) => *at += ms,
            None => self.offset_ms += ms,
        }
    }

    /// Stops the clock at its current reading, for tests that compare exact instants.
    pub fn freeze(&mut self) {
        if self.frozen_at_ms.is_none() {
            self.frozen_at_ms = Some(self.now_ms());
        }
    }

    pub fn unfreeze(&mut self) {
        if let Some(at) = self.frozen_at_ms.take() {
            self.offset_ms = at - real_now_ms();
        }
    }

    pub fn view(&self) -> ClockView {
        let now_ms = self.now_ms();
        ClockView {
            now: rfc3339(now_ms),
            now_ms,
            offset_ms: self.offset_ms,
            frozen: self.frozen_at_ms.is_some(),
        }
    }
}

fn real_now_ms() -> i64 {
    Utc::now().timestamp_millis()
}

fn datetime(ms: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(ms).unwrap_or_default()
}

/// `2025-02-13T10:17:06Z`, the shape Graph uses for `createdDateTime` and friends.
pub fn rfc3339(ms: i64) -> String {
    datetime(ms).to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `2025-02-13T10:17:06`, the shape of `innerError.date` in Graph error bodies (graph-facts §9.3).
pub fn graph_error_date(ms: i64) -> String {
    datetime(ms).format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// `2025-02-13 10:17:06Z`, the shape of `timestamp` in identity-platform error bodies.
pub fn identity_error_timestamp(ms: i64) -> String {
    datetime(ms).format("%Y-%m-%d %H:%M:%SZ").to_string()
}

pub fn parse_rfc3339_ms(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|d| d.timestamp_millis())
}

/// Parses the ISO-8601 durations app management policies use (`P180D`, `P1Y`, `PT12H`).
/// Years and months are taken as 365 and 30 days: the policy limits are coarse anyway.
pub fn parse_iso8601_duration_ms(text: &str) -> Option<i64> {
    let rest = text.strip_prefix('P')?;
    let (date_part, time_part) = match rest.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (rest, None),
    };
    let mut total: i64 = 0;
    let mut parse = |part: &str, units: &[(char, i64)]| -> Option<()> {
        let mut number = String::new();
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
            } else {
                let unit_ms = units.iter().find(|(u, _)| *u == c)?.1;
                total += number.parse::<i64>().ok()? * unit_ms;
                number.clear();
            }
        }
        number.is_empty().then_some(())
    };
    const DAY: i64 = 86_400_000;
    parse(
        date_part,
        &[
            ('Y', 365 * DAY),
            ('M', 30 * DAY),
            ('W', 7 * DAY),
            ('D', DAY),
        ],
    )?;
    if let Some(t) = time_part {
        parse(t, &[('H', 3_600_000), ('M', 60_000), ('S', 1_000)])?;
    }
    Some(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn advancing_a_frozen_clock_moves_it_exactly() {
        let mut clock = SimClock::default();
        clock.freeze();
        let before = clock.now_ms();
        clock.advance(1_500);
        assert_eq!(clock.now_ms(), before + 1_500);
    }

    #[test]
    fn durations_parse() {
        assert_eq!(parse_iso8601_duration_ms("P180D"), Some(180 * 86_400_000));
        assert_eq!(parse_iso8601_duration_ms("PT1H30M"), Some(5_400_000));
        assert_eq!(parse_iso8601_duration_ms("180D"), None);
        assert_eq!(parse_iso8601_duration_ms("P1X"), None);
    }
}
