//! The plan: what we will actually register for an integration, with the guide's errata
//! applied (or not, per [`Options`]) and the admin's own additions.
//!
//! The catalog says what the guide says; the plan is what the checklist walks through and
//! what every export writes. It is owned data, so a custom permission list fits in it.

use std::borrow::Cow;

use crate::catalog::{
    self, apis, Api, Integration, Permission, PermissionType, Platform, PortalTab, SignInAudience,
};
use crate::least_privilege::{self, Redundancy};

/// The portal's recommended secret lifetime ("180 days (6 months)"); Microsoft recommends
/// less than 12 months.
pub const DEFAULT_SECRET_DAYS: u16 = 180;
/// The longest lifetime the portal offers (24 months).
pub const MAX_SECRET_DAYS: u16 = 730;

/// Marks everything this tool creates (app tags; the prefix of secrets' display names).
/// Here rather than in `automation`, because the exports, which build without that
/// feature, tag the app the same way automated mode does.
pub const TOOL_TAG: &str = "entra-setup-assistant";

/// How the display names of the client secrets this tool adds begin, in automated mode and
/// in the exports alike, so a re-run recognises a secret either of them made.
pub const SECRET_NAME_PREFIX: &str = "Entra Setup Assistant";

/// The stable alternate key (`uniqueName`) of the registration for an integration, shared
/// by automated mode and the exports so each finds what the other made. Display names are
/// never used to find it: admins rename apps.
pub fn unique_name_for(integration_id: &str) -> String {
    format!("{TOOL_TAG}-{integration_id}")
}

/// The tags the registration for an integration carries, so it is recognisable in the
/// portal and in `$filter`s: the tool's, and the tool's for this integration. The same
/// pair automated mode sets (`automation::provision::diff`), so an app the script made
/// needs no re-tagging there.
pub fn tags_for(integration_id: &str) -> [String; 2] {
    [TOOL_TAG.to_owned(), format!("{TOOL_TAG}:{integration_id}")]
}

/// Which errata to ignore, following the guide literally instead. All off by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Options {
    /// Keep the guide's permission type where it is wrong for the flow (Kinde's
    /// Application permissions for a user sign-in).
    pub literal_permission_types: bool,
    /// For a retired API (Azure AD Graph), add nothing: neither the retired permission,
    /// which Entra no longer accepts, nor its Microsoft Graph equivalent.
    pub literal_retired_apis: bool,
    /// Where the guide wants a secret that never expires, use the longest lifetime the
    /// portal allows ([`MAX_SECRET_DAYS`]) instead of [`DEFAULT_SECRET_DAYS`].
    pub literal_secret_expiry: bool,
    /// Least privilege: leave out permissions that a broader one in the list covers. This
    /// departs from the vendor's list, so it is opt-in.
    pub drop_redundant: bool,
}

/// One [`Options`] flag as the admin meets it: a switch on the checklist and setup pages, a
/// flag of the CLI. Errata and notices name the switch by these words, never by the field.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Switch {
    LiteralPermissionTypes,
    LiteralRetiredApis,
    LiteralSecretExpiry,
    DropRedundant,
}

impl Switch {
    /// The switch's label on the page.
    pub fn label(self) -> &'static str {
        match self {
            Switch::LiteralRetiredApis => {
                "Follow the guide literally: leave out the Microsoft Graph equivalents"
            }
            Switch::LiteralPermissionTypes => {
                "Follow the guide literally: use its permission types"
            }
            Switch::LiteralSecretExpiry => {
                "Follow the guide as closely as possible: the longest lifetime the portal allows"
            }
            Switch::DropRedundant => "Leave out the redundant permissions",
        }
    }

    /// The `entra-setup` flag that turns it on.
    pub fn cli_flag(self) -> &'static str {
        match self {
            Switch::LiteralPermissionTypes => "--literal-permission-types",
            Switch::LiteralRetiredApis => "--literal-retired-apis",
            Switch::LiteralSecretExpiry => "--literal-secret-expiry",
            Switch::DropRedundant => "--drop-redundant",
        }
    }

    /// The flag it sets in `options`.
    pub fn flag(self, options: &mut Options) -> &mut bool {
        match self {
            Switch::LiteralPermissionTypes => &mut options.literal_permission_types,
            Switch::LiteralRetiredApis => &mut options.literal_retired_apis,
            Switch::LiteralSecretExpiry => &mut options.literal_secret_expiry,
            Switch::DropRedundant => &mut options.drop_redundant,
        }
    }

    pub fn is_on(self, options: &Options) -> bool {
        let mut options = *options;
        *self.flag(&mut options)
    }
}

/// Why a permission is in the plan.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Origin {
    /// As the guide lists it.
    Guide,
    /// The Microsoft Graph equivalent of a retired API's permission (named here).
    ReplacesRetired { api_name: String, value: String },
    /// The guide's permission with the type corrected (the guide's type named here).
    TypeCorrected { guide_type: PermissionType },
    /// Added by the admin.
    Custom,
}

/// One permission the app will request.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct PlannedPermission {
    pub api_name: Cow<'static, str>,
    pub api_app_id: Cow<'static, str>,
    pub value: Cow<'static, str>,
    pub kind: PermissionType,
    pub admin_consent_required: bool,
    /// The GUID, or `None`: resolve it from the tenant's service principal of the API.
    pub id: Option<Cow<'static, str>>,
    pub description: Cow<'static, str>,
    pub origin: Origin,
}

impl PlannedPermission {
    pub fn from_catalog(p: &'static Permission, origin: Origin) -> PlannedPermission {
        PlannedPermission {
            api_name: Cow::Borrowed(p.api.name),
            api_app_id: Cow::Borrowed(p.api.app_id),
            value: Cow::Borrowed(p.value),
            kind: p.kind,
            admin_consent_required: p.admin_consent_required,
            id: p.id.known().map(Cow::Borrowed),
            description: Cow::Borrowed(p.description),
            origin,
        }
    }

    /// A permission the admin adds. When the catalog knows it (same API, value and type),
    /// its GUID, consent flag and description are used; otherwise the GUID is resolved from
    /// the tenant and consent defaults to required for application permissions (always
    /// true) and to `admin_consent_required` for delegated ones.
    pub fn custom(
        api_app_id: &str,
        api_name: &str,
        value: &str,
        kind: PermissionType,
        admin_consent_required: bool,
    ) -> PlannedPermission {
        let api_app_id = api_app_id.trim().to_ascii_lowercase();
        let value = value.trim();
        if let Some(known) = catalog::known_permission(&api_app_id, value, kind) {
            return PlannedPermission::from_catalog(known, Origin::Custom);
        }
        let api_name: Cow<'static, str> = match apis::by_app_id(&api_app_id) {
            Some(api) => Cow::Borrowed(api.name),
            None => Cow::Owned(api_name.trim().to_owned()),
        };
        PlannedPermission {
            api_name,
            api_app_id: Cow::Owned(api_app_id),
            value: Cow::Owned(value.to_owned()),
            kind,
            admin_consent_required: kind == PermissionType::Application || admin_consent_required,
            id: None,
            description: Cow::Borrowed(""),
            origin: Origin::Custom,
        }
    }

    /// Stable key for the UI's ticked-permission state: `perm/<api app id>/<type>/<value>`.
    pub fn key(&self) -> String {
        permission_key(&self.api_app_id, self.kind, &self.value)
    }

    /// The catalog's API with this app ID, if known.
    pub fn api(&self) -> Option<&'static Api> {
        apis::by_app_id(&self.api_app_id)
    }

    /// Where the portal lists the API; unknown APIs are under "APIs my organization uses".
    pub fn portal_tab(&self) -> PortalTab {
        self.api()
            .map_or(PortalTab::ApisMyOrganizationUses, |a| a.tab)
    }

    /// What to type into the API search box.
    pub fn search_as(&self) -> &str {
        self.api().map_or(&self.api_name, |a| a.search_as)
    }

    /// Whether the GUID must be looked up in the tenant first.
    pub fn needs_resolution(&self) -> bool {
        self.id.is_none()
    }

    /// Microsoft Graph application permissions can only be granted by a Privileged Role
    /// Administrator or Global Administrator.
    pub fn is_graph_app_role(&self) -> bool {
        self.kind == PermissionType::Application
            && self
                .api_app_id
                .eq_ignore_ascii_case(apis::MICROSOFT_GRAPH.app_id)
    }
}

/// The key of a permission, shared by the plan and the checklist.
pub fn permission_key(api_app_id: &str, kind: PermissionType, value: &str) -> String {
    format!(
        "perm/{}/{}/{}",
        api_app_id.to_ascii_lowercase(),
        kind.as_str(),
        value
    )
}

/// A permission of the guide that the plan leaves out, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Skipped {
    pub api_name: String,
    pub value: String,
    pub kind: PermissionType,
    pub reason: String,
}

/// The permissions of one API, in plan order.
#[derive(Debug)]
pub struct ApiGroup<'a> {
    pub api_app_id: &'a str,
    pub api_name: &'a str,
    pub permissions: Vec<&'a PlannedPermission>,
}

impl<'a> ApiGroup<'a> {
    /// The group's permissions of one type, in plan order.
    pub fn of_kind(
        &self,
        kind: PermissionType,
    ) -> impl Iterator<Item = &'a PlannedPermission> + '_ {
        self.permissions
            .iter()
            .copied()
            .filter(move |p| p.kind == kind)
    }
}

/// What will be registered.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Plan {
    pub integration_id: Cow<'static, str>,
    pub display_name: String,
    pub sign_in_audience: SignInAudience,
    pub platform: Platform,
    /// The redirect URI the admin pasted; exports fall back to the vendor's pattern.
    pub redirect_uri: Option<String>,
    pub permissions: Vec<PlannedPermission>,
    pub skipped: Vec<Skipped>,
    /// `None` when the app has no secret (a single-page app).
    pub secret_lifetime_days: Option<u16>,
}

impl Plan {
    /// The default plan for an integration: the guide's list with errata applied as
    /// `options` says.
    pub fn new(integration: &'static Integration, options: &Options) -> Plan {
        let mut plan = Plan {
            integration_id: Cow::Borrowed(integration.id),
            display_name: integration.suggested_display_name.to_owned(),
            sign_in_audience: integration.sign_in_audience,
            platform: integration.redirect.platform,
            redirect_uri: None,
            permissions: Vec::new(),
            skipped: Vec::new(),
            secret_lifetime_days: match integration.credential {
                catalog::Credential::ClientSecret { guide_expiry } => {
                    Some(if options.literal_secret_expiry && guide_expiry.is_some() {
                        MAX_SECRET_DAYS
                    } else {
                        DEFAULT_SECRET_DAYS
                    })
                }
                catalog::Credential::None => None,
            },
        };
        for p in integration.permissions {
            let skip = |reason: &str| Skipped {
                api_name: p.api.name.to_owned(),
                value: p.value.to_owned(),
                kind: p.kind,
                reason: reason.to_owned(),
            };
            let planned = match (p.retired(), p.grant_instead) {
                (true, Some(_)) if options.literal_retired_apis => {
                    plan.skipped.push(skip("Azure AD Graph is retired; its Microsoft Graph equivalent is left out because you chose to follow the guide literally."));
                    continue;
                }
                (true, Some(equivalent)) => PlannedPermission::from_catalog(
                    equivalent,
                    Origin::ReplacesRetired {
                        api_name: p.api.name.to_owned(),
                        value: p.value.to_owned(),
                    },
                ),
                (true, None) => {
                    plan.skipped.push(skip("Azure AD Graph is retired and this permission has no Microsoft Graph equivalent."));
                    continue;
                }
                (false, Some(corrected)) if !options.literal_permission_types => {
                    PlannedPermission::from_catalog(
                        corrected,
                        Origin::TypeCorrected { guide_type: p.kind },
                    )
                }
                (false, _) => PlannedPermission::from_catalog(p, Origin::Guide),
            };
            if !plan.add_permission(planned) {
                plan.skipped.push(skip("Already in the list (its Microsoft Graph equivalent is listed separately by the guide)."));
            }
        }
        if options.drop_redundant {
            for r in plan.redundant() {
                let key = permission_key(&r.api_app_id, r.kind, &r.redundant);
                plan.remove_permission(&key);
                plan.skipped.push(Skipped {
                    api_name: r.api_name.clone(),
                    value: r.redundant.clone(),
                    kind: r.kind,
                    reason: format!("Covered by {} (least privilege).", r.covered_by),
                });
            }
        }
        plan
    }

    /// Adds a permission unless one with the same key is there; returns whether it was added.
    pub fn add_permission(&mut self, p: PlannedPermission) -> bool {
        let key = p.key();
        if self.permissions.iter().any(|q| q.key() == key) {
            return false;
        }
        self.permissions.push(p);
        true
    }

    /// Removes the permission with this key; returns whether there was one.
    pub fn remove_permission(&mut self, key: &str) -> bool {
        let before = self.permissions.len();
        self.permissions.retain(|p| p.key() != key);
        self.permissions.len() != before
    }

    /// Permissions covered by a broader one in this plan (the least-privilege note).
    pub fn redundant(&self) -> Vec<Redundancy> {
        least_privilege::find(
            self.permissions
                .iter()
                .map(|p| (&*p.api_app_id, &*p.api_name, &*p.value, p.kind)),
        )
    }

    /// Permissions grouped by API, APIs in order of first appearance.
    pub fn by_api(&self) -> Vec<ApiGroup<'_>> {
        let mut groups: Vec<ApiGroup<'_>> = Vec::new();
        for p in &self.permissions {
            match groups
                .iter_mut()
                .find(|g| g.api_app_id.eq_ignore_ascii_case(&p.api_app_id))
            {
                Some(g) => g.permissions.push(p),
                None => groups.push(ApiGroup {
                    api_app_id: &p.api_app_id,
                    api_name: &p.api_name,
                    permissions: vec![p],
                }),
            }
        }
        groups
    }

    /// Whether someone must press "Grant admin consent": a permission needs it, or the app
    /// runs without a user (nobody else can consent to application permissions).
    pub fn needs_admin_consent(&self) -> bool {
        self.permissions
            .iter()
            .any(|p| p.admin_consent_required || p.kind == PermissionType::Application)
    }

    /// Whether granting needs a Privileged Role Administrator (or Global Administrator)
    /// rather than a Cloud Application Administrator.
    pub fn needs_privileged_role_admin(&self) -> bool {
        self.permissions
            .iter()
            .any(PlannedPermission::is_graph_app_role)
    }

    /// Permissions whose GUID must be resolved from the tenant.
    pub fn unresolved(&self) -> impl Iterator<Item = &PlannedPermission> {
        self.permissions.iter().filter(|p| p.needs_resolution())
    }

    /// The redirect URI to write into exports: the pasted one, else the vendor's pattern.
    pub fn redirect_uri_or_pattern(&self) -> Option<String> {
        if self.platform == Platform::None {
            return None;
        }
        self.redirect_uri
            .clone()
            .filter(|u| !u.trim().is_empty())
            .or_else(|| {
                catalog::by_id(&self.integration_id)
                    .and_then(|i| i.redirect.pattern)
                    .map(str::to_owned)
            })
    }
}
