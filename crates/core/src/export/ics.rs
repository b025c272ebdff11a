//! A calendar reminder (RFC 5545) a week before the client secret expires, so the admin
//! rotates it before the integration stops working.

use super::ExportFile;
use crate::catalog::Integration;
use crate::time::{UtcDateTime, MS_PER_DAY};

/// How long before the expiry the reminder falls.
pub const REMINDER_DAYS_BEFORE: i64 = 7;

/// `.ics` with one all-day event [`REMINDER_DAYS_BEFORE`] days before `expires_at_ms`
/// (or today, if that is already past), with a morning alarm. `now_ms` stamps it.
pub fn secret_reminder_ics(
    integration: &Integration,
    display_name: &str,
    client_id: &str,
    tenant_id: &str,
    expires_at_ms: i64,
    now_ms: i64,
) -> ExportFile {
    let expires = UtcDateTime::from_unix_ms(expires_at_ms);
    let remind_ms = (expires_at_ms - REMINDER_DAYS_BEFORE * MS_PER_DAY).max(now_ms);
    let day = UtcDateTime::from_unix_ms(remind_ms);
    let next_day = UtcDateTime::from_unix_ms(remind_ms + MS_PER_DAY);
    let summary = format!("Renew the client secret of {display_name}");
    let description = format!(
        "The client secret of the app registration \"{display_name}\" (client ID {client_id}, tenant {tenant_id}) expires on {} UTC. Add a new client secret in Microsoft Entra ID (or run Entra Setup Assistant again and ask for a new secret), paste its Value into {}, then delete the old secret.",
        expires.rfc3339().replace('T', " ").trim_end_matches('Z'),
        integration.console.name
    );
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Entra Setup Assistant//Secret reminder//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!(
            "UID:{}-{}@entra-setup-assistant",
            text(client_id),
            compact(expires)
        ),
        format!("DTSTAMP:{}", compact(UtcDateTime::from_unix_ms(now_ms))),
        format!("DTSTART;VALUE=DATE:{}", date(day)),
        format!("DTEND;VALUE=DATE:{}", date(next_day)),
        format!("SUMMARY:{}", text(&summary)),
        format!("DESCRIPTION:{}", text(&description)),
        "TRANSP:TRANSPARENT".to_owned(),
        "BEGIN:VALARM".to_owned(),
        "ACTION:DISPLAY".to_owned(),
        format!("DESCRIPTION:{}", text(&summary)),
        "TRIGGER:PT9H".to_owned(),
        "END:VALARM".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    let content: String = lines.iter().map(|l| fold(l) + "\r\n").collect();
    ExportFile {
        filename: format!("{}-secret-reminder.ics", integration.id),
        mime: "text/calendar".into(),
        content,
        notes: vec![format!(
            "The reminder is on {}, a week before the secret expires.",
            day.date()
        )],
    }
}

/// iCalendar's basic forms of [`UtcDateTime::date`] and [`UtcDateTime::rfc3339`]:
/// `20260522`, `20260522T100000Z`.
fn date(t: UtcDateTime) -> String {
    t.date().replace('-', "")
}

fn compact(t: UtcDateTime) -> String {
    t.rfc3339().replace(['-', ':'], "")
}

/// TEXT escaping (RFC 5545 §3.3.11).
fn text(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        match c {
            '\\' | ';' | ',' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            // RFC 5545 TEXT has no control characters (and a bare CR would end the line).
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines longer than 75 octets continue on the next line after CRLF + space (§3.1),
/// never splitting a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog;
    use crate::time::parse_rfc3339_ms;

    fn unfold(ics: &str) -> String {
        ics.replace("\r\n ", "")
    }

    #[test]
    fn reminder_falls_a_week_before_expiry_and_is_valid_icalendar() {
        let nango = catalog::by_id("nango-microsoft-teams").unwrap();
        let now = parse_rfc3339_ms("2025-11-23T10:42:00Z").unwrap();
        let expires = parse_rfc3339_ms("2026-05-22T10:42:00Z").unwrap();
        let f = secret_reminder_ics(nango, "Nango; Teams, prod", "c1d2", "t-1", expires, now);
        assert_eq!(f.filename, "nango-microsoft-teams-secret-reminder.ics");
        assert_eq!(f.mime, "text/calendar");
        assert!(f.content.ends_with("END:VCALENDAR\r\n"));
        assert!(
            f.content.lines().all(|l| l.len() <= 76),
            "unfolded long line"
        );
        assert!(!f.content.replace("\r\n", "").contains('\n'), "bare LF");
        let ics = unfold(&f.content);
        assert!(ics.contains("DTSTART;VALUE=DATE:20260515\r\n"), "{ics}");
        assert!(ics.contains("DTEND;VALUE=DATE:20260516\r\n"));
        assert!(ics.contains("DTSTAMP:20251123T104200Z\r\n"));
        assert!(ics.contains("SUMMARY:Renew the client secret of Nango\\; Teams\\, prod\r\n"));
        assert!(ics.contains("2026-05-22 10:42:00 UTC"));
        assert!(ics.contains("Nango dashboard") || ics.contains(nango.console.name));
        assert_eq!(ics.matches("BEGIN:").count(), ics.matches("END:").count());
    }

    #[test]
    fn an_expiry_within_a_week_reminds_today() {
        let fabric = catalog::by_id("nango-microsoft-fabric").unwrap();
        let now = parse_rfc3339_ms("2026-01-10T08:00:00Z").unwrap();
        let f = secret_reminder_ics(fabric, "Fabric", "c", "t", now + 2 * MS_PER_DAY, now);
        assert!(unfold(&f.content).contains("DTSTART;VALUE=DATE:20260110\r\n"));
    }
}
