//! The offline checklist: numbered steps in the Microsoft Entra admin center's own words,
//! generated from the catalog entry and the plan.
//!
//! Every step and permission has a stable key (the UI keeps ticked keys in localStorage,
//! per integration), so keys are fixed words plus catalog data, never positions.

use std::borrow::Cow;

use crate::catalog::{
    apis, assistant, Credential, ErratumKind, Flow, Integration, OutsideStep, PermissionType,
    Platform, PortalTab, RedirectStage, SignInAudience, Stage, ValueSource,
};
use crate::cloud::Cloud;
use crate::least_privilege::Redundancy;
use crate::plan::{Origin, Plan, PlannedPermission, DEFAULT_SECRET_DAYS, MAX_SECRET_DAYS};
use crate::text::{escape_markdown, Rich};

/// The portal, as every Entra step's place.
pub const ENTRA: &str = "Microsoft Entra admin center";
/// The menu path to App registrations in the Microsoft Entra admin center.
pub const APP_REGISTRATIONS: &str =
    "Microsoft Entra admin center > Identity > Applications > App registrations";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PermissionItem {
    /// Same as [`PlannedPermission::key`].
    pub key: String,
    pub api_name: String,
    pub value: String,
    pub kind: PermissionType,
    pub admin_consent_required: bool,
    pub description: String,
    /// `None`: the GUID is resolved from the tenant (the portal does that by name).
    pub id: Option<String>,
    /// Why it is there or what to know (replaces a retired permission, corrected type,
    /// covered by a broader one).
    pub note: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// 1-based, in order.
    pub number: usize,
    pub key: String,
    /// Where the step happens: the Entra admin center or the vendor's console.
    pub place: String,
    /// The portal's menu path, for Entra steps that open a page.
    pub menu_path: Option<String>,
    pub text: Rich,
    pub details: Vec<Rich>,
    /// For permission steps: the permissions to tick, each with its own key.
    pub permissions: Vec<PermissionItem>,
    pub warning: Option<Rich>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NoticeKind {
    /// The guide is wrong or dated here.
    Erratum(ErratumKind),
    /// Redundant grants.
    LeastPrivilege,
    /// Permissions of the guide the plan leaves out.
    Skipped,
    Info,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub key: String,
    pub kind: NoticeKind,
    pub title: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CardField {
    pub label: &'static str,
    pub value: ValueSource,
    pub optional: bool,
    pub where_to_find: &'static str,
    /// Never store it; show it masked.
    pub secret: bool,
}

/// The values laid out as the destination console names them, in its order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportCard {
    pub console: &'static str,
    pub fields: Vec<CardField>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checklist {
    pub integration_id: &'static str,
    pub title: String,
    pub notices: Vec<Notice>,
    pub steps: Vec<Step>,
    pub card: ExportCard,
    pub next_step: String,
}

impl Checklist {
    /// Every key a user can tick: steps, then each step's permissions.
    pub fn keys(&self) -> Vec<String> {
        let mut keys: Vec<String> = self.steps.iter().map(|s| s.key.clone()).collect();
        for step in &self.steps {
            keys.extend(step.permissions.iter().map(|p| p.key.clone()));
        }
        keys
    }

    pub fn step(&self, key: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.key == key)
    }

    /// GitHub-flavoured Markdown with task-list checkboxes.
    pub fn to_markdown(&self) -> String {
        let mut md = format!("# {}\n\n", escape_markdown(&self.title));
        for n in &self.notices {
            md.push_str(&format!(
                "> **{}:** {}\n\n",
                escape_markdown(&n.title),
                escape_markdown(&n.text)
            ));
        }
        md.push_str("## Steps\n\n");
        for s in &self.steps {
            md.push_str(&format!("{}. [ ] {}", s.number, s.text.to_markdown()));
            md.push_str(&format!(" *({})*\n", escape_markdown(&s.place)));
            if let Some(path) = &s.menu_path {
                md.push_str(&format!("   - Menu: {}\n", escape_markdown(path)));
            }
            for d in &s.details {
                md.push_str(&format!("   - {}\n", d.to_markdown()));
            }
            for p in &s.permissions {
                md.push_str(&format!(
                    "   - [ ] `{}` ({}, {}; admin consent required: {}){}{}\n",
                    p.value,
                    escape_markdown(&p.api_name),
                    p.kind.as_str(),
                    if p.admin_consent_required {
                        "yes"
                    } else {
                        "no"
                    },
                    if p.description.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", escape_markdown(&p.description))
                    },
                    p.note
                        .as_ref()
                        .map_or(String::new(), |n| format!(". *{}*", escape_markdown(n))),
                ));
            }
            if let Some(w) = &s.warning {
                md.push_str(&format!("   - **Warning:** {}\n", w.to_markdown()));
            }
        }
        md.push_str(&format!(
            "\n## Values for the {}\n\n| Field | Where to find it |\n| --- | --- |\n",
            escape_markdown(self.card.console)
        ));
        for f in &self.card.fields {
            md.push_str(&format!(
                "| {}{} | {} |\n",
                escape_markdown(f.label),
                if f.optional { " (if requested)" } else { "" },
                escape_markdown(f.where_to_find)
            ));
        }
        md.push_str(&format!(
            "\n## Next step\n\n{}\n",
            escape_markdown(&self.next_step)
        ));
        md
    }
}

/// Builds the checklist for an integration as the plan will register it, in the global
/// cloud (see [`build_in`]).
pub fn build(integration: &'static Integration, plan: &Plan) -> Checklist {
    build_in(integration, plan, Cloud::Global)
}

/// [`build`] for a tenant in `cloud`: the sign-in step names that cloud's admin center.
pub fn build_in(integration: &'static Integration, plan: &Plan, cloud: Cloud) -> Checklist {
    let mut steps: Vec<Step> = Vec::new();
    let app_path = format!("{APP_REGISTRATIONS} > {}", plan.display_name);
    let redirect_value = plan.redirect_uri_or_pattern();
    let redirect_display = || -> Rich {
        match &redirect_value {
            Some(v) => Rich::new().code(v.clone()),
            None => Rich::text(integration.redirect.source),
        }
    };

    let outside = |stage: Stage| {
        integration
            .outside_steps
            .iter()
            .filter(move |s| s.stage == stage)
    };
    for s in outside(Stage::Before) {
        steps.push(outside_step(s));
    }

    // Who can do all of this (graph-facts §2.2): Graph app roles need a Privileged Role
    // Administrator; other consent a Cloud Application Administrator.
    let role = if plan.needs_privileged_role_admin() {
        "Privileged Role Administrator"
    } else if plan.needs_admin_consent() {
        "Cloud Application Administrator"
    } else {
        "Application Developer"
    };
    let article = if role.starts_with('A') { "an" } else { "a" };
    let mut sign_in = entra_step(
        "sign-in",
        None,
        Rich::text("Sign in to the ")
            .ui(ENTRA)
            .t(" (")
            .code(cloud.admin_center())
            .t(format!(") as at least {article} "))
            .ui(role)
            .t("."),
    );
    if plan.needs_privileged_role_admin() {
        sign_in.details.push(Rich::text("Granting Microsoft Graph application permissions needs a Privileged Role Administrator or Global Administrator; Application and Cloud Application Administrators cannot grant them."));
    }
    sign_in.details.push(Rich::text("If you have access to several tenants, switch to the one the app belongs in first (Settings icon in the top menu)."));
    steps.push(sign_in);

    let mut new_reg = entra_step(
        "new-registration",
        Some(format!("{APP_REGISTRATIONS} > New registration")),
        Rich::text("Go to ")
            .ui("Identity")
            .t(" > ")
            .ui("Applications")
            .t(" > ")
            .ui("App registrations")
            .t(" and select ")
            .ui("New registration")
            .t("."),
    );
    new_reg.details.push(
        Rich::text("In the newer menu this is ")
            .ui("Entra ID")
            .t(" > ")
            .ui("App registrations")
            .t("."),
    );
    steps.push(new_reg);

    steps.push(entra_step(
        "name",
        None,
        Rich::text("Under ")
            .ui("Name")
            .t(", enter ")
            .code(plan.display_name.clone())
            .t("."),
    ));

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
    steps.push(account);

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
            steps.push(s);
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
                    .then(redirect_display())
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
            steps.push(s);
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
            steps.push(s);
        }
    }

    steps.push(entra_step(
        "register",
        None,
        Rich::text("Select ")
            .ui("Register")
            .t(". The app's ")
            .ui("Overview")
            .t(" page opens."),
    ));

    let wants_tenant = integration
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
    steps.push(entra_step(
        "copy-ids",
        Some(format!("{app_path} > Overview")),
        copy.t(" into the boxes below."),
    ));

    // One step per API and type: the portal's pane picks an API, then a type, then the
    // permissions.
    let redundant = plan.redundant();
    let mut first_permission_step = true;
    // The portal already lists Graph User.Read on a new registration: when that is all the
    // plan needs (Fabric), the step is a check, not an addition.
    let only_default_user_read = matches!(&plan.permissions[..], [p] if is_graph_user_read(p));
    if only_default_user_read {
        let mut s = entra_step(
            &format!("api-permissions/{}/Delegated", apis::MICROSOFT_GRAPH.app_id),
            Some(format!("{app_path} > API permissions")),
            Rich::text("Select ")
                .ui("API permissions")
                .t(" and check that it lists Microsoft Graph ")
                .code("User.Read")
                .t(" (Delegated), which Entra adds to every new registration. Add nothing else."),
        );
        s.permissions = vec![permission_item(&plan.permissions[0], &[])];
        steps.push(s);
    }
    for group in plan.by_api().iter().filter(|_| !only_default_user_read) {
        for kind in [PermissionType::Delegated, PermissionType::Application] {
            let perms: Vec<&PlannedPermission> = group.of_kind(kind).collect();
            let Some(first) = perms.first() else { continue };
            let mut text = Rich::text("Select ")
                .ui("API permissions")
                .t(" > ")
                .ui("Add a permission")
                .t(", then ");
            text = match first.portal_tab() {
                PortalTab::MicrosoftApis => text
                    .ui("Microsoft APIs")
                    .t(" > ")
                    .ui(first.search_as().to_owned()),
                PortalTab::ApisMyOrganizationUses => text
                    .ui("APIs my organization uses")
                    .t(", search for ")
                    .code(first.search_as().to_owned())
                    .t(" and select it"),
            };
            text = text
                .t(" > ")
                .ui(kind.portal_label())
                .t(". Tick these and select ")
                .ui("Add permissions")
                .t(":");
            let mut s = entra_step(
                &format!(
                    "api-permissions/{}/{}",
                    group.api_app_id.to_ascii_lowercase(),
                    kind.as_str()
                ),
                Some(format!("{app_path} > API permissions > Add a permission")),
                text,
            );
            if first.portal_tab() == PortalTab::ApisMyOrganizationUses {
                s.details.push(Rich::text(format!(
                    "If the search finds nothing, {} has no service principal in your tenant yet: create it with ",
                    group.api_name
                )).code(format!("az ad sp create --id {}", group.api_app_id)).t(", or use the Azure CLI export, which does."));
            }
            if first_permission_step {
                first_permission_step = false;
                if !plan.permissions.iter().any(is_graph_user_read) {
                    s.details.push(Rich::text("The portal adds Microsoft Graph ").code("User.Read").t(" (Delegated) to every new registration; this integration does not list it, so you may remove it (").ui("...").t(" > ").ui("Remove permission").t(")."));
                }
            }
            s.permissions = perms
                .iter()
                .map(|p| permission_item(p, &redundant))
                .collect();
            steps.push(s);
        }
    }
    if !integration.permissions_complete {
        let mut s = entra_step(
            "add-missing-permissions",
            Some(format!("{app_path} > API permissions > Add a permission")),
            if integration.custom {
                Rich::text("Add each permission your vendor requires: ")
                    .ui("API permissions")
                    .t(" > ")
                    .ui("Add a permission")
                    .t(", the API, then ")
                    .ui("Delegated permissions")
                    .t(" or ")
                    .ui("Application permissions")
                    .t(".")
            } else {
                Rich::text("Add the permissions the guide leaves out, as the vendor lists them: ")
                    .ui("API permissions")
                    .t(" > ")
                    .ui("Add a permission")
                    .t(".")
            },
        );
        s.details.push(Rich::text(
            "Add them to the plan as custom permissions too, so the exports include them.",
        ));
        steps.push(s);
    }

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
        s
    };
    if plan.needs_privileged_role_admin() {
        consent.warning = Some(Rich::text("Microsoft Graph application permissions: only a Privileged Role Administrator or Global Administrator can grant these."));
    }
    steps.push(consent);

    if let (Credential::ClientSecret { guide_expiry }, Some(days)) =
        (integration.credential, plan.secret_lifetime_days)
    {
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
                .t(" choose ")
                .ui(lifetime_label(days))
                .t(", and select ")
                .ui("Add")
                .t("."),
        );
        s.details.push(Rich::text("Put the expiry date in your calendar: the integration stops working when the secret expires, and you then add a new secret and paste its Value into the vendor's console."));
        if let Some(expiry) = guide_expiry {
            s.warning = Some(Rich::text(format!("The guide asks for {expiry}; the portal allows at most 24 months and Microsoft recommends less than 12.")));
        }
        steps.push(s);
        steps.push(entra_step(
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
        ));
    }

    let is_assistant = integration.id == assistant::ENTRA_SETUP_ASSISTANT.id;
    let mut console = step(
        "console",
        integration.console.name,
        None,
        Rich::text("In the ")
            .ui(integration.console.name)
            .t(", enter the values from the card below, field by field."),
    );
    for f in integration.console.fields {
        console
            .details
            .push(Rich::new().ui(f.label).t(format!(": {}", f.where_to_find)));
    }
    let console_outside: Vec<&OutsideStep> = outside(Stage::After).collect();
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
                .then(redirect_display())
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
        steps.push(assistant_config_step(integration));
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
    for (i, s) in steps.iter_mut().enumerate() {
        s.number = i + 1;
    }

    Checklist {
        integration_id: integration.id,
        title: format!("{}: {}", integration.vendor, integration.name),
        notices: notices(integration, plan, &redundant),
        steps,
        card: card(integration),
        next_step: integration.next_step.to_owned(),
    }
}

/// Entra Setup Assistant's last step: the exact `config.json` to deploy.
fn assistant_config_step(integration: &Integration) -> Step {
    let mut s = step(
        "next-step",
        integration.console.name,
        None,
        Rich::text("Deploy this ")
            .code(assistant::CONFIG_FILE)
            .t(" at the root of the site (next to index.html), with the Application (client) ID in place of the placeholder (the card below fills it in): ")
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

/// The values card of an integration (what [`Checklist::card`] holds): it depends on the
/// console alone, not on the plan.
pub fn card(integration: &Integration) -> ExportCard {
    ExportCard {
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

/// A step with nothing but its text; `build` numbers them at the end.
fn step(key: &str, place: &str, menu_path: Option<String>, text: Rich) -> Step {
    Step {
        number: 0,
        key: key.to_owned(),
        place: place.to_owned(),
        menu_path,
        text,
        details: Vec::new(),
        permissions: Vec::new(),
        warning: None,
    }
}

fn entra_step(key: &str, menu_path: Option<String>, text: Rich) -> Step {
    step(key, ENTRA, menu_path, text)
}

fn outside_step(s: &OutsideStep) -> Step {
    step(s.key, s.place, None, Rich::text(s.text))
}

/// Microsoft Graph's delegated `User.Read`, which the portal adds to every new registration.
fn is_graph_user_read(p: &PlannedPermission) -> bool {
    p.value == "User.Read"
        && p.kind == PermissionType::Delegated
        && p.api_app_id == apis::MICROSOFT_GRAPH.app_id
}

fn exact_redirect_note(integration: &Integration) -> Rich {
    Rich::text(format!(
        "Use {}; it must match exactly, including https:// and the path.",
        integration.redirect.source
    ))
}

fn permission_item(p: &PlannedPermission, redundant: &[Redundancy]) -> PermissionItem {
    let mut notes: Vec<String> = Vec::new();
    match &p.origin {
        Origin::ReplacesRetired { api_name, value } => {
            notes.push(format!("Replaces {value} of {api_name}, which is retired"))
        }
        Origin::TypeCorrected { guide_type } => notes.push(format!(
            "The guide says {}; a user sign-in needs {}",
            guide_type.as_str(),
            p.kind.as_str()
        )),
        Origin::Guide | Origin::Custom => {}
    }
    if let Some(r) = redundant.iter().find(|r| {
        r.redundant == p.value
            && r.kind == p.kind
            && r.api_app_id.eq_ignore_ascii_case(&p.api_app_id)
    }) {
        notes.push(format!(
            "Covered by {} (least privilege: optional)",
            r.covered_by
        ));
    }
    if p.needs_resolution() {
        notes.push("GUID not published reliably; the exports look it up in your tenant".to_owned());
    }
    PermissionItem {
        key: p.key(),
        api_name: p.api_name.to_string(),
        value: p.value.to_string(),
        kind: p.kind,
        admin_consent_required: p.admin_consent_required,
        description: p.description.to_string(),
        id: p.id.as_ref().map(|i| i.to_string()),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}

fn notices(integration: &Integration, plan: &Plan, redundant: &[Redundancy]) -> Vec<Notice> {
    let mut out = Vec::new();
    for (i, e) in integration.errata.iter().enumerate() {
        out.push(Notice {
            key: format!("erratum/{}/{}", e.kind.key(), i),
            kind: NoticeKind::Erratum(e.kind),
            title: match e.kind {
                ErratumKind::RetiredApi => "Retired API in the guide",
                ErratumKind::PermissionType => "Wrong permission type in the guide",
                ErratumKind::SecretExpiry => "Secret expiry in the guide is not possible",
                ErratumKind::IncompleteList => "The guide's permission list is incomplete",
                ErratumKind::Typo => "Typo in the guide",
                ErratumKind::Dated => "Dated instructions in the guide",
            }
            .to_owned(),
            text: format!(
                "The guide says: \"{}\" We do this: {} To follow the guide: {}",
                e.guide_says, e.our_fix, e.literal
            ),
        });
    }
    if !plan.skipped.is_empty() {
        let list: Vec<String> = plan
            .skipped
            .iter()
            .map(|s| {
                format!(
                    "{} {} ({}): {}",
                    s.api_name,
                    s.value,
                    s.kind.as_str(),
                    s.reason
                )
            })
            .collect();
        out.push(Notice {
            key: "skipped".to_owned(),
            kind: NoticeKind::Skipped,
            title: "Left out of this registration".to_owned(),
            text: list.join(" "),
        });
    }
    if !redundant.is_empty() {
        let list: Vec<String> = redundant.iter().map(|r| r.message()).collect();
        out.push(Notice {
            key: "least-privilege".to_owned(),
            kind: NoticeKind::LeastPrivilege,
            title: "Least privilege".to_owned(),
            text: format!("The vendor's list is kept as it is. {}", list.join(" ")),
        });
    }
    for (i, n) in integration.notes.iter().enumerate() {
        out.push(Notice {
            key: format!("note/{i}"),
            kind: NoticeKind::Info,
            title: "Note".to_owned(),
            text: (*n).to_owned(),
        });
    }
    out
}
