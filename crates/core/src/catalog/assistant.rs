//! Our own two entries: the registration Entra Setup Assistant signs in with, and a custom
//! registration whose permissions the admin picks.
//!
//! Scopes: shared/reference/graph-facts.md §2.1 (least-privileged scope per Graph call the
//! automated mode makes) and §2.4 (reading the signed-in admin's roles).

use super::apis::MICROSOFT_GRAPH as G;
use super::types::PermissionId::Known;
use super::types::*;
use super::{consent_from_microsoft as ms, delegated};

pub static ENTRA_SETUP_ASSISTANT: Integration = Integration {
    id: "entra-setup-assistant",
    vendor: "Entra Setup Assistant",
    name: "Entra Setup Assistant itself",
    purpose: "The single-page app registration this assistant signs admins in with for its automated mode.",
    guide: Guide {
        file: "reference/graph-facts.md",
        title: "Microsoft identity platform + Microsoft Graph facts, §1.4 and §2",
    },
    suggested_display_name: "Entra Setup Assistant",
    sign_in_audience: SignInAudience::AzureADMyOrg,
    audience_note: "Register it in the tenant you administer; only that tenant's admins sign in to it.",
    flow: Flow::SinglePageApp,
    redirect: RedirectRule {
        platform: Platform::Spa,
        pattern: Some("https://<where you host Entra Setup Assistant>/"),
        expected_suffix: None,
        source: "the address you open Entra Setup Assistant at; it must be a Single-page application redirect URI, or sign-in fails with AADSTS9002326",
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
        ms(delegated(&G, "Application.Read.All", true, Known("c79f8feb-a9db-4090-85f9-90d820caa0eb"), "Read applications")),
        ms(delegated(&G, "RoleManagement.Read.Directory", true, Known("741c54c3-0c1e-44a1-818b-3f97ab4e8c83"), "Read directory RBAC settings")),
    ],
    permissions_complete: true,
    extra_fields: &[],
    console: Console {
        name: "Entra Setup Assistant settings",
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
                optional: false,
                where_to_find: "App registration > Overview > Directory (tenant) ID",
            },
            ConsoleField {
                label: "Redirect URI",
                value: ValueSource::RedirectUri,
                optional: false,
                where_to_find: "App registration > Authentication > Single-page application",
            },
        ],
    },
    outside_steps: &[],
    next_step: "Open Entra Setup Assistant, sign in, and check that it reads your directory roles before you run an automated setup. Granting Microsoft Graph application permissions needs a Privileged Role Administrator or Global Administrator.",
    errata: &[],
    notes: &[
        "A single-page app holds no secret: it signs in with authorization code + PKCE.",
        "RoleManagement.Read.Directory reads the signed-in admin's directory roles; Directory.Read.All also works but reads far more.",
        "Application.Read.All is needed next to AppRoleAssignment.ReadWrite.All to assign app roles.",
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
