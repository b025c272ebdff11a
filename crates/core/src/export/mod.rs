//! Exports: pure functions from a plan (and pasted values) to file contents.
//!
//! A permission whose GUID is not backed by the reference files is never guessed: each
//! export either looks it up in the tenant (the Azure CLI script), shows where it comes
//! from (the Graph request sequence), or writes a placeholder that fails loudly and says
//! how to resolve it (`requiredResourceAccess.json`), with a note in [`ExportFile::notes`].

mod az_cli;
mod graph_requests;
mod ics;
mod json;
mod required_resource_access;
mod values_card;

pub use az_cli::{az_cli, az_cli_in};
pub use graph_requests::{
    graph_requests, graph_requests_file, graph_requests_file_in, graph_requests_in, GraphRequest,
};
pub use ics::{secret_reminder_ics, REMINDER_DAYS_BEFORE};
pub use required_resource_access::required_resource_access;
pub use values_card::{values_env, values_json};

use crate::catalog::PermissionType;
use crate::plan::{tags_for, Plan, PlannedPermission};
use json::Json;

/// A file to download or print.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportFile {
    pub filename: String,
    pub mime: &'static str,
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

/// The note every export carries for each GUID resolved from the tenant.
pub(crate) fn unresolved_notes(plan: &Plan, how: &str) -> Vec<String> {
    plan.unresolved()
        .map(|p| {
            format!(
                "{} {} ({}): its GUID is not published reliably, so it is resolved from your tenant: {how} ({}).",
                p.api_name,
                p.value,
                p.kind.as_str(),
                lookup_command(p)
            )
        })
        .collect()
}

/// The `application` object for the upsert `PATCH /applications(uniqueName='...')`:
/// display name, audience, redirect URI, `requiredResourceAccess` with `id_for` supplying
/// each permission's GUID (or a placeholder for one resolved from the tenant), and the
/// tool's tags, so the app is recognisable as automated mode's are.
pub(crate) fn application_body(
    plan: &Plan,
    redirect_uri: Option<&str>,
    id_for: impl Fn(&PlannedPermission) -> String,
) -> Json {
    let mut pairs = vec![
        (
            "displayName".to_owned(),
            Json::str(plan.display_name.clone()),
        ),
        (
            "signInAudience".to_owned(),
            Json::str(plan.sign_in_audience.as_str()),
        ),
    ];
    if let (Some(property), Some(uri)) = (plan.platform.graph_property(), redirect_uri) {
        pairs.push((
            property.to_owned(),
            Json::obj([("redirectUris", Json::Arr(vec![Json::str(uri)]))]),
        ));
    }
    pairs.push((
        "requiredResourceAccess".to_owned(),
        required_resource_access_json(plan, id_for),
    ));
    pairs.push((
        "tags".to_owned(),
        Json::Arr(
            tags_for(&plan.integration_id)
                .into_iter()
                .map(Json::str)
                .collect(),
        ),
    ));
    Json::Obj(pairs)
}

/// The body of `POST /applications/{id}/addPassword` for a secret expiring at
/// `end_date_time` (a date, or a placeholder the export explains). Named like automated
/// mode's secrets, so automated mode later keeps it instead of adding a second one.
pub(crate) fn add_password_body(plan: &Plan, end_date_time: &str) -> Json {
    Json::obj([(
        "passwordCredential",
        Json::obj([
            (
                "displayName",
                Json::str(format!(
                    "{} (export for {})",
                    crate::plan::SECRET_NAME_PREFIX,
                    plan.integration_id
                )),
            ),
            ("endDateTime", Json::str(end_date_time)),
        ]),
    )])
}

pub(crate) fn required_resource_access_json(
    plan: &Plan,
    id_for: impl Fn(&PlannedPermission) -> String,
) -> Json {
    Json::Arr(
        plan.by_api()
            .into_iter()
            .map(|group| {
                Json::obj([
                    ("resourceAppId", Json::str(group.api_app_id)),
                    (
                        "resourceAccess",
                        Json::Arr(
                            group
                                .permissions
                                .iter()
                                .map(|p| {
                                    Json::obj([
                                        ("id", Json::str(id_for(p))),
                                        ("type", Json::str(p.kind.resource_access_type())),
                                    ])
                                })
                                .collect(),
                        ),
                    ),
                ])
            })
            .collect(),
    )
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
