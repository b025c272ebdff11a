//! Admin consent: grant it when a permission needs it, or say why it is not needed.

use crate::catalog::Flow;
use crate::text::Rich;

use super::{entra_step, Context, Step};

pub(super) fn step(cx: &Context) -> Step {
    let (integration, plan, app_path) = (cx.integration, cx.plan, &cx.app_path);
    let mut consent = if plan.needs_admin_consent() {
        let mut s = entra_step(
            "grant-consent",
            Some(format!("{app_path} > API permissions")),
            Rich::text("Select ")
                .ui("Grant admin consent for <your tenant>")
                .t(", then ")
                .ui("Yes")
                .t("."),
        );
        s.details.push(
            Rich::text("Check that the ")
                .ui("Status")
                .t(" column shows ")
                .ui("Granted for <your tenant>")
                .t(" on every permission."),
        );
        s
    } else if integration.flow == Flow::AppOnly {
        entra_step(
            "grant-consent",
            Some(format!("{app_path} > API permissions")),
            Rich::text("No admin consent is needed: the app authenticates as itself, and a delegated permission is only used when a user signs in."),
        )
    } else {
        let mut s = entra_step(
            "grant-consent",
            Some(format!("{app_path} > API permissions")),
            Rich::text("No permission here needs admin consent: each user consents when they first sign in. To spare them the prompt, select ").ui("Grant admin consent for <your tenant>").t("."),
        );
        s.details.push(Rich::text(
            "Your tenant's user consent settings may still require an admin.",
        ));
        // The checklist starts with an Application Developer, who cannot grant consent.
        s.details.push(
            Rich::text("Granting admin consent needs at least a ")
                .ui("Cloud Application Administrator")
                .t(" (or Application Administrator); an Application Developer cannot."),
        );
        s
    };
    if plan.needs_privileged_role_admin() {
        consent.warning = Some(Rich::text("Microsoft Graph application permissions: only a Privileged Role Administrator or Global Administrator can grant these."));
    }
    consent
}
