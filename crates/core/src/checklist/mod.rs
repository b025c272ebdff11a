//! The offline checklist: numbered steps in the Microsoft Entra admin center's own words,
//! generated from the catalog entry and the plan.
//!
//! Every step and permission has a stable key (the UI keeps ticked keys in localStorage,
//! per integration), so keys are fixed words plus catalog data, never positions.

//!
//! One file per step family, in the order the admin meets them: `registration`,
//! `permissions`, `consent`, `secret`, `console` (and the values card); `notices` for what
//! stands above the steps. [`build_in`] assembles them and numbers the steps.

mod consent;
mod console;
mod notices;
mod permissions;
mod registration;
mod secret;

use crate::catalog::{
    ErratumKind, Integration, OutsideStep, PermissionType, Stage, Trouble, ValueSource,
};
use crate::cloud::Cloud;
use crate::plan::Plan;
use crate::text::{escape_markdown, Rich};

pub use console::card;
pub use notices::literal_words;

/// The portal, as every Entra step's place.
pub const ENTRA: &str = "Microsoft Entra admin center";
/// The menu path to App registrations in the Microsoft Entra admin center, as its current
/// menu names it.
pub const APP_REGISTRATIONS: &str = "Microsoft Entra admin center > Entra ID > App registrations";

/// Where the checklist is read: the words differ only where one has something the other
/// lacks (the page has boxes to paste into, a values card and switches; a document has a
/// table of values at its end, and the CLI's flags).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Medium {
    /// The checklist page (and the automated setup page's notices).
    #[default]
    Page,
    /// The Markdown document `entra-setup checklist` prints.
    Document,
}

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
pub struct ValuesCard {
    pub console: &'static str,
    pub fields: Vec<CardField>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checklist {
    pub integration_id: &'static str,
    pub title: String,
    pub notices: Vec<Notice>,
    pub steps: Vec<Step>,
    pub card: ValuesCard,
    pub next_step: String,
    /// The guide's troubleshooting table (empty when it has none).
    pub troubleshooting: &'static [Trouble],
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

    /// GitHub-flavoured Markdown with task-list checkboxes. Build it with
    /// [`Medium::Document`] ([`build_for`]) so the words fit a document.
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
        if !self.troubleshooting.is_empty() {
            md.push_str("\n## Troubleshooting\n\n| Problem | What to check |\n| --- | --- |\n");
            for t in self.troubleshooting {
                md.push_str(&format!(
                    "| {} | {} |\n",
                    escape_markdown(t.problem),
                    escape_markdown(t.what_to_check)
                ));
            }
        }
        md
    }
}

/// Builds the checklist for an integration as the plan will register it, in the global
/// Builds the checklist for an integration as the plan will register it, in the global
/// cloud (see [`build_in`]).
pub fn build(integration: &'static Integration, plan: &Plan) -> Checklist {
    build_in(integration, plan, Cloud::Global)
}

/// [`build`] for a tenant in `cloud`: the sign-in step names that cloud's admin center.
pub fn build_in(integration: &'static Integration, plan: &Plan, cloud: Cloud) -> Checklist {
    build_for(integration, plan, cloud, Medium::Page)
}

/// [`build_in`] worded for `medium`.
pub fn build_for(
    integration: &'static Integration,
    plan: &Plan,
    cloud: Cloud,
    medium: Medium,
) -> Checklist {
    let name = plan.display_name.trim();
    let cx = Context {
        integration,
        plan,
        cloud,
        medium,
        app_path: if name.is_empty() {
            format!("{APP_REGISTRATIONS} > {UNNAMED_APP}")
        } else {
            format!("{APP_REGISTRATIONS} > {}", plan.display_name)
        },
    };
    let redundant = plan.redundant();
    let mut steps: Vec<Step> = cx.outside(Stage::Before).map(outside_step).collect();
    steps.extend(registration::steps(&cx));
    steps.extend(permissions::steps(&cx, &redundant));
    steps.push(consent::step(&cx));
    steps.extend(secret::steps(&cx));
    steps.extend(console::steps(&cx));
    for (i, s) in steps.iter_mut().enumerate() {
        s.number = i + 1;
    }

    Checklist {
        integration_id: integration.id,
        title: format!("{}: {}", integration.vendor, integration.name),
        notices: notices::notices(integration, plan, &redundant, medium),
        steps,
        card: card(integration),
        next_step: integration.next_step.to_owned(),
        troubleshooting: integration.guide.troubleshooting,
    }
}

/// Stands for the app's name in menu paths while the plan has none.
const UNNAMED_APP: &str = "(your app's name)";

/// What every step family reads.
struct Context<'a> {
    integration: &'static Integration,
    plan: &'a Plan,
    cloud: Cloud,
    medium: Medium,
    /// The menu path to the new app's own pages.
    app_path: String,
}

impl Context<'_> {
    /// The redirect URI as the plan has it, or where the guide says to find it.
    fn redirect(&self) -> Rich {
        match self.plan.redirect_uri_or_pattern() {
            Some(v) => Rich::new().code(v),
            None => Rich::text(self.integration.redirect.source),
        }
    }

    /// The vendor's steps outside Entra at `stage`.
    fn outside(&self, stage: Stage) -> impl Iterator<Item = &'static OutsideStep> {
        self.integration
            .outside_steps
            .iter()
            .filter(move |s| s.stage == stage)
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
