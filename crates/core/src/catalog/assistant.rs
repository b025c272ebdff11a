//! Our own two entries: the registration Entra Setup Assistant signs in with, and a custom
//! registration whose permissions the admin picks.
//!
//! Scopes: shared/reference/graph-facts.md §2.1 (least-privileged scope per Graph call the
//! automated mode makes) and §2.4 (reading the signed-in admin's roles).

use super::apis::MICROSOFT_GRAPH as G;
use super::types::PermissionId::Known;
use super::types::*;
use super::{consent_from_microsoft as ms, delegated};

/// Where the assistant's own registration ends up: the site's `config.json`.
pub const CONFIG_FILE: &str = "config.json";
/// The public cloud's authority for every tenant with a work account (multitenant app).
pub const ORGANIZATIONS_AUTHORITY: &str = "https://login.microsoftonline.com/organizations/v2.0";
/// The public cloud's Microsoft Graph.
pub const GRAPH_BASE_URL: &str = "https://graph.microsoft.com/v1.0";

/// What to register as the redirect URI, exactly. The app always sends
/// `location.origin + "/"` (src/pages/setup/auth.rs), and Entra compares it exactly
/// (AADSTS50011 "InvalidReplyTo" otherwise, on Entra's page, with no way back to the app).
pub const REDIRECT_SOURCE: &str = "the site's origin followed by / (for example https://setup.example.com/), with no other path: the app always sends its origin plus /. Add one Single-page application redirect URI per host name the site answers on (for example both the Static Web Apps name https://<name>.azurestaticapps.net/ and your custom domain); a host name that is missing fails on Microsoft's sign-in page with AADSTS50011";

/// The `config.json` to deploy with the assistant registered as [`ENTRA_SETUP_ASSISTANT`]
/// (public cloud, any tenant), on one line; `client_id` as the admin copied it.
pub fn config_json(client_id: &str) -> String {
    // A JSON string, by hand: the values card links no JSON library.
    let quoted = |v: &str| {
        let mut out = String::from('"');
        for c in v.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    };
    format!(
        "{{ \"authority\": {}, \"graph_base_url\": {}, \"client_id\": {} }}",
        quoted(ORGANIZATIONS_AUTHORITY),
        quoted(GRAPH_BASE_URL),
        quoted(client_id.trim())
    )
}

pub static ENTRA_SETUP_ASSISTANT: Integration = Integration {
    id: "entra-setup-assistant",
    vendor: "Entra Setup Assistant",
    name: "Entra Setup Assistant itself",
    purpose: "The single-page app registration this assistant signs admins in with for its automated mode.",
    guide: Guide {
        file: "reference/graph-facts.md",
        title: "Microsoft identity platform + Microsoft Graph facts, §1.4 and §2",
        troubleshooting: &[],
    },
    suggested_display_name: "Entra Setup Assistant",
    // Multitenant, so that the `organizations` authority the README's config.json names
    // works (a single-tenant app gets AADSTS50194 there: "isn't configured as a
    // multitenant application ... Use a tenant-specific endpoint", reference-error-codes),
    // so that a guest or MSP admin can sign in to a customer tenant through a
    // tenant-specific authority (v2-oauth2-auth-code-flow: "For guest scenarios ... you
    // *must* provide the tenant identifier"), and so that one deployment serves several
    // tenants.
    sign_in_audience: SignInAudience::AzureADMultipleOrgs,
    audience_note: "Multitenant, so that admins of any tenant (yours, a customer's you manage, one where you are a guest) can sign in through the config.json authority \"organizations\" or a tenant they name; a single-tenant registration fails there with AADSTS50194. It holds no secret and acts only with the signed-in admin's own rights, in a tenant only after an admin there consents. To keep it single-tenant instead, put a tenant-specific authority in config.json (https://login.microsoftonline.com/<your tenant ID>/v2.0).",
    flow: Flow::SinglePageApp,
    redirect: RedirectRule {
        platform: Platform::Spa,
        pattern: Some("https://<the site's host name>/"),
        expected_suffix: Some("/"),
        source: REDIRECT_SOURCE,
        stage: RedirectStage::Registration,
    },
    credential: Credential::None,
    permissions: &[
        ms(delegated(&G, "openid", false, Known("37f7f235-527c-4136-accd-4a02d197296e"), "Sign users in")),
        ms(delegated(&G, "profile", false, Known("14dad69e-099b-42c9-810b-d002981feec1"), "View users' basic profile")),
        ms(delegated(&G, "offline_access", false, Known("7427e0e9-2fba-42fe-b0c0-848c9e6a8182"), "Maintain access to data you have given it access to")),
        ms(delegated(&G, "User.Read", false, Known("e1fe6dd8-ba31-4d61-89e7-88639da4683d"), "Sign in and read user profile")),
        ms(delegated(&G, "Application.ReadWrite.All", true, Known("bdfbf15f-ee85-4955-8675-146e8e5296b5"), "Read and write all applications")),
        ms(delegated(&G, "AppRoleAssignment.ReadWrite.All", true, Known("84bccea3-f856-4a8a-967b-dbe0a3d53a64"), "Manage app permission grants and app role assignments")),
        ms(delegated(&G, "DelegatedPermissionGrant.ReadWrite.All", true, Known("41ce6ca6-6826-4807-84f1-1c82854f7ee5"), "Manage all delegated permission grants")),
        ms(delegated(&G, "RoleManagement.Read.Directory", true, Known("741c54c3-0c1e-44a1-818b-3f97ab4e8c83"), "Read directory RBAC settings")),
        // Tenant health only (`/tenant`), asked for on their own so an admin can look
        // before granting anything that writes.
        ms(delegated(&G, "Application.Read.All", true, Known("c79f8feb-a9db-4090-85f9-90d820caa0eb"), "Read applications")),
        ms(delegated(&G, "Directory.Read.All", true, Known("06da0dbc-49e2-44d2-8312-53f166ab848a"), "Read directory data")),
    ],
    permissions_complete: true,
    extra_fields: &[],
    console: Console {
        name: CONFIG_FILE,
        fields: &[
            ConsoleField {
                label: "client_id",
                value: ValueSource::ClientId,
                optional: false,
                where_to_find: "App registration > Overview > Application (client) ID (not the Object ID, not the Directory (tenant) ID)",
            },
            ConsoleField {
                label: "config.json",
                value: ValueSource::AssistantConfig,
                optional: false,
                where_to_find: "Save it as public/config.json before building (trunk build copies it to the site's root, next to index.html, and overwrites dist/config.json)",
            },
        ],
    },
    outside_steps: &[],
    next_step: "Open the deployed site, pick an integration, choose Automated setup and sign in; the first admin of each tenant consents for that tenant. Granting Microsoft Graph application permissions needs a Privileged Role Administrator or Global Administrator.",
    errata: &[],
    notes: &[
        "A single-page app holds no secret: it signs in with authorization code + PKCE.",
        "RoleManagement.Read.Directory reads the signed-in admin's directory roles during a setup, which does not ask for Directory.Read.All.",
        "Application.Read.All and Directory.Read.All are read-only and serve the tenant health page alone: it reads every registration, service principal and grant before anything is changed, so it does not ask for the permissions that write.",
        "These are exactly the permissions the automated mode asks for: the sign-in asks for openid, profile, offline_access and User.Read, a setup for the rest it needs, the tenant health page for its two read permissions (incremental consent).",
    ],
    custom: false,
};

pub static CUSTOM: Integration = Integration {
    id: "custom",
    vendor: "Custom",
    name: "Custom app registration",
    purpose: "Any integration not in the catalog: you pick the APIs and permissions.",
    guide: Guide {
        file: "",
        title: "No vendor guide: your own choices",
        troubleshooting: &[],
    },
    suggested_display_name: "My integration",
    sign_in_audience: SignInAudience::AzureADMyOrg,
    audience_note: "Single tenant unless the vendor tells you otherwise.",
    flow: Flow::UserSignIn,
    redirect: RedirectRule {
        platform: Platform::Web,
        pattern: None,
        expected_suffix: None,
        source: "the callback URL your vendor gives you, if it signs users in",
        stage: RedirectStage::Registration,
    },
    credential: Credential::ClientSecret { guide_expiry: None },
    permissions: &[],
    permissions_complete: false,
    extra_fields: &[],
    console: Console {
        name: "your vendor's console",
        fields: &[
            ConsoleField {
                label: "Client ID",
                value: ValueSource::ClientId,
                optional: false,
                where_to_find: "App registration > Overview > Application (client) ID",
            },
            ConsoleField {
                label: "Tenant ID",
                value: ValueSource::TenantId,
                optional: true,
                where_to_find: "App registration > Overview > Directory (tenant) ID",
            },
            ConsoleField {
                label: "Client secret",
                value: ValueSource::SecretValue,
                optional: false,
                where_to_find: "App registration > Certificates & secrets > Client secrets > Value",
            },
        ],
    },
    outside_steps: &[],
    next_step: "Test the integration with a low-risk read first, then any write actions in a safe test location.",
    errata: &[],
    notes: &[],
    custom: true,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn config_json_is_json_whatever_was_pasted() {
        let json = config_json(" a\"b\\c\n ");
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(v["client_id"], "a\"b\\c");
        assert_eq!(v["authority"], ORGANIZATIONS_AUTHORITY);
        assert_eq!(
            config_json("x"),
            r#"{ "authority": "https://login.microsoftonline.com/organizations/v2.0", "graph_base_url": "https://graph.microsoft.com/v1.0", "client_id": "x" }"#
        );
    }
}
