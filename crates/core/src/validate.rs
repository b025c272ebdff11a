//! Validation of what the admin types or pastes, with messages that say what to do.
//!
//! Rules come from shared/reference/graph-facts.md: §3.4 (redirect URIs), §4.3 (Secret
//! Value vs Secret ID), §3.2 (permission limits), §10 (Azure AD Graph retirement).
//!
//! Loopback decision: `http://localhost` is accepted (with a development-only warning);
//! `http://127.0.0.1` is an error, because the portal's Redirect URI box rejects it (only
//! the manifest accepts it) and this app's checklist is followed in the portal. `[::1]` is
//! not supported by Entra at all.

use crate::catalog::{
    self, apis, ExtraField, Integration, PermissionType, Platform, RedirectRule, SignInAudience,
    ValueSource,
};
use crate::plan::{Plan, MAX_SECRET_DAYS};
use crate::text::{indefinite_article, with_article_capitalized};
use crate::values::Values;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Severity {
    Warning,
    Error,
}

/// The input a finding is about.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Field {
    DisplayName,
    ClientId,
    TenantId,
    SecretValue,
    RedirectUri,
    SecretLifetime,
    /// An extra field, by key.
    Extra(String),
    /// A planned permission, by key.
    Permission(String),
    /// The permission list as a whole.
    Permissions,
}

/// What a finding is about, for code that acts on it (the UI, the CLI's JSON); its
/// `Display` is the stable kebab-case code, e.g. `secret-id`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(
    feature = "serde",
    derive(serde::Serialize, serde::Deserialize),
    serde(rename_all = "kebab-case")
)]
pub enum FindingCode {
    ApiAppId,
    ApplicationPersonal,
    Braces,
    Domain,
    FirstPartyApi,
    Fragment,
    HostOnly,
    HttpsRequired,
    InnerWhitespace,
    Length,
    Lifetime,
    LifetimeLong,
    Localhost,
    LoopbackIp,
    LoopbackIpv6,
    Masked,
    NoHost,
    NonAscii,
    NotGuid,
    NotNeeded,
    PermissionId,
    Port,
    PermissionValue,
    PersonalAccountsTenant,
    Placeholder,
    QueryPersonalAccounts,
    Required,
    RetiredApi,
    SameAsClientId,
    SecretId,
    SecretIsId,
    SpaSecret,
    SpecialCharacter,
    Suffix,
    TooLong,
    TooMany,
    TooManyPersonal,
    Whitespace,
    Wildcard,
}

impl FindingCode {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingCode::ApiAppId => "api-app-id",
            FindingCode::ApplicationPersonal => "application-personal",
            FindingCode::Braces => "braces",
            FindingCode::Domain => "domain",
            FindingCode::FirstPartyApi => "first-party-api",
            FindingCode::Fragment => "fragment",
            FindingCode::HostOnly => "host-only",
            FindingCode::HttpsRequired => "https-required",
            FindingCode::InnerWhitespace => "inner-whitespace",
            FindingCode::Length => "length",
            FindingCode::Lifetime => "lifetime",
            FindingCode::LifetimeLong => "lifetime-long",
            FindingCode::Localhost => "localhost",
            FindingCode::LoopbackIp => "loopback-ip",
            FindingCode::LoopbackIpv6 => "loopback-ipv6",
            FindingCode::Masked => "masked",
            FindingCode::NoHost => "no-host",
            FindingCode::NonAscii => "non-ascii",
            FindingCode::NotGuid => "not-guid",
            FindingCode::NotNeeded => "not-needed",
            FindingCode::PermissionId => "permission-id",
            FindingCode::Port => "port",
            FindingCode::PermissionValue => "permission-value",
            FindingCode::PersonalAccountsTenant => "personal-accounts-tenant",
            FindingCode::Placeholder => "placeholder",
            FindingCode::QueryPersonalAccounts => "query-personal-accounts",
            FindingCode::Required => "required",
            FindingCode::RetiredApi => "retired-api",
            FindingCode::SameAsClientId => "same-as-client-id",
            FindingCode::SecretId => "secret-id",
            FindingCode::SecretIsId => "secret-is-id",
            FindingCode::SpaSecret => "spa-secret",
            FindingCode::SpecialCharacter => "special-character",
            FindingCode::Suffix => "suffix",
            FindingCode::TooLong => "too-long",
            FindingCode::TooMany => "too-many",
            FindingCode::TooManyPersonal => "too-many-personal",
            FindingCode::Whitespace => "whitespace",
            FindingCode::Wildcard => "wildcard",
        }
    }
}

impl Finding {
    /// Something was entered wrongly, as opposed to not entered yet: where an empty field
    /// simply stays empty (the checklist's boxes, the CLI's values), only these are shown.
    pub fn is_mistake(&self) -> bool {
        self.code != FindingCode::Required
    }
}

impl std::fmt::Display for FindingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Finding {
    pub field: Field,
    pub severity: Severity,
    /// Stable machine-readable code, e.g. `secret-id`.
    pub code: FindingCode,
    pub message: String,
}

fn error(field: Field, code: FindingCode, message: impl Into<String>) -> Finding {
    Finding {
        field,
        severity: Severity::Error,
        code,
        message: message.into(),
    }
}

fn warning(field: Field, code: FindingCode, message: impl Into<String>) -> Finding {
    Finding {
        field,
        severity: Severity::Warning,
        code,
        message: message.into(),
    }
}

pub fn has_errors(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.severity == Severity::Error)
}

/// 8-4-4-4-12 hexadecimal digits, as Entra shows IDs.
pub fn is_guid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// A permission value as Entra writes them (`User.Read`, `user_impersonation`,
/// `Machine.Isolate`): letters, digits, `.`, `_` and `-`. Nothing a shell, a JMESPath
/// query or an OData literal would read as syntax, so the exports can write it as is.
pub fn is_permission_value(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b))
}

const NIL_GUID: &str = "00000000-0000-0000-0000-000000000000";
/// The tenant every personal Microsoft account signs in to.
const PERSONAL_ACCOUNTS_TENANT: &str = "9188040d-6c67-4c5b-b112-36a304b66dad";

fn surrounding_whitespace(field: Field, raw: &str) -> Option<Finding> {
    (raw.trim() != raw).then(|| {
        warning(field, FindingCode::Whitespace, "Remove the spaces or line breaks before or after the value; the destination may not trim them.")
    })
}

/// The app registration's name (the portal allows 1 to 120 characters).
pub fn display_name(name: &str) -> Vec<Finding> {
    let mut out = Vec::new();
    let len = name.trim().chars().count();
    if len == 0 {
        out.push(error(Field::DisplayName, FindingCode::Required, "Enter a name for the app registration, such as the vendor and integration (\"Kindo - Microsoft Teams\"), so other admins know what it is for."));
    } else if len > 120 {
        out.push(error(
            Field::DisplayName,
            FindingCode::TooLong,
            format!("Shorten the name to 120 characters or fewer (it has {len})."),
        ));
    }
    out.extend(surrounding_whitespace(Field::DisplayName, name));
    out
}

fn guid_field(field: Field, raw: &str, what: &str, where_: &str) -> Vec<Finding> {
    let s = raw.trim();
    let mut out = Vec::new();
    if s.is_empty() {
        out.push(error(
            field,
            FindingCode::Required,
            format!("Paste the {what} from {where_}."),
        ));
        return out;
    }
    let unbraced = s.trim_start_matches('{').trim_end_matches('}');
    if !is_guid(s) {
        if is_guid(unbraced) {
            out.push(error(
                field,
                FindingCode::Braces,
                format!(
                    "Remove the braces: {} {what} is written without {{ }}.",
                    indefinite_article(what)
                ),
            ));
        } else {
            let digits = s.chars().filter(char::is_ascii_hexdigit).count();
            out.push(error(field, FindingCode::NotGuid, format!("{} is a GUID: 32 hexadecimal digits in groups 8-4-4-4-12, like 1a2b3c4d-0000-4a4a-8b8b-123456789abc. This has {digits} hexadecimal digits; copy it again from {where_}.", with_article_capitalized(what))));
        }
        return out;
    }
    if s == NIL_GUID {
        out.push(error(field.clone(), FindingCode::Placeholder, format!("00000000-0000-0000-0000-000000000000 is a placeholder, not a real {what}; copy yours from {where_}.")));
    }
    out.extend(surrounding_whitespace(field, raw));
    out
}

/// The Application (client) ID.
pub fn client_id(raw: &str) -> Vec<Finding> {
    let mut out = guid_field(
        Field::ClientId,
        raw,
        "Application (client) ID",
        "the app registration's Overview page",
    );
    if let Some(api) = apis::by_app_id(raw) {
        out.push(error(Field::ClientId, FindingCode::FirstPartyApi, format!("That is the application ID of {}, a Microsoft API, not of your app. Copy the Application (client) ID from your own app registration's Overview page.", api.name)));
    }
    out
}

/// The Directory (tenant) ID.
pub fn tenant_id(raw: &str) -> Vec<Finding> {
    let s = raw.trim();
    if !s.is_empty() && !is_guid(s) && s.contains('.') && !s.contains(char::is_whitespace) {
        return vec![error(Field::TenantId, FindingCode::Domain, format!("\"{s}\" is a domain name; paste the Directory (tenant) ID instead, the GUID on the app registration's Overview page."))];
    }
    let mut out = guid_field(
        Field::TenantId,
        raw,
        "Directory (tenant) ID",
        "the app registration's Overview page",
    );
    if s.eq_ignore_ascii_case(PERSONAL_ACCOUNTS_TENANT) {
        out.push(warning(Field::TenantId, FindingCode::PersonalAccountsTenant, "That is the shared tenant of personal Microsoft accounts, not your organization's. Copy the Directory (tenant) ID from the app registration's Overview page in your organization's tenant."));
    }
    out
}

/// The client secret's Value.
pub fn secret_value(raw: &str) -> Vec<Finding> {
    let s = raw.trim();
    let field = Field::SecretValue;
    let mut out = Vec::new();
    if s.is_empty() {
        out.push(error(field, FindingCode::Required, "Paste the secret's Value. Entra shows it only once, right after you select Add under Certificates & secrets > New client secret."));
        return out;
    }
    if is_guid(s) || is_guid(s.trim_start_matches('{').trim_end_matches('}')) {
        out.push(error(field, FindingCode::SecretId, "This is the Secret ID, not the secret's Value. Copy the Value column instead; if the Value is already hidden, create a new client secret and copy its Value straight away."));
        return out;
    }
    if s.contains('*') || s.contains('…') {
        out.push(error(field, FindingCode::Masked, "This is the hidden form of the Value (Entra shows only its first characters once you leave the page). Create a new client secret and copy its Value straight away."));
        return out;
    }
    if s.contains(char::is_whitespace) {
        out.push(error(
            field,
            FindingCode::InnerWhitespace,
            "A secret Value has no spaces; copy it again with the copy button next to the Value.",
        ));
        return out;
    }
    let len = s.chars().count();
    if !(16..=64).contains(&len) {
        out.push(warning(field.clone(), FindingCode::Length, format!("Secret Values are 16 to 64 characters long (the portal makes 40); this has {len}. Check that you copied all of it.")));
    }
    out.extend(surrounding_whitespace(field, raw));
    out
}

/// Splits `scheme://authority/rest` and returns (authority, rest) after a known scheme.
fn after_scheme<'a>(uri: &'a str, scheme: &str) -> Option<&'a str> {
    let head = uri.get(..scheme.len())?;
    head.eq_ignore_ascii_case(scheme)
        .then(|| &uri[scheme.len()..])
}

/// A redirect URI for the given rule (platform, vendor pattern and suffix) and audience.
pub fn redirect_uri(raw: &str, rule: &RedirectRule, audience: SignInAudience) -> Vec<Finding> {
    let field = Field::RedirectUri;
    let s = raw.trim();
    let mut out = Vec::new();
    if rule.platform == Platform::None {
        if !s.is_empty() {
            out.push(warning(field, FindingCode::NotNeeded, "This integration uses no redirect URI (no user signs in through it); leave the field empty."));
        }
        return out;
    }
    if s.is_empty() {
        if rule.pattern.is_some() {
            out.push(error(
                field,
                FindingCode::Required,
                format!("Paste {}.", rule.source),
            ));
        }
        return out;
    }
    if s.contains('<') || s.contains('>') {
        out.push(error(field, FindingCode::Placeholder, "Replace the part in angle brackets with your own value (for example your domain); the brackets are not part of the URI."));
        return out;
    }
    let len = s.chars().count();
    if len > 256 {
        out.push(error(
            field.clone(),
            FindingCode::TooLong,
            format!("Entra accepts redirect URIs of at most 256 characters; this has {len}."),
        ));
    }
    if s.contains(char::is_whitespace) {
        out.push(error(
            field.clone(),
            FindingCode::Whitespace,
            "Remove the spaces: a redirect URI has none (copy it again from the vendor).",
        ));
    }

    let authority_and_path = if let Some(rest) = after_scheme(s, "https://") {
        Some(rest)
    } else if let Some(rest) = after_scheme(s, "http://") {
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host_port = &rest[..host_end];
        let host = if host_port.starts_with('[') {
            host_port
                .split(']')
                .next()
                .map_or(host_port, |h| &host_port[..h.len() + 1])
        } else {
            host_port.split(':').next().unwrap_or(host_port)
        };
        if host.eq_ignore_ascii_case("localhost") {
            out.push(warning(field.clone(), FindingCode::Localhost, "http://localhost is for development only; Entra ignores its port when matching. Use an https:// URI in production."));
            Some(rest)
        } else if host == "127.0.0.1" {
            out.push(error(field.clone(), FindingCode::LoopbackIp, "The portal does not accept http://127.0.0.1 in the Redirect URI box; use http://localhost instead (Entra ignores the port for localhost)."));
            None
        } else if host == "[::1]" {
            out.push(error(
                field.clone(),
                FindingCode::LoopbackIpv6,
                "Entra does not support the IPv6 loopback [::1]; use http://localhost instead.",
            ));
            None
        } else {
            out.push(error(
                field.clone(),
                FindingCode::HttpsRequired,
                "Use https:// for the redirect URI: Entra accepts http:// only for localhost.",
            ));
            None
        }
    } else {
        out.push(error(field.clone(), FindingCode::HttpsRequired, "A redirect URI starts with https://; copy the whole URL from the vendor, including https://."));
        None
    };

    if let Some(rest) = authority_and_path {
        let host_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        if rest[..host_end].is_empty() {
            out.push(error(
                field.clone(),
                FindingCode::NoHost,
                "The redirect URI has no host name after https://.",
            ));
        }
    }
    if s.contains('*') {
        out.push(error(field.clone(), FindingCode::Wildcard, "Remove the wildcard (*): Entra does not support wildcards in redirect URIs for this kind of app; register each exact URI."));
    }
    let bad: Vec<char> = ['!', '$', '\'', '(', ')', ',', ';']
        .into_iter()
        .filter(|c| s.contains(*c))
        .collect();
    if !bad.is_empty() {
        let list: Vec<String> = bad.iter().map(char::to_string).collect();
        out.push(error(
            field.clone(),
            FindingCode::SpecialCharacter,
            format!(
                "Remove {}: Entra does not accept the characters ! $ ' ( ) , ; in redirect URIs.",
                list.join(" ")
            ),
        ));
    }
    if !s.is_ascii() {
        out.push(error(field.clone(), FindingCode::NonAscii, "Entra does not accept internationalized domain names or other non-ASCII characters here; use the punycode (xn--) form of the host and percent-encode the path."));
    }
    if s.contains('#') {
        out.push(error(
            field.clone(),
            FindingCode::Fragment,
            "Remove the #fragment: a redirect URI cannot contain one.",
        ));
    }
    if s.contains('?') && audience.includes_personal_accounts() {
        out.push(error(field.clone(), FindingCode::QueryPersonalAccounts, "Remove the ?query: apps that also sign in personal Microsoft accounts cannot have query parameters in redirect URIs."));
    }
    if let Some(suffix) = rule.expected_suffix {
        let path_end = s.find(['?', '#']).unwrap_or(s.len());
        let path = s[..path_end].trim_end_matches('/');
        if !path.ends_with(suffix.trim_end_matches('/')) {
            out.push(warning(field, FindingCode::Suffix, format!("This vendor's callback URL usually ends with {suffix}; check that you copied {} in full.", rule.source)));
        }
    }
    out
}

/// An extra field the vendor asks for.
pub fn extra(field: &ExtraField, raw: &str) -> Vec<Finding> {
    let f = Field::Extra(field.key.to_owned());
    let s = raw.trim();
    let mut out = Vec::new();
    if s.is_empty() {
        out.push(error(
            f,
            FindingCode::Required,
            format!("Enter the {} ({}).", field.label, field.description),
        ));
        return out;
    }
    if field.key == "sql_endpoint_host" {
        if s.contains("://") || s.contains('/') {
            out.push(error(
                f.clone(),
                FindingCode::HostOnly,
                format!(
                    "Enter only host,port (for example {}), without https:// or a path.",
                    field.example
                ),
            ));
        } else if !s
            .rsplit_once(',')
            .is_some_and(|(_, port)| !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()))
        {
            out.push(warning(
                f.clone(),
                FindingCode::Port,
                format!(
                    "The guide asks for the full host,port, for example {}.",
                    field.example
                ),
            ));
        }
    }
    out.extend(surrounding_whitespace(f, raw));
    out
}

/// Everything the destination console needs, plus cross-checks between the fields.
pub fn values(integration: &Integration, plan: &Plan, values: &Values) -> Vec<Finding> {
    let mut out = Vec::new();
    let mut wants_tenant = false;
    for console_field in integration.console.fields {
        let raw = values.get(console_field.value);
        let raw = &*raw;
        if console_field.optional && raw.trim().is_empty() {
            continue;
        }
        match console_field.value {
            ValueSource::ClientId => out.extend(client_id(raw)),
            ValueSource::TenantId => {
                wants_tenant = true;
                out.extend(tenant_id(raw));
            }
            ValueSource::SecretValue => out.extend(secret_value(raw)),
            // Checked below with the plan's platform, console field or not.
            ValueSource::RedirectUri => {}
            // Built from the client ID, which is checked on its own.
            ValueSource::AssistantConfig => {}
            ValueSource::Extra(key) => {
                if let Some(extra_field) = integration.extra_field(key) {
                    out.extend(extra(extra_field, raw));
                }
            }
        }
    }
    if !wants_tenant && !values.tenant_id.trim().is_empty() {
        out.extend(tenant_id(&values.tenant_id));
    }
    let rule = RedirectRule {
        platform: plan.platform,
        ..integration.redirect
    };
    out.extend(redirect_uri(
        &values.redirect_uri,
        &rule,
        plan.sign_in_audience,
    ));

    let (client, tenant) = (values.client_id.trim(), values.tenant_id.trim());
    if is_guid(client) && client.eq_ignore_ascii_case(tenant) {
        out.push(error(Field::TenantId, FindingCode::SameAsClientId, "The tenant ID is the same as the client ID, so one was pasted into the wrong box: the client ID is the Application (client) ID, the tenant ID is the Directory (tenant) ID, both on the Overview page."));
    }
    let secret = values.secret_value.trim();
    if !secret.is_empty()
        && (secret.eq_ignore_ascii_case(client) || secret.eq_ignore_ascii_case(tenant))
    {
        out.push(error(Field::SecretValue, FindingCode::SecretIsId, "The secret is the same as an ID above; paste the secret's Value from Certificates & secrets."));
    }
    out
}

/// The plan as a whole: display name, retired APIs, malformed custom permissions, limits.
pub fn plan(plan: &Plan) -> Vec<Finding> {
    let mut out = display_name(&plan.display_name);
    for p in &plan.permissions {
        let field = Field::Permission(p.key());
        if p.api_app_id
            .eq_ignore_ascii_case(apis::AZURE_AD_GRAPH.app_id)
        {
            let equivalent =
                catalog::known_permission(apis::MICROSOFT_GRAPH.app_id, &p.value, p.kind);
            let instead = match equivalent {
                Some(e) => format!(
                    "add {} ({}) from Microsoft Graph instead",
                    e.value,
                    e.kind.as_str()
                ),
                None => "find its Microsoft Graph equivalent instead".to_owned(),
            };
            out.push(error(field.clone(), FindingCode::RetiredApi, format!("Azure AD Graph was retired on 31 August 2025 and cannot be added to apps; {instead}.")));
        }
        if !is_guid(&p.api_app_id) {
            out.push(error(field.clone(), FindingCode::ApiAppId, format!("The API's application ID for {} must be a GUID (find it on the API's Enterprise application page).", p.value)));
        }
        if !is_permission_value(&p.value) {
            out.push(error(field.clone(), FindingCode::PermissionValue, format!("\"{}\" is not a permission name: enter one value such as User.Read, of letters, digits, dots, hyphens and underscores, without spaces.", crate::export::one_line(&p.value))));
        }
        if let Some(id) = &p.id {
            if !is_guid(id) {
                out.push(error(field.clone(), FindingCode::PermissionId, format!("The ID given for {} is not a GUID; leave it empty to resolve it from the tenant.", p.value)));
            }
        }
        if plan.sign_in_audience == SignInAudience::PersonalMicrosoftAccount
            && p.kind == PermissionType::Application
        {
            out.push(error(field, FindingCode::ApplicationPersonal, format!("{} is an application permission, which personal Microsoft accounts cannot use; choose a work or school account type or a delegated permission.", p.value)));
        }
    }
    let count = plan.permissions.len();
    if plan.sign_in_audience.includes_personal_accounts() && count > 30 {
        out.push(error(Field::Permissions, FindingCode::TooManyPersonal, format!("Apps that sign in personal Microsoft accounts can request at most 30 permissions; this one has {count}.")));
    } else if count > 400 {
        out.push(error(
            Field::Permissions,
            FindingCode::TooMany,
            format!("An app can request at most 400 permissions; this one has {count}."),
        ));
    }
    if let Some(days) = plan.secret_lifetime_days {
        if days == 0 || days > MAX_SECRET_DAYS {
            out.push(error(Field::SecretLifetime, FindingCode::Lifetime, format!("Choose a secret lifetime of 1 to {MAX_SECRET_DAYS} days (24 months), the most the portal allows.")));
        } else if days > 365 {
            out.push(warning(Field::SecretLifetime, FindingCode::LifetimeLong, "Microsoft recommends secrets that expire in less than 12 months; a shorter life limits what a leaked secret can do."));
        }
        if plan.platform == Platform::Spa {
            out.push(warning(Field::SecretLifetime, FindingCode::SpaSecret, "A single-page app runs in the browser and cannot keep a secret; it signs in with PKCE and needs none."));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guid_shape() {
        assert!(is_guid("00000003-0000-0000-c000-000000000000"));
        assert!(is_guid("E1FE6DD8-BA31-4D61-89E7-88639DA4683D"));
        assert!(!is_guid("e1fe6dd8ba314d6189e788639da4683d"));
        assert!(!is_guid("e1fe6dd8-ba31-4d61-89e7-88639da4683"));
        assert!(!is_guid("g1fe6dd8-ba31-4d61-89e7-88639da4683d"));
    }
}
