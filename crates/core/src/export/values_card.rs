//! The values card: the pasted values keyed as the destination console names them, in its
//! order, then the redirect URI and the secret's expiry for the admin's records.

use super::{check, constant_case, one_line, pretty, ExportError, ExportFile};
use crate::catalog::{Integration, Platform, ValueSource};
use crate::plan::Plan;
use crate::values::Values;

/// (label, value) in card order.
fn card_rows(integration: &Integration, plan: &Plan, values: &Values) -> Vec<(String, String)> {
    let mut rows: Vec<(String, String)> = integration
        .console
        .fields
        .iter()
        .map(|f| (f.label.to_owned(), values.get(f.value).trim().to_owned()))
        .collect();
    let has = |source: ValueSource| integration.console.fields.iter().any(|f| f.value == source);
    if plan.platform != Platform::None && !has(ValueSource::RedirectUri) {
        let uri = if values.redirect_uri.trim().is_empty() {
            plan.redirect_uri.clone().unwrap_or_default()
        } else {
            values.redirect_uri.trim().to_owned()
        };
        rows.push(("Redirect URI".to_owned(), uri));
    }
    if integration.needs_secret() {
        rows.push((
            "Secret expires".to_owned(),
            values.secret_expires.trim().to_owned(),
        ));
    }
    rows
}

/// Quotes a value when a dotenv parser would otherwise misread it.
fn env_value(v: &str) -> String {
    let plain = v
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-_.:/,@~+=%".contains(c));
    if plain {
        v.to_owned()
    } else {
        let escaped: String = v
            .chars()
            .flat_map(|c| match c {
                '"' | '\\' | '$' | '`' => vec!['\\', c],
                '\n' => vec!['\\', 'n'],
                '\r' => vec!['\\', 'r'],
                c if c.is_control() => vec![],
                c => vec![c],
            })
            .collect();
        format!("\"{escaped}\"")
    }
}

pub fn values_env(
    integration: &Integration,
    plan: &Plan,
    values: &Values,
) -> Result<ExportFile, ExportError> {
    check(plan)?;
    let mut content = format!(
        "# Values for the {} ({}).\n# Contains the client secret: keep this file out of source control and delete it once the values are entered.\n",
        integration.console.name,
        one_line(&plan.display_name)
    );
    for (label, value) in card_rows(integration, plan, values) {
        content.push_str(&format!(
            "{}={}\n",
            constant_case(&label),
            env_value(&value)
        ));
    }
    Ok(ExportFile {
        filename: format!("{}.env", integration.id),
        mime: "text/plain".into(),
        content,
        notes: secret_notes(values),
    })
}

pub fn values_json(
    integration: &Integration,
    plan: &Plan,
    values: &Values,
) -> Result<ExportFile, ExportError> {
    check(plan)?;
    let rows = card_rows(integration, plan, values);
    let mut content = pretty(&Fields(&rows));
    content.push('\n');
    Ok(ExportFile {
        filename: format!("{}-values.json", integration.id),
        mime: "application/json".into(),
        content,
        notes: secret_notes(values),
    })
}

/// The card's rows as one JSON object whose keys keep the console's field order
/// (serde_json's own map would sort them).
struct Fields<'a>(&'a [(String, String)]);

impl serde::Serialize for Fields<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

fn secret_notes(values: &Values) -> Vec<String> {
    if values.secret_value.trim().is_empty() {
        Vec::new()
    } else {
        vec!["The file contains the client secret's Value: store it as a secret and delete the file once the values are entered.".to_owned()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_keys_follow_the_console_labels() {
        assert_eq!(constant_case("Client Secret"), "CLIENT_SECRET");
        assert_eq!(constant_case("SQL Endpoint Host"), "SQL_ENDPOINT_HOST");
        assert_eq!(
            constant_case("Application (client) ID"),
            "APPLICATION_CLIENT_ID"
        );
    }

    #[test]
    fn env_values_that_a_parser_would_split_are_quoted() {
        assert_eq!(env_value("abc~DEF.123_x-y"), "abc~DEF.123_x-y");
        assert_eq!(env_value("a b#c"), "\"a b#c\"");
        assert_eq!(env_value("x\"$y"), "\"x\\\"\\$y\"");
        assert_eq!(env_value("a\r\nb\u{1b}[2J"), "\"a\\r\\nb[2J\"");
    }
}
