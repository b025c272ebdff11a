//! "Verify": re-read the tenant and check, one by one, that the registration matches the
//! plan.

use super::diff::{diff, Action, EXPIRING_SOON_DAYS};
use super::inputs::Inputs;
use super::observe::{observe, ObserveError, Observed};
use crate::automation::graph::Graph;
use crate::automation::host::{Host, TokenSource, Transport};
use crate::plan::Plan;
use crate::time::{parse_rfc3339_ms, UtcDateTime, MS_PER_DAY};

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Check {
    pub key: String,
    pub title: String,
    pub ok: bool,
    pub detail: String,
}

fn check(key: &str, title: impl Into<String>, ok: bool, detail: impl Into<String>) -> Check {
    Check {
        key: key.into(),
        title: title.into(),
        ok,
        detail: detail.into(),
    }
}

/// Re-reads the tenant and checks it against the plan.
pub async fn verify<T: Transport, H: Host, K: TokenSource>(
    graph: &Graph<'_, T, H, K>,
    plan: &Plan,
    inputs: &Inputs,
) -> Result<Vec<Check>, ObserveError> {
    let observed = observe(graph, plan, inputs).await?;
    Ok(checks(plan, inputs, &observed))
}

/// The checks over an observation (pure, for tests and for a UI that already observed).
pub fn checks(plan: &Plan, inputs: &Inputs, observed: &Observed) -> Vec<Check> {
    let d = diff(plan, inputs, observed);
    let mut out = Vec::new();
    let Some(app) = &observed.application else {
        out.push(check(
            "registration",
            "App registration exists",
            false,
            format!("no application with unique name {}", d.desired.unique_name),
        ));
        return out;
    };
    out.push(check(
        "registration",
        "App registration exists",
        true,
        format!("client ID {}", app.app_id.as_deref().unwrap_or("?")),
    ));
    // `redirect_uri` is `None` for a plan without a platform.
    if let Some(uri) = &d.desired.redirect_uri {
        let list = app.redirect_uris(d.desired.platform);
        out.push(check(
            "redirect-uri",
            format!(
                "Redirect URI on the {} platform",
                d.desired.platform.portal_label()
            ),
            list.contains(uri),
            if list.contains(uri) {
                uri.clone()
            } else {
                format!("{uri} is missing; registered: {}", list.join(", "))
            },
        ));
    }
    let rra = app.required_resource_access.clone().unwrap_or_default();
    let mut missing = Vec::new();
    for r in &d.desired.resources {
        for p in &r.permissions {
            let present = p.id.as_ref().is_some_and(|id| {
                rra.iter().any(|x| {
                    x.resource_app_id.eq_ignore_ascii_case(&r.api_app_id)
                        && x.resource_access.iter().any(|a| {
                            a.id.eq_ignore_ascii_case(id) && a.kind == p.kind.resource_access_type()
                        })
                })
            });
            if !present {
                missing.push(format!("{} {}", r.api_name, p.value));
            }
        }
    }
    out.push(check(
        "permissions",
        "API permissions requested",
        missing.is_empty() && d.blocking.is_empty(),
        if missing.is_empty() {
            format!(
                "{} permissions",
                d.desired
                    .resources
                    .iter()
                    .map(|r| r.permissions.len())
                    .sum::<usize>()
            )
        } else {
            format!("missing: {}", missing.join(", "))
        },
    ));
    out.push(check(
        "service-principal",
        "Enterprise application (service principal) exists",
        observed.service_principal.is_some(),
        observed
            .service_principal
            .as_ref()
            .and_then(|s| s.id.clone())
            .unwrap_or_else(|| "missing".into()),
    ));
    let grants: Vec<_> = d.items.iter().filter(|i| i.step.is_consent()).collect();
    if !grants.is_empty() {
        let not_consented: Vec<&str> = grants
            .iter()
            .filter(|i| i.action != Action::Keep)
            .map(|i| i.title.as_str())
            .collect();
        out.push(check(
            "consent",
            "Admin consent granted",
            not_consented.is_empty(),
            if not_consented.is_empty() {
                "all permissions consented".to_owned()
            } else {
                format!("not yet: {}", not_consented.join("; "))
            },
        ));
    }
    if d.desired.secret_days.is_some() {
        let soon = inputs.now_ms + EXPIRING_SOON_DAYS * MS_PER_DAY;
        let latest = app
            .password_credentials
            .iter()
            .filter_map(|c| c.end_date_time.as_deref().and_then(parse_rfc3339_ms))
            .max();
        let date = |end: i64| UtcDateTime::from_unix_ms(end).date();
        let (ok, detail) = match latest {
            Some(end) if end > soon => (true, format!("expires {}", date(end))),
            Some(end) if end > inputs.now_ms => {
                (false, format!("expires {}: add a new secret", date(end)))
            }
            _ => (false, "no valid secret".to_owned()),
        };
        out.push(check(
            "secret",
            "Client secret present and not expiring soon",
            ok,
            detail,
        ));
    }
    out
}
