//! Calendar arithmetic on Unix timestamps, for the dates Graph and iCalendar want.
//!
//! Core has no clock: callers pass "now" in. This module only converts and formats.

/// A UTC date and time, to the second.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct UtcDateTime {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
}

pub const MS_PER_DAY: i64 = 86_400_000;

impl UtcDateTime {
    /// From Unix epoch milliseconds (sub-second part dropped).
    pub fn from_unix_ms(ms: i64) -> UtcDateTime {
        let secs = ms.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        UtcDateTime {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: (rem % 3600 / 60) as u32,
            second: (rem % 60) as u32,
        }
    }

    pub fn to_unix_ms(self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        (days * 86_400
            + i64::from(self.hour) * 3600
            + i64::from(self.minute) * 60
            + i64::from(self.second))
            * 1000
    }

    /// `2026-05-22T10:00:00Z`, the form Graph's `DateTimeOffset` properties take.
    pub fn rfc3339(self) -> String {
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )
    }

    /// `2026-05-22`.
    pub fn date(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// Parses Graph's timestamps: `2026-05-22T10:00:00Z`, with optional fractional seconds
    /// and an optional `Z`/`+00:00` (Graph returns UTC).
    pub fn parse_rfc3339(s: &str) -> Option<UtcDateTime> {
        let s = s.trim();
        let b = s.as_bytes();
        if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
        let t = UtcDateTime {
            year: i64::from(num(0..4)?),
            month: num(5..7)?,
            day: num(8..10)?,
            hour: num(11..13)?,
            minute: num(14..16)?,
            second: num(17..19)?,
        };
        let valid = (1..=12).contains(&t.month)
            && (1..=days_in_month(t.year, t.month)).contains(&t.day)
            && t.hour < 24
            && t.minute < 60
            && t.second < 61;
        let mut rest = &s[19..];
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.chars().take_while(char::is_ascii_digit).count();
            rest = &frac[digits..];
        }
        let utc = matches!(rest, "" | "Z" | "z" | "+00:00" | "-00:00");
        (valid && utc).then_some(t)
    }
}

/// Milliseconds to an RFC 3339 UTC timestamp.
pub fn rfc3339(ms: i64) -> String {
    UtcDateTime::from_unix_ms(ms).rfc3339()
}

/// An RFC 3339 UTC timestamp to milliseconds.
pub fn parse_rfc3339_ms(s: &str) -> Option<i64> {
    UtcDateTime::parse_rfc3339(s).map(UtcDateTime::to_unix_ms)
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's days_from_civil / civil_from_days (public domain algorithms).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants_round_trip() {
        // 2000-02-29 (a leap day in a century leap year) and the epoch.
        assert_eq!(rfc3339(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_767_225_599_000), "2025-12-31T23:59:59Z");
        for ms in [0, 951_782_400_000, 1_767_225_599_000, 4_102_444_800_000] {
            assert_eq!(parse_rfc3339_ms(&rfc3339(ms)), Some(ms));
        }
    }

    #[test]
    fn parses_graph_forms_and_rejects_others() {
        let ms = parse_rfc3339_ms("2026-05-22T10:00:00Z").unwrap();
        assert_eq!(parse_rfc3339_ms("2026-05-22T10:00:00.1234567Z"), Some(ms));
        assert_eq!(parse_rfc3339_ms("2026-05-22T10:00:00+00:00"), Some(ms));
        assert_eq!(parse_rfc3339_ms("2026-05-22T10:00:00+02:00"), None);
        assert_eq!(parse_rfc3339_ms("2026-02-30T10:00:00Z"), None);
        assert_eq!(parse_rfc3339_ms("yesterday"), None);
    }
}
