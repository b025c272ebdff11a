//! `entra-setup health`: the tenant health rules of the web page, over a snapshot of the
//! tenant read from Graph (stdin), as JSON or as a short report.

use std::io::Read;

use entra_setup_core::health::{self, Report, Snapshot};
use entra_setup_core::time::parse_rfc3339_ms;

/// Reads the snapshot from `input` and assesses it at `now` (RFC 3339) or the clock.
pub fn run(input: &mut impl Read, json: bool, now: Option<&str>) -> Result<String, String> {
    let now_ms = match now {
        Some(at) => parse_rfc3339_ms(at)
            .ok_or_else(|| format!("--now {at:?} is not a UTC time like 2026-12-01T00:00:00Z"))?,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_err(|e| format!("the system clock: {e}"))?
            .as_millis() as i64,
    };
    let mut text = String::new();
    input
        .read_to_string(&mut text)
        .map_err(|e| format!("reading the snapshot from stdin: {e}"))?;
    if text.trim().is_empty() {
        return Err(
            "no snapshot on stdin: entra-setup health --json < snapshot.json \
                    (the README's \"Tenant health\" section shows how to write one with az rest)"
                .to_owned(),
        );
    }
    let snapshot = Snapshot::parse(&text).map_err(|e| e.to_string())?;
    let report = health::assess(&snapshot, now_ms);
    Ok(if json {
        let mut out = serde_json::to_string_pretty(&report).expect("the report serializes");
        out.push('\n');
        out
    } else {
        text_report(&report)
    })
}

fn text_report(report: &Report) -> String {
    let mut out = String::new();
    for group in &report.vendors {
        out.push_str(&format!("{}\n", group.vendor));
        for row in &group.rows {
            out.push_str(&format!(
                "  {} (client ID {}): {}, {}\n",
                row.display_name, row.app_id, row.integration_name, row.recognised
            ));
            let until = row
                .secret
                .secrets
                .first()
                .and_then(|s| s.ends.as_deref())
                .map(|end| format!(" (latest ends {})", &end[..end.len().min(10)]))
                .unwrap_or_default();
            out.push_str(&format!("    secret: {}{until}\n", row.secret.state));
            out.push_str(&format!("    redirect URI: {}\n", row.redirect.state));
            if row.healthy {
                out.push_str("    healthy\n");
            }
            for problem in &row.problems {
                out.push_str(&format!("    - {problem}\n"));
            }
            for (label, list) in [
                ("not requested", &row.permissions.not_requested),
                ("not granted", &row.permissions.not_granted),
                ("beyond the integration", &row.permissions.beyond),
                ("retired API", &row.permissions.retired),
            ] {
                if !list.is_empty() {
                    out.push_str(&format!("      {label}: {}\n", list.join(", ")));
                }
            }
        }
    }
    if report.vendors.is_empty() {
        out.push_str("No registration in the snapshot serves a catalog integration.\n");
    }
    out.push_str(&format!(
        "{} other registration{} not listed (no catalog integration).\n",
        report.not_listed,
        if report.not_listed == 1 { "" } else { "s" }
    ));
    out
}
