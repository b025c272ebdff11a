//! Registering the app: who signs in, then the portal's New registration page (name,
//! account type, redirect URI) and the IDs on its Overview.

use crate::catalog::{Integration, Platform, RedirectStage, ValueSource};
use crate::text::{indefinite_article, Rich};

use super::{entra_step, Context, Medium, Step, APP_REGISTRATIONS, ENTRA};

/// From signing in to copying the new app's IDs.
pub(super) fn steps(cx: &Context) -> Vec<Step> {
    let mut steps = vec![sign_in(cx)];
    let mut new_reg = entra_step(
        "new-registration",
        Some(format!("{APP_REGISTRATIONS} > New registration")),
        Rich::text("Go to ")
            .ui("Entra ID")
            .t(" > ")
            .ui("App registrations")
            .t(" and select ")
            .ui("New registration")
            .t("."),
    );
    new_reg.details.push(
        Rich::text("In the older menu this is ")
            .ui("Identity")
            .t(" > ")
            .ui("Applications")
            .t(" > ")
            .ui("App registrations")
            .t("."),
    );
    steps.push(new_reg);
    steps.push(name(cx));
    steps.push(account_type(cx));
    steps.push(redirect_uri(cx));
    steps.push(entra_step(
        "register",
        None,
        Rich::text("Select ")
            .ui("Register")
            .t(". The app's ")
            .ui("Overview")
            .t(" page opens."),
    ));
    steps.push(copy_ids(cx));
    steps
}

fn sign_in(cx: &Context) -> Step {
    let plan = cx.plan;
    // Who can do all of this (graph-facts §2.2): Graph app roles need a Privileged Role
    // Administrator; other consent a Cloud Application Administrator.
    let role = if plan.needs_privileged_role_admin() {
        "Privileged Role Administrator"
    } else if plan.needs_admin_consent() {
        "Cloud Application Administrator"
    } else {
        "Application Developer"
    };
    let article = indefinite_article(role);
    let mut sign_in = entra_step(
        "sign-in",
        None,
        Rich::text("Sign in to the ")
            .ui(ENTRA)
            .t(" (")
            .code(cx.cloud.admin_center())
            .t(format!(") as at least {article} "))
            .ui(role)
            .t("."),
    );
    if plan.needs_privileged_role_admin() {
        sign_in.details.push(Rich::text("Granting Microsoft Graph application permissions needs a Privileged Role Administrator or Global Administrator; Application and Cloud Application Administrators cannot grant them."));
    }
    sign_in.details.push(Rich::text("If you have access to several tenants, switch to the one the app belongs in first (Settings icon in the top menu)."));
    sign_in
}

/// The name as the plan has it; an empty one is not typed into the portal as nothing.
fn name(cx: &Context) -> Step {
    let name = cx.plan.display_name.trim();
    if !name.is_empty() {
        return entra_step(
            "name",
            None,
            Rich::text("Under ")
                .ui("Name")
                .t(", enter ")
                .code(cx.plan.display_name.clone())
                .t("."),
        );
    }
    let mut s = entra_step(
        "name",
        None,
        Rich::text("Under ")
            .ui("Name")
            .t(", enter the app's name: the portal cannot register an app without one."),
    );
    s.warning = Some(match cx.medium {
        Medium::Page => Rich::text("The name is needed: type it in ")
            .ui("Name of the app registration")
            .t(" above, and the steps use it."),
        Medium::Document => Rich::text("The name is needed: pass it with ")
            .code("--display-name")
            .t(", and the steps use it."),
    });
    s
}

fn account_type(cx: &Context) -> Step {
    let (integration, plan) = (cx.integration, cx.plan);
    let mut account = entra_step(
        "account-type",
        None,
        Rich::text("Under ")
            .ui("Supported account types")
            .t(", select ")
            .ui(plan.sign_in_audience.portal_label(None))
            .t("."),
    );
    if plan.sign_in_audience == integration.sign_in_audience
        && !integration.audience_note.is_empty()
    {
        account.details.push(Rich::text(integration.audience_note));
    }
    account
}

fn redirect_uri(cx: &Context) -> Step {
    let (integration, plan) = (cx.integration, cx.plan);
    match (plan.platform, integration.redirect.stage) {
        (Platform::None, _) => {
            let mut s = entra_step(
                "redirect-uri",
                None,
                Rich::text("Leave ")
                    .ui("Redirect URI (optional)")
                    .t(" empty."),
            );
            s.details.push(Rich::text(integration.redirect.source));
            s
        }
        (platform, RedirectStage::Registration) => {
            let mut s = entra_step(
                "redirect-uri",
                None,
                Rich::text("Under ")
                    .ui("Redirect URI (optional)")
                    .t(", choose ")
                    .ui(platform.portal_label())
                    .t(" in ")
                    .ui("Select a platform")
                    .t(" and enter ")
                    .then(cx.redirect())
                    .t("."),
            );
            s.details.push(exact_redirect_note(integration));
            if platform == Platform::Spa {
                s.details.push(
                    Rich::text("It must be the ")
                        .ui("Single-page application")
                        .t(" platform, not Web, or sign-in fails with AADSTS9002326."),
                );
            }
            s
        }
        (_, RedirectStage::AfterConsole) => {
            let mut s = entra_step(
                "redirect-uri",
                None,
                Rich::text("Leave ")
                    .ui("Redirect URI (optional)")
                    .t(" empty for now."),
            );
            s.details.push(Rich::text(format!(
                "You add {} in a later step, once the vendor shows it.",
                integration.redirect.source
            )));
            s
        }
    }
}

fn copy_ids(cx: &Context) -> Step {
    let wants_tenant = cx
        .integration
        .console
        .fields
        .iter()
        .any(|f| f.value == ValueSource::TenantId);
    let mut copy = Rich::text("On ")
        .ui("Overview")
        .t(", copy the ")
        .ui("Application (client) ID");
    if wants_tenant {
        copy = copy.t(" and the ").ui("Directory (tenant) ID");
    }
    entra_step(
        "copy-ids",
        Some(format!("{} > Overview", cx.app_path)),
        match cx.medium {
            Medium::Page => copy.t(" into the boxes below."),
            Medium::Document => copy.t(format!(
                " for the {}: the values at the end say where each goes.",
                cx.integration.console.name
            )),
        },
    )
}

/// The redirect URI must be entered exactly (here and when it is added later).
pub(super) fn exact_redirect_note(integration: &Integration) -> Rich {
    Rich::text(format!(
        "Use {}; it must match exactly, including https:// and the path.",
        integration.redirect.source
    ))
}
