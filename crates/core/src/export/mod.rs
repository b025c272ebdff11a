//! Exports: pure functions from a plan (and pasted values) to file contents.
//!
//! A permission whose GUID is not backed by the reference files is never guessed: each
//! export either looks it up in the tenant (the Azure CLI script), shows where it comes
//! from (the Graph request sequence), or writes a placeholder that fails loudly and says
//! how to resolve it (`requiredResourceAccess.json`), with a note in [`ExportFile::notes`].
//!
//! Nothing in a plan can become a command: no export is produced while
//! [`crate::validate::plan`] finds an error ([`ExportError`]; so every permission ID is a
//! GUID and every permission value a plain name), every value the az CLI script holds is a
//! single-quoted shell word, and every comment, title and note line has its control
//! characters stripped ([`one_line`]), so a display name or API name cannot start a line of
//! its own in a script, a `.http` file or a `.env` file.

mod az_cli;
mod graph_requests;
mod ics;
mod required_resource_access;
mod values_card;

pub use az_cli::{az_cli, az_cli_in};
pub use graph_requests::{
    graph_requests, graph_requests_file, graph_requests_file_in, graph_requests_in, GraphRequest,
};
pub use ics::{secret_reminder_ics, REMINDER_DAYS_BEFORE};
pub use required_resource_access::required_resource_access;
pub use values_card::{values_env, values_json};

use std::borrow::Cow;

use crate::catalog::{self, PermissionType};
use crate::graph_model::{
    AddPassword, Application, NewPassword, RequiredResourceAccess, ResourceAccess,
};
use crate::plan::{tags_for, Plan, PlannedPermission};
use crate::validate::{self, Finding, Severity};

/// Why no export was produced.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExportError {
    /// [`validate::plan`] found errors (only the errors are kept): fix them first.
    PlanHasErrors(Vec<Finding>),
    /// The plan names an integration the catalog does not have.
    UnknownIntegration(String),
}

impl std::fmt::Display for ExportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ExportError::PlanHasErrors(findings) => {
                write!(f, "No files until the plan is fixed:")?;
                for finding in findings {
                    write!(f, " {}", finding.message)?;
                }
                Ok(())
            }
            ExportError::UnknownIntegration(id) => write!(
                f,
                "No files: \"{}\" is not an integration of this version.",
                one_line(id)
            ),
        }
    }
}

impl std::error::Error for ExportError {}

/// Whether the plan may be exported: a catalog integration and no error from
/// [`validate::plan`]. Every export that takes a plan calls it first.
pub fn check(plan: &Plan) -> Result<(), ExportError> {
    if catalog::by_id(&plan.integration_id).is_none() {
        return Err(ExportError::UnknownIntegration(
            plan.integration_id.to_string(),
        ));
    }
    let errors: Vec<Finding> = validate::plan(plan)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ExportError::PlanHasErrors(errors))
    }
}

/// Text for one comment, title or note line: control characters are stripped (line breaks,
/// tabs and Unicode line separators become a space) and so are the bidirectional-text
/// controls that make a line read differently from what it is. Ordinary text is returned
/// as is.
pub(crate) fn one_line(s: &str) -> Cow<'_, str> {
    let spacing =
        |c: char| (c.is_control() && c.is_whitespace()) || matches!(c, '\u{2028}' | '\u{2029}');
    let dropped = |c: char| {
        c.is_control()
            || matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
    };
    if !s.chars().any(|c| spacing(c) || dropped(c)) {
        return Cow::Borrowed(s);
    }
    Cow::Owned(
        s.chars()
            .filter_map(|c| {
                if spacing(c) {
                    Some(' ')
                } else if dropped(c) {
                    None
                } else {
                    Some(c)
                }
            })
            .collect(),
    )
}

/// A file to download or print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    pub filename: String,
    /// A `Cow` so that a file read back from the exports module (`src/lazy.rs`) keeps its type.
    pub mime: Cow<'static, str>,
    pub content: String,
    /// What the admin must know or do before using it.
    pub notes: Vec<String>,
}

/// The export formats, by the names the CLI's `--format` takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    RequiredResourceAccess,
    AzCli,
    GraphRequests,
    Env,
    Json,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::RequiredResourceAccess,
        Format::AzCli,
        Format::GraphRequests,
        Format::Env,
        Format::Json,
    ];

    pub const fn name(self) -> &'static str {
        match self {
            Format::RequiredResourceAccess => "required-resource-access",
            Format::AzCli => "az-cli",
            Format::GraphRequests => "graph-requests",
            Format::Env => "env",
            Format::Json => "json",
        }
    }

    pub fn parse(s: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == s)
    }
}

/// Where a resource's service principal lists a permission of this type.
pub(crate) fn collection(kind: PermissionType) -> &'static str {
    match kind {
        PermissionType::Delegated => "oauth2PermissionScopes",
        PermissionType::Application => "appRoles",
    }
}

/// How to look a GUID up by hand, for notes and placeholders.
pub(crate) fn lookup_command(p: &PlannedPermission) -> String {
    format!(
        "az ad sp show --id {} --query \"{}[?value=='{}'].id\" -o tsv",
        p.api_app_id,
        collection(p.kind),
        p.value
    )
}

/// The note every export carries for each GUID resolved from the tenant (one line each:
/// the CLI prints notes to the terminal).
pub(crate) fn unresolved_notes(plan: &Plan, how: &str) -> Vec<String> {
    plan.unresolved()
        .map(|p| {
            one_line(&format!(
                "{} {} ({}): its GUID is not published reliably, so it is resolved from your tenant: {how} ({}).",
                p.api_name,
                p.value,
                p.kind.as_str(),
                lookup_command(p)
            ))
            .into_owned()
        })
        .collect()
}

/// Two-space indentation, like `JSON.stringify(v, null, 2)`: how every JSON body and file
/// of the exports is laid out. Keys follow the fields' declaration order in
/// [`crate::graph_model`] (a Graph body reads `displayName` first).
pub(crate) fn pretty(body: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(body).expect("the Graph model and string maps always serialize")
}

/// The `application` object for the upsert `PATCH /applications(uniqueName='...')`:
/// display name, audience, redirect URI, `requiredResourceAccess` with `id_for` supplying
/// each permission's GUID (or a placeholder for one resolved from the tenant), and the
/// tool's tags, so the app is recognisable as automated mode's are.
pub(crate) fn application_body(
    plan: &Plan,
    redirect_uri: Option<&str>,
    id_for: impl Fn(&PlannedPermission) -> String,
) -> Application {
    let mut app = Application {
        display_name: Some(plan.display_name.clone()),
        sign_in_audience: Some(plan.sign_in_audience.as_str().to_owned()),
        required_resource_access: Some(required_resource_access_body(plan, id_for)),
        tags: Some(tags_for(&plan.integration_id).to_vec()),
        ..Application::default()
    };
    if let Some(uri) = redirect_uri {
        app.set_redirect_uris(plan.platform, vec![uri.to_owned()]);
    }
    app
}

/// The body of `POST /applications/{id}/addPassword` for a secret expiring at
/// `end_date_time` (a date, or a placeholder the export explains). Named like automated
/// mode's secrets, so automated mode later keeps it instead of adding a second one.
pub(crate) fn add_password_body(plan: &Plan, end_date_time: &str) -> AddPassword {
    AddPassword {
        password_credential: NewPassword {
            display_name: format!(
                "{} (export for {})",
                crate::plan::SECRET_NAME_PREFIX,
                plan.integration_id
            ),
            end_date_time: end_date_time.to_owned(),
        },
    }
}

pub(crate) fn required_resource_access_body(
    plan: &Plan,
    id_for: impl Fn(&PlannedPermission) -> String,
) -> Vec<RequiredResourceAccess> {
    plan.by_api()
        .into_iter()
        .map(|group| RequiredResourceAccess {
            resource_app_id: group.api_app_id.to_owned(),
            resource_access: group
                .permissions
                .iter()
                .map(|p| ResourceAccess {
                    id: id_for(p),
                    kind: p.kind.resource_access_type().to_owned(),
                })
                .collect(),
        })
        .collect()
}

/// Lower-case letters and digits joined by single hyphens (for placeholder names).
pub(crate) fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Upper-case letters and digits joined by single underscores (`.env` keys, shell
/// variables): `Client Secret` -> `CLIENT_SECRET`.
pub(crate) fn constant_case(s: &str) -> String {
    slug(s).replace('-', "_").to_ascii_uppercase()
}
