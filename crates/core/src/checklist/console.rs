//! The destination console: entering the values there (the values card lays them out as it
//! names them), a redirect URI the vendor shows only then, the vendor's own later steps, and
//! the next step.

use crate::catalog::{
    assistant, Integration, OutsideStep, Platform, RedirectStage, SignInAudience, Stage,
    ValueSource,
};
use crate::text::Rich;

use super::registration::exact_redirect_note;
use super::{entra_step, outside_step, step, CardField, Context, Medium, Step, ValuesCard};

/// From entering the values in the console to the end of the checklist.
pub(super) fn steps(cx: &Context) -> Vec<Step> {
    let (integration, plan, app_path) = (cx.integration, cx.plan, &cx.app_path);
    let mut steps = Vec::new();
    let is_assistant = integration.id == assistant::ENTRA_SETUP_ASSISTANT.id;
    let mut console = step(
        "console",
        integration.console.name,
        None,
        Rich::text("In the ")
            .ui(integration.console.name)
            .t(match cx.medium {
                Medium::Page => ", enter the values from the card below, field by field.",
                Medium::Document => ", enter the values listed at the end, field by field.",
            }),
    );
    for f in integration.console.fields {
        console
            .details
            .push(Rich::new().ui(f.label).t(format!(": {}", f.where_to_find)));
    }
    let console_outside: Vec<&OutsideStep> = cx.outside(Stage::After).collect();
    if integration.redirect.stage == RedirectStage::AfterConsole && plan.platform != Platform::None
    {
        // The vendor shows its callback URL only once the integration exists there.
        for s in console_outside
            .iter()
            .filter(|s| s.place == integration.console.name)
        {
            console.details.push(Rich::text(s.text));
        }
        steps.push(console);
        let mut s = entra_step(
            "redirect-uri-later",
            Some(format!("{app_path} > Authentication")),
            Rich::text("Select ")
                .ui("Authentication")
                .t(", under ")
                .ui("Platform configurations")
                .t(" select ")
                .ui("Add a platform")
                .t(" > ")
                .ui(plan.platform.portal_label())
                .t(", paste ")
                .then(cx.redirect())
                .t(" as the ")
                .ui("Redirect URI")
                .t(" and select ")
                .ui("Configure")
                .t("."),
        );
        s.details.push(exact_redirect_note(integration));
        steps.push(s);
        for o in console_outside
            .iter()
            .filter(|s| s.place != integration.console.name)
        {
            steps.push(outside_step(o));
        }
    } else if is_assistant {
        // The assistant's "console" is the site's config.json: the last step gives it.
        steps.push(assistant_config_step(integration, cx.medium));
    } else {
        steps.push(console);
        for o in console_outside {
            steps.push(outside_step(o));
        }
    }

    if !is_assistant {
        steps.push(step(
            "next-step",
            integration.console.name,
            None,
            Rich::text(integration.next_step),
        ));
    }
    steps
}

/// Entra Setup Assistant's last step: the exact `config.json` to deploy.
fn assistant_config_step(integration: &Integration, medium: Medium) -> Step {
    let mut s = step(
        "next-step",
        integration.console.name,
        None,
        Rich::text("Deploy this ")
            .code(assistant::CONFIG_FILE)
            .t(match medium {
                Medium::Page => " at the root of the site (next to index.html), with the Application (client) ID in place of the placeholder (the card below fills it in): ",
                Medium::Document => " at the root of the site (next to index.html), with the Application (client) ID in place of the placeholder: ",
            })
            .code(assistant::config_json("<Application (client) ID>"))
            .t("."),
    );
    s.details.push(
        Rich::text("Put it in ")
            .code("public/config.json")
            .t(" before ")
            .code("trunk build --release")
            .t(": the build copies it into ")
            .code("dist/")
            .t(" and replaces ")
            .code("dist/")
            .t(" each time, so a ")
            .code("dist/config.json")
            .t(" edited by hand is lost at the next build. Keep to these fields: the app refuses fields it does not know."),
    );
    s.details.push(Rich::text("The client ID is the Application (client) ID on the app's Overview page, not its Object ID and not the Directory (tenant) ID."));
    s.details.push(
        Rich::text("To keep the registration single-tenant instead, select ")
            .ui(SignInAudience::AzureADMyOrg.portal_label(None))
            .t(" and replace ")
            .code("organizations")
            .t(" in the authority with your Directory (tenant) ID: ")
            .code("https://login.microsoftonline.com/<Directory (tenant) ID>/v2.0")
            .t(". Only your tenant's admins can then sign in."),
    );
    s.details.push(Rich::text(integration.next_step));
    s
}

/// The values card of an integration (what [`super::Checklist::card`] holds): it depends on the
/// console alone, not on the plan.
pub fn card(integration: &Integration) -> ValuesCard {
    ValuesCard {
        console: integration.console.name,
        fields: integration
            .console
            .fields
            .iter()
            .map(|f| CardField {
                label: f.label,
                value: f.value,
                optional: f.optional,
                where_to_find: f.where_to_find,
                secret: f.value == ValueSource::SecretValue,
            })
            .collect(),
    }
}
