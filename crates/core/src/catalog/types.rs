//! The shapes of catalog data.
//!
//! Everything here is `&'static`: the catalog is compiled into the WASM app, and parsing JSON
//! at start-up would cost both bytes and time. What an admin builds at run time (a custom
//! permission list, the plan with errata applied) uses the owned types in [`crate::plan`].

use crate::plan::Switch;

/// Delegated (acts as the signed-in user) or Application (acts as the app itself).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PermissionType {
    Delegated,
    Application,
}

impl PermissionType {
    /// `"Delegated"` or `"Application"`, as the portal's Type column shows it.
    pub const fn as_str(self) -> &'static str {
        match self {
            PermissionType::Delegated => "Delegated",
            PermissionType::Application => "Application",
        }
    }

    /// The `type` of a `resourceAccess` entry in `requiredResourceAccess`: delegated
    /// permissions are OAuth2 scopes, application permissions are app roles.
    pub const fn resource_access_type(self) -> &'static str {
        match self {
            PermissionType::Delegated => "Scope",
            PermissionType::Application => "Role",
        }
    }

    /// The type a `resourceAccess` entry's `type` names (`"Role"`: an app role; anything
    /// else, `"Scope"`, a delegated permission).
    pub fn from_resource_access_type(kind: &str) -> PermissionType {
        if kind == "Role" {
            PermissionType::Application
        } else {
            PermissionType::Delegated
        }
    }

    /// The button in the portal's "Request API permissions" pane.
    pub const fn portal_label(self) -> &'static str {
        match self {
            PermissionType::Delegated => "Delegated permissions",
            PermissionType::Application => "Application permissions",
        }
    }
}

/// Microsoft Graph `application.signInAudience`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum SignInAudience {
    AzureADMyOrg,
    AzureADMultipleOrgs,
    AzureADandPersonalMicrosoftAccount,
    PersonalMicrosoftAccount,
}

impl SignInAudience {
    pub const ALL: [SignInAudience; 4] = [
        SignInAudience::AzureADMyOrg,
        SignInAudience::AzureADMultipleOrgs,
        SignInAudience::AzureADandPersonalMicrosoftAccount,
        SignInAudience::PersonalMicrosoftAccount,
    ];

    /// The Graph value, e.g. `AzureADMyOrg`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SignInAudience::AzureADMyOrg => "AzureADMyOrg",
            SignInAudience::AzureADMultipleOrgs => "AzureADMultipleOrgs",
            SignInAudience::AzureADandPersonalMicrosoftAccount => {
                "AzureADandPersonalMicrosoftAccount"
            }
            SignInAudience::PersonalMicrosoftAccount => "PersonalMicrosoftAccount",
        }
    }

    pub fn parse(s: &str) -> Option<SignInAudience> {
        SignInAudience::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The radio button under "Supported account types" on "Register an application".
    /// The single-tenant label names the tenant, so the caller passes it when known.
    pub fn portal_label(self, tenant_name: Option<&str>) -> String {
        match self {
            SignInAudience::AzureADMyOrg => format!(
                "Accounts in this organizational directory only ({} only - Single tenant)",
                tenant_name.unwrap_or("<your tenant>")
            ),
            SignInAudience::AzureADMultipleOrgs => {
                "Accounts in any organizational directory (Any Microsoft Entra ID tenant - Multitenant)"
                    .to_owned()
            }
            SignInAudience::AzureADandPersonalMicrosoftAccount => {
                "Accounts in any organizational directory (Any Microsoft Entra ID tenant - Multitenant) and personal Microsoft accounts (e.g. Skype, Xbox)"
                    .to_owned()
            }
            SignInAudience::PersonalMicrosoftAccount => "Personal Microsoft accounts only".to_owned(),
        }
    }

    /// Personal-account audiences have tighter limits (30 permissions, no wildcard or query
    /// redirect URIs, no application permissions for personal users).
    pub const fn includes_personal_accounts(self) -> bool {
        matches!(
            self,
            SignInAudience::AzureADandPersonalMicrosoftAccount
                | SignInAudience::PersonalMicrosoftAccount
        )
    }
}

/// Where the API appears in the portal's "Request API permissions" pane.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum PortalTab {
    /// "Microsoft APIs": Microsoft Graph and the commonly used Microsoft APIs.
    MicrosoftApis,
    /// "APIs my organization uses": every other service principal in the tenant, found by
    /// searching its name.
    ApisMyOrganizationUses,
}

impl PortalTab {
    pub const fn label(self) -> &'static str {
        match self {
            PortalTab::MicrosoftApis => "Microsoft APIs",
            PortalTab::ApisMyOrganizationUses => "APIs my organization uses",
        }
    }
}

/// A resource API whose permissions an app requests.
#[derive(Debug, PartialEq, Eq)]
pub struct Api {
    /// The name the guides and the portal's picker use, e.g. `Microsoft Graph`, `SharePoint`.
    pub name: &'static str,
    /// The resource's application (client) ID, the same in every tenant.
    pub app_id: &'static str,
    /// What to type into the search box of [`PortalTab::ApisMyOrganizationUses`]; the
    /// service principal's display name in the tenant.
    pub search_as: &'static str,
    pub tab: PortalTab,
    /// Retired by Microsoft: never added to a new app.
    pub retired: bool,
}

/// A permission's GUID, or the honest admission that we do not have one we trust.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PermissionId {
    /// Backed by the reference files (see `crates/core/tests/reference/README.md`).
    Known(&'static str),
    /// Not backed there (absent or low confidence): look it up on the resource's service
    /// principal in the tenant (`oauth2PermissionScopes` / `appRoles`, by value) before use.
    ResolveFromTenant,
}

impl PermissionId {
    pub const fn known(self) -> Option<&'static str> {
        match self {
            PermissionId::Known(id) => Some(id),
            PermissionId::ResolveFromTenant => None,
        }
    }
}

/// Where a permission's "admin consent required" comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConsentSource {
    /// The guide's own "Admin consent required" column.
    Guide,
    /// The guide has no such column: application permissions always need admin consent;
    /// for delegated ones, Microsoft's permissions reference.
    Microsoft,
}

/// One permission as the guide lists it.
#[derive(Debug, PartialEq, Eq)]
pub struct Permission {
    pub api: &'static Api,
    /// The claim value, e.g. `Calendars.ReadWrite`.
    pub value: &'static str,
    pub kind: PermissionType,
    pub admin_consent_required: bool,
    pub consent_source: ConsentSource,
    pub id: PermissionId,
    /// The guide's description; empty where the guide has none.
    pub description: &'static str,
    /// What the default plan grants instead (an erratum): the Microsoft Graph equivalent of
    /// a retired Azure AD Graph permission, or the delegated form where a guide picked the
    /// wrong type. `None` with a retired API means it is dropped.
    pub grant_instead: Option<&'static Permission>,
}

impl Permission {
    /// True for a permission on a retired API (Azure AD Graph): listed, never granted.
    pub const fn retired(&self) -> bool {
        self.api.retired
    }
}

/// The platform a redirect URI is registered under.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Platform {
    /// A confidential web app (server-side code redemption with a secret).
    Web,
    /// A single-page app (browser-side redemption with PKCE; enables CORS on /token).
    Spa,
    /// No redirect URI: client credentials, or the guide never asks for one.
    None,
}

impl Platform {
    /// The property on the Graph `application` object.
    pub const fn graph_property(self) -> Option<&'static str> {
        match self {
            Platform::Web => Some("web"),
            Platform::Spa => Some("spa"),
            Platform::None => None,
        }
    }

    /// The choice in the portal's "Select a platform" dropdown / "Add a platform" pane.
    pub const fn portal_label(self) -> &'static str {
        match self {
            Platform::Web => "Web",
            Platform::Spa => "Single-page application",
            Platform::None => "",
        }
    }
}

/// When the redirect URI is entered in the portal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RedirectStage {
    /// In "Redirect URI (optional)" on the registration form: the vendor shows it up front.
    Registration,
    /// Later, under Authentication > Add a platform: the vendor shows it only after the
    /// client ID and secret are entered in its console (Nango).
    AfterConsole,
}

/// How the redirect URI is chosen.
#[derive(Debug, PartialEq, Eq)]
pub struct RedirectRule {
    pub platform: Platform,
    /// The vendor's pattern, placeholders in angle brackets; `None` when there is no
    /// redirect URI or the guide does not give one.
    pub pattern: Option<&'static str>,
    /// How a correct URI ends; a mismatch is a warning, not an error.
    pub expected_suffix: Option<&'static str>,
    /// Where the admin finds the value, in the vendor's words.
    pub source: &'static str,
    pub stage: RedirectStage,
}

/// How the app authenticates to Microsoft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// A user signs in through the vendor (authorization code, confidential client).
    UserSignIn,
    /// The vendor's service acts as the app itself (client credentials).
    AppOnly,
    /// A browser app signs users in with PKCE and holds no secret.
    SinglePageApp,
}

/// The credential the vendor needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Credential {
    /// A client secret; `guide_expiry` is the expiry the guide picks, if it says.
    ClientSecret { guide_expiry: Option<&'static str> },
    /// A public client: no secret at all.
    None,
}

/// Which pasted value a console field takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueSource {
    ClientId,
    TenantId,
    /// The secret's Value (never its Secret ID).
    SecretValue,
    RedirectUri,
    /// The `config.json` that deploys Entra Setup Assistant with the client ID filled in
    /// (its own registration's "console" is that file; see `catalog::assistant`).
    AssistantConfig,
    /// An [`ExtraField`], by key.
    Extra(&'static str),
}

/// A value the vendor asks for that Entra does not produce.
#[derive(Debug, PartialEq, Eq)]
pub struct ExtraField {
    /// Stable key (used in `Values::extra` and in exports).
    pub key: &'static str,
    pub label: &'static str,
    pub description: &'static str,
    pub example: &'static str,
}

/// One field of the destination console, in the console's order and words.
#[derive(Debug, PartialEq, Eq)]
pub struct ConsoleField {
    pub label: &'static str,
    pub value: ValueSource,
    /// The guide says "if requested" or similar.
    pub optional: bool,
    /// Where the value is in Entra (or elsewhere), in the guide's words.
    pub where_to_find: &'static str,
}

/// The product the admin pastes the values into.
#[derive(Debug, PartialEq, Eq)]
pub struct Console {
    /// E.g. "Nango dashboard", "Kinde".
    pub name: &'static str,
    pub fields: &'static [ConsoleField],
}

/// Before or after the Entra part.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Before,
    After,
}

/// A step that happens outside Entra (in the vendor's console, in Fabric, ...).
#[derive(Debug, PartialEq, Eq)]
pub struct OutsideStep {
    /// Stable key, unique within the integration.
    pub key: &'static str,
    pub stage: Stage,
    /// Where it happens, e.g. "Fabric admin portal".
    pub place: &'static str,
    pub text: &'static str,
}

/// The kinds of guide errors and dated advice we correct.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErratumKind {
    /// Azure AD Graph is retired; mapped to Microsoft Graph.
    RetiredApi,
    /// The guide picks Application permissions for a user sign-in flow.
    PermissionType,
    /// The guide picks a secret expiry the portal no longer offers.
    SecretExpiry,
    /// The guide's permission list is cut off.
    IncompleteList,
    /// A misspelt permission or similar slip; we use the real name.
    Typo,
    /// Instructions for tools or screens that have changed.
    Dated,
}

impl ErratumKind {
    /// Stable key for the UI and tests.
    pub const fn key(self) -> &'static str {
        match self {
            ErratumKind::RetiredApi => "retired-api",
            ErratumKind::PermissionType => "permission-type",
            ErratumKind::SecretExpiry => "secret-expiry",
            ErratumKind::IncompleteList => "incomplete-list",
            ErratumKind::Typo => "typo",
            ErratumKind::Dated => "dated",
        }
    }
}

/// Where a guide is wrong or dated: what it says, what we do, how to follow it anyway.
#[derive(Debug, PartialEq, Eq)]
pub struct Erratum {
    pub kind: ErratumKind,
    pub guide_says: &'static str,
    pub our_fix: &'static str,
    /// How to follow the guide literally, or why that is not possible.
    pub literal: Literal,
}

/// How to follow a guide where an erratum departs from it.
#[derive(Debug, PartialEq, Eq)]
pub enum Literal {
    /// A switch of the plan follows the guide; the sentence says what it then does.
    Switch(Switch, &'static str),
    /// No switch: why none is needed, or why following the guide is not possible.
    Text(&'static str),
}

/// The guide an entry was transcribed from.
#[derive(Debug, PartialEq, Eq)]
pub struct Guide {
    /// File name under `shared/seeds/`.
    pub file: &'static str,
    pub title: &'static str,
    /// The guide's troubleshooting table, row by row in its own words (empty when it has
    /// none).
    pub troubleshooting: &'static [Trouble],
}

/// A row of a guide's troubleshooting table.
#[derive(Debug, PartialEq, Eq)]
pub struct Trouble {
    pub problem: &'static str,
    pub what_to_check: &'static str,
}

/// One integration: everything the checklist, validation and exports need.
#[derive(Debug, PartialEq, Eq)]
pub struct Integration {
    /// Stable kebab-case id (URL `/checklist/<id>`, CLI argument).
    pub id: &'static str,
    pub vendor: &'static str,
    /// Product name, e.g. "Microsoft Teams".
    pub name: &'static str,
    pub purpose: &'static str,
    pub guide: Guide,
    /// A name to suggest for the app registration.
    pub suggested_display_name: &'static str,
    pub sign_in_audience: SignInAudience,
    /// Where the account type comes from when the guide does not say it outright.
    pub audience_note: &'static str,
    pub flow: Flow,
    pub redirect: RedirectRule,
    pub credential: Credential,
    /// In the guide's order.
    pub permissions: &'static [Permission],
    /// False where the guide's list is cut off: the admin adds the rest.
    pub permissions_complete: bool,
    pub extra_fields: &'static [ExtraField],
    pub console: Console,
    pub outside_steps: &'static [OutsideStep],
    /// The guide's own next step once the values are in the console.
    pub next_step: &'static str,
    pub errata: &'static [Erratum],
    /// Facts worth knowing that are not errors.
    pub notes: &'static [&'static str],
    /// The admin chooses APIs and permissions (the `custom` entry).
    pub custom: bool,
}

impl Integration {
    /// The extra field with this key.
    pub fn extra_field(&self, key: &str) -> Option<&'static ExtraField> {
        self.extra_fields.iter().find(|f| f.key == key)
    }

    /// Whether the vendor needs a client secret.
    pub const fn needs_secret(&self) -> bool {
        matches!(self.credential, Credential::ClientSecret { .. })
    }
}
