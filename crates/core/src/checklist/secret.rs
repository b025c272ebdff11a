//! The client secret: add it with an expiry the portal offers, then copy its Value while
//! the portal still shows it.

use std::borrow::Cow;

use crate::catalog::Credential;
use crate::plan::{DEFAULT_SECRET_DAYS, MAX_SECRET_DAYS};
use crate::text::Rich;

use super::{entra_step, Context, Step};

/// Empty when the integration uses no client secret (or the plan adds none).
pub(super) fn steps(cx: &Context) -> Vec<Step> {
    let (integration, app_path) = (cx.integration, &cx.app_path);
    let (Credential::ClientSecret { guide_expiry }, Some(days)) =
        (integration.credential, cx.plan.secret_lifetime_days)
    else {
        return Vec::new();
    };
    let mut s = entra_step(
        "new-secret",
        Some(format!(
            "{app_path} > Certificates & secrets > Client secrets"
        )),
        Rich::text("Select ")
            .ui("Certificates & secrets")
            .t(" > ")
            .ui("Client secrets")
            .t(" > ")
            .ui("New client secret")
            .t(", enter a ")
            .ui("Description")
            .t(" such as ")
            .code(format!("{} integration", integration.vendor))
            .t(", under ")
            .ui("Expires")
            .t(" choose an expiry that matches your organization's policy, such as ")
            .ui(lifetime_label(days))
            .t(", and select ")
            .ui("Add")
            .t("."),
    );
    s.details.push(Rich::text("Put the expiry date in your calendar: the integration stops working when the secret expires, and you then add a new secret and paste its Value into the vendor's console."));
    if let Some(expiry) = guide_expiry {
        s.warning = Some(Rich::text(format!("The guide asks for {expiry}; the portal allows at most 24 months and Microsoft recommends less than 12.")));
    }
    let copy = entra_step(
        "copy-secret-value",
        Some(format!(
            "{app_path} > Certificates & secrets > Client secrets"
        )),
        Rich::text("Copy the secret's ")
            .ui("Value")
            .t(" now, with the copy button in the ")
            .ui("Value")
            .t(" column, not the ")
            .ui("Secret ID")
            .t(". The Value is shown only until you leave the page."),
    );
    vec![s, copy]
}

/// The portal's options for a secret's expiry.
fn lifetime_label(days: u16) -> Cow<'static, str> {
    match days {
        DEFAULT_SECRET_DAYS => "180 days (6 months)".into(),
        MAX_SECRET_DAYS => "730 days (24 months)".into(),
        90 => "90 days (3 months)".into(),
        365 => "365 days (12 months)".into(),
        545 => "545 days (18 months)".into(),
        d => format!("Custom, with an end date {d} days from today").into(),
    }
}
