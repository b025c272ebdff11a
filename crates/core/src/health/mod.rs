//! Tenant health: which registrations in a tenant serve a catalog integration, and whether
//! each still works: its secrets, what it requests and was granted against the catalog
//! entry, its redirect URI. The same rules serve the web page and `entra-setup health`;
//! they read a [`Snapshot`] (what Graph returns) and the time, nothing else.
//!
//! A registration is listed when this assistant manages it (its tag or `uniqueName`) or when
//! it looks like an entry: most of what it requests is the entry's permissions (see
//! [`recognise`]). An app unrelated to every entry is counted, not listed.

mod permissions;
mod recognise;
mod redirect;
mod secrets;
pub mod snapshot;

use serde::Serialize;

use crate::catalog::{self, Credential, Integration};
use crate::graph_model::Application;

// For the review's extras (`automation::provision::extras`).
#[cfg(feature = "automation")]
pub(crate) use permissions::{catalog_value, id_in, label, value_in};
pub use permissions::{PermissionHealth, PermissionList};
pub use recognise::Recognition;
pub use redirect::{RedirectHealth, RedirectState};
pub use secrets::{SecretHealth, SecretInfo, SecretState};
pub use snapshot::{Snapshot, SnapshotError};

/// A secret that ends sooner than this is "expiring" (as automated mode's review says).
pub const EXPIRING_SOON_DAYS: i64 = 30;

/// Every listed registration, grouped by vendor in catalog order.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// The time the secrets were judged at (RFC 3339).
    pub now: String,
    pub vendors: Vec<VendorGroup>,
    /// Registrations in the snapshot that serve no catalog integration (not listed).
    pub not_listed: usize,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VendorGroup {
    pub vendor: &'static str,
    pub rows: Vec<Row>,
}

/// One registration and its health.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Row {
    pub display_name: String,
    /// The Application (client) ID.
    pub app_id: String,
    pub object_id: String,
    /// The catalog entry it serves.
    pub integration: &'static str,
    pub integration_name: &'static str,
    pub recognised: Recognition,
    pub secret: SecretHealth,
    pub permissions: PermissionHealth,
    pub redirect: RedirectHealth,
    /// What is wrong, worst first; empty when the registration is healthy.
    pub problems: Vec<Problem>,
    pub healthy: bool,
}

impl Report {
    /// Every listed registration.
    pub fn rows(&self) -> impl Iterator<Item = &Row> {
        self.vendors.iter().flat_map(|g| &g.rows)
    }
}

impl std::fmt::Display for Report {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let listed = self.rows().count();
        let unwell = self.rows().filter(|r| !r.healthy).count();
        let s = |n: usize| if n == 1 { "" } else { "s" };
        match listed {
            0 => f.write_str("No registration in this tenant serves a catalog integration")?,
            _ => write!(
                f,
                "{listed} registration{} serve{} catalog integrations; {unwell} need{} attention",
                s(listed),
                if listed == 1 { "s" } else { "" },
                if unwell == 1 { "s" } else { "" },
            )?,
        }
        write!(
            f,
            ". {} other registration{} serve{} none and {} not listed.",
            self.not_listed,
            s(self.not_listed),
            if self.not_listed == 1 { "s" } else { "" },
            if self.not_listed == 1 { "is" } else { "are" },
        )
    }
}

/// What a row's repair link does, as its label says: a registration made elsewhere is
/// adopted (it gets this assistant's unique name and tags) as it is repaired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepairLink {
    Repair,
    AdoptAndRepair,
}

impl std::fmt::Display for RepairLink {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            RepairLink::Repair => "Repair",
            RepairLink::AdoptAndRepair => "Adopt and repair",
        })
    }
}

impl Row {
    /// The repair link's label: adopting when [`Row::adopt_for_repair`] names a client ID.
    pub fn repair_link(&self) -> RepairLink {
        match self.adopt_for_repair() {
            Some(_) => RepairLink::AdoptAndRepair,
            None => RepairLink::Repair,
        }
    }

    /// The client ID to adopt when repairing: a registration this assistant does not manage
    /// yet is repaired in adopt mode, so the run takes it over instead of making another.
    pub fn adopt_for_repair(&self) -> Option<&str> {
        match self.recognised {
            Recognition::Managed => None,
            Recognition::LooksLike { .. } => Some(&self.app_id),
        }
    }

    /// Whether the row is one an admin searching for `query` means: its name, client ID or
    /// integration contains it (case-insensitive); an empty query means every row.
    pub fn matches(&self, query: &str) -> bool {
        let query = query.trim().to_lowercase();
        query.is_empty()
            || [
                self.display_name.as_str(),
                &self.app_id,
                self.integration_name,
                self.integration,
            ]
            .iter()
            .any(|field| field.to_lowercase().contains(&query))
    }

    /// Whether the page offers to rotate its secret: a registration this assistant manages
    /// (a run finds it by `uniqueName`) of an integration that uses a client secret.
    pub fn can_rotate(&self) -> bool {
        self.recognised == Recognition::Managed
            && catalog::by_id(self.integration).is_some_and(|i| i.needs_secret())
    }
}

/// Something wrong with a registration, as the row says it. In JSON: `{"code":
/// "secret_expiring", "days": 19, "message": "..."}` (the count or days when it has one).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// Every secret has expired: the vendor's connection fails now.
    SecretExpired,
    /// The newest secret ends within [`EXPIRING_SOON_DAYS`].
    SecretExpiring { days: i64 },
    /// The integration needs a client secret and the app has none.
    NoSecret,
    /// Catalog permissions the app does not request.
    NotRequested { count: usize },
    /// Requested catalog permissions without admin consent.
    NotGranted { count: usize },
    /// Permissions beyond the catalog entry (least-privilege drift).
    BeyondCatalog { count: usize },
    /// Azure AD Graph permissions (retired 31 August 2025) still requested.
    RetiredApi { count: usize },
    /// The redirect URI does not fit the vendor's pattern.
    RedirectDiffers,
    /// The integration needs a redirect URI and the app has none.
    RedirectMissing,
}

impl Problem {
    /// A stable code for scripts.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::SecretExpired => "secret_expired",
            Problem::SecretExpiring { .. } => "secret_expiring",
            Problem::NoSecret => "no_secret",
            Problem::NotRequested { .. } => "not_requested",
            Problem::NotGranted { .. } => "not_granted",
            Problem::BeyondCatalog { .. } => "beyond_catalog",
            Problem::RetiredApi { .. } => "retired_api",
            Problem::RedirectDiffers => "redirect_differs",
            Problem::RedirectMissing => "redirect_missing",
        }
    }
}

impl Serialize for Problem {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("code", self.code())?;
        match self {
            Problem::SecretExpiring { days } => map.serialize_entry("days", days)?,
            Problem::NotRequested { count }
            | Problem::NotGranted { count }
            | Problem::BeyondCatalog { count }
            | Problem::RetiredApi { count } => map.serialize_entry("count", count)?,
            Problem::SecretExpired
            | Problem::NoSecret
            | Problem::RedirectDiffers
            | Problem::RedirectMissing => {}
        }
        map.serialize_entry("message", &self.to_string())?;
        map.end()
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let plural = |n: &usize| if *n == 1 { "" } else { "s" };
        match self {
            Problem::SecretExpired => f.write_str(
                "Every client secret has expired: the vendor's connection fails. Rotate the secret.",
            ),
            Problem::SecretExpiring { days } => write!(
                f,
                "The client secret expires in {days} day{}: rotate it before then.",
                if *days == 1 { "" } else { "s" }
            ),
            Problem::NoSecret => f.write_str(
                "No client secret: the vendor cannot sign in as this app. Add one (rotate).",
            ),
            Problem::NotRequested { count } => write!(
                f,
                "{count} permission{} of the integration not requested: repair adds them.",
                plural(count)
            ),
            Problem::NotGranted { count } => write!(
                f,
                "{count} requested permission{} without admin consent: repair grants them.",
                plural(count)
            ),
            Problem::BeyondCatalog { count } => write!(
                f,
                "{count} permission{} beyond what the integration needs (least privilege): \
                 remove them unless the vendor asked for them.",
                plural(count)
            ),
            Problem::RetiredApi { count } => write!(
                f,
                "{count} Azure AD Graph permission{} still requested; that API was retired on \
                 31 August 2025: use the Microsoft Graph equivalent.",
                plural(count)
            ),
            Problem::RedirectDiffers => f.write_str(
                "The redirect URI does not fit the vendor's pattern: sign-ins fail with \
                 AADSTS50011 (redirect URI mismatch).",
            ),
            Problem::RedirectMissing => f.write_str(
                "No redirect URI: the vendor's sign-in fails with AADSTS500113. Repair adds it.",
            ),
        }
    }
}

/// The health of every registration in `snapshot` that serves a catalog integration, at
/// `now_ms` (Unix milliseconds).
pub fn assess(snapshot: &Snapshot, now_ms: i64) -> Report {
    let index = recognise::Index::new(snapshot);
    let mut rows: Vec<Row> = Vec::new();
    let mut not_listed = 0;
    for app in &snapshot.applications {
        match index.recognise(app, snapshot) {
            Some((integration, recognised)) => {
                let entry = &index.entry(integration).registered;
                rows.push(row(app, integration, entry, recognised, snapshot, now_ms))
            }
            None => not_listed += 1,
        }
    }
    let mut vendors: Vec<VendorGroup> = Vec::new();
    for integration in catalog::ALL.iter() {
        let mut mine: Vec<Row> = rows
            .iter()
            .filter(|r| r.integration == integration.id)
            .cloned()
            .collect();
        if mine.is_empty() {
            continue;
        }
        mine.sort_by(|a, b| a.display_name.cmp(&b.display_name));
        match vendors.iter_mut().find(|g| g.vendor == integration.vendor) {
            Some(group) => group.rows.extend(mine),
            None => vendors.push(VendorGroup {
                vendor: integration.vendor,
                rows: mine,
            }),
        }
    }
    Report {
        now: crate::time::rfc3339(now_ms),
        vendors,
        not_listed,
    }
}

fn row(
    app: &Application,
    integration: &'static Integration,
    entry: &[permissions::Perm],
    recognised: Recognition,
    snapshot: &Snapshot,
    now_ms: i64,
) -> Row {
    let secret = secrets::assess(&app.password_credentials, now_ms);
    let permissions = permissions::assess(app, entry, snapshot);
    let redirect = redirect::assess(app, integration);
    let mut problems = Vec::new();
    if matches!(integration.credential, Credential::ClientSecret { .. }) {
        match secret.state {
            SecretState::Expired => problems.push(Problem::SecretExpired),
            SecretState::Expiring => problems.push(Problem::SecretExpiring {
                days: secret.days_left.unwrap_or(0),
            }),
            SecretState::None => problems.push(Problem::NoSecret),
            SecretState::Fine => {}
        }
    }
    problems.extend(permissions.problems());
    match redirect.state {
        RedirectState::Differs => problems.push(Problem::RedirectDiffers),
        RedirectState::Missing => problems.push(Problem::RedirectMissing),
        RedirectState::Matches | RedirectState::NotChecked | RedirectState::NotUsed => {}
    }
    Row {
        display_name: app.display_name.clone().unwrap_or_default(),
        app_id: app.app_id.clone().unwrap_or_default(),
        object_id: app.id.clone().unwrap_or_default(),
        integration: integration.id,
        integration_name: integration.name,
        recognised,
        secret,
        permissions,
        redirect,
        healthy: problems.is_empty(),
        problems,
    }
}
