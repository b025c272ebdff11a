//! KODO for Cloud (Microsoft 365 backup).
//! Guide: shared/seeds/003_f3b501621deda2b7.txt ("Configure Microsoft 365 access").
//!
//! The guide's table has no admin-consent column: application permissions always need it,
//! and the three delegated ones follow Microsoft's permission reference.

use super::apis::{AZURE_AD_GRAPH as AAD, EXCHANGE_ONLINE, MICROSOFT_GRAPH as G, SHAREPOINT};
use super::types::PermissionId::{Known, ResolveFromTenant};
use super::types::*;
use super::{application, consent_from_microsoft as ms, delegated, instead};
use crate::plan::Switch;

// Microsoft Graph equivalents of the two Azure AD Graph permissions.
#[rustfmt::skip] static GRAPH_USER_READ_ALL_DELEGATED: Permission = ms(delegated(&G, "User.Read.All", true, Known("a154be20-db9c-4678-8ab7-66f6cc099a59"), "Read all users' full profiles"));
#[rustfmt::skip] static GRAPH_DIRECTORY_READ_ALL_APPLICATION: Permission = ms(application(&G, "Directory.Read.All", true, Known("7ab1d382-f21e-4acd-a863-ba3e13f7da61"), "Read directory data"));

#[rustfmt::skip]
pub static KODO_FOR_CLOUD: Integration = Integration {
    id: "kodo-for-cloud",
    vendor: "KODO",
    name: "KODO for Cloud (Microsoft 365 backup)",
    purpose: "Backs up Microsoft 365 mail, calendars, contacts, OneDrive and SharePoint as the app itself.",
    guide: Guide {
        file: "003_f3b501621deda2b7.txt",
        title: "KODO for Cloud: Configure Microsoft 365 access",
        troubleshooting: &[],
    },
    suggested_display_name: "KODO for Cloud backup",
    sign_in_audience: SignInAudience::AzureADMyOrg,
    audience_note: "The guide: \"Use the default options for the remaining fields\" — the default account type is single tenant.",
    flow: Flow::AppOnly,
    redirect: RedirectRule {
        platform: Platform::None,
        pattern: None,
        expected_suffix: None,
        source: "The guide keeps the registration form's defaults, which leave the Redirect URI empty.",
        stage: RedirectStage::Registration,
    },
    credential: Credential::ClientSecret { guide_expiry: None },
    permissions: &[
        instead(
            ms(delegated(&AAD, "User.Read.All", true, ResolveFromTenant, "")),
            &GRAPH_USER_READ_ALL_DELEGATED,
        ),
        instead(
            ms(application(&AAD, "Directory.Read.All", true, ResolveFromTenant, "")),
            &GRAPH_DIRECTORY_READ_ALL_APPLICATION,
        ),
        ms(application(&EXCHANGE_ONLINE, "full_access_as_app", true, Known("dc890d15-9560-4a4c-9b7f-a736ec74ec40"), "")),
        ms(application(&G, "Calendars.ReadWrite", true, Known("ef54d2bf-783f-4e0f-bca1-3210c0444d99"), "")),
        ms(application(&G, "Contacts.ReadWrite", true, Known("6918b873-d17a-4dc1-b314-35f528134491"), "")),
        ms(application(&G, "Files.ReadWrite.All", true, Known("75359482-378d-4052-8f01-80520e7db3cd"), "")),
        ms(application(&G, "Mail.ReadWrite", true, Known("e2a3a72e-5f79-4c64-b1b1-878b674786c9"), "")),
        ms(application(&G, "Mail.Read", true, Known("810c84a8-4a9e-49e6-bf7d-12d183f40d01"), "")),
        ms(application(&G, "Sites.ReadWrite.All", true, Known("9492366f-7969-46a4-8d15-ed1a20078fff"), "")),
        ms(delegated(&G, "User.Read", false, Known("e1fe6dd8-ba31-4d61-89e7-88639da4683d"), "")),
        // The guide writes "User.Read.all"; permission values are case-sensitive claims.
        ms(application(&G, "User.Read.All", true, Known("df021288-bdef-4463-88db-98f22de89214"), "")),
        ms(delegated(&SHAREPOINT, "AllSites.FullControl", true, Known("56680e0d-d2a3-4ae1-80d8-3c4f2100e3d0"), "")),
        ms(application(&SHAREPOINT, "Sites.FullControl.All", true, Known("678536fe-1083-478a-9c59-b99265e6b0d3"), "")),
        ms(application(&SHAREPOINT, "User.Read.All", true, Known("df021288-bdef-4463-88db-98f22de89214"), "")),
        ms(application(&SHAREPOINT, "User.ReadWrite.All", true, Known("741f803b-c850-494e-b5df-cde7c675a1ca"), "")),
    ],
    permissions_complete: true,
    extra_fields: &[],
    console: Console {
        name: "KODO for Cloud server",
        fields: &[
            ConsoleField {
                label: "Application ID",
                value: ValueSource::ClientId,
                optional: false,
                where_to_find: "App registrations > Owned applications > the app: application (client) ID",
            },
            ConsoleField {
                label: "Directory ID",
                value: ValueSource::TenantId,
                optional: false,
                where_to_find: "App registrations > Owned applications > the app: directory (tenant) ID",
            },
            ConsoleField {
                label: "Client secret",
                value: ValueSource::SecretValue,
                optional: false,
                where_to_find: "Certificates & secrets > Client secrets: the value (copy icon next to it)",
            },
        ],
    },
    outside_steps: &[],
    next_step: "Add the organization to the KODO for Cloud server with the application ID, directory ID and client secret (the guide's next chapter); KODO does not store your Microsoft 365 administrative ID and password.",
    errata: &[
        Erratum {
            kind: ErratumKind::RetiredApi,
            guide_says: "Azure Active Directory Graph: User.Read.All (Delegated) and Directory.Read.All (Application).",
            our_fix: "Azure AD Graph was retired on 31 August 2025 and can no longer be added. We add the Microsoft Graph equivalents instead: User.Read.All (Delegated) and Directory.Read.All (Application).",
            literal: Literal::Switch(Switch::LiteralRetiredApis, "Following the guide literally is impossible: Entra no longer accepts the retired permissions. This adds neither them nor their Microsoft Graph equivalents."),
        },
        Erratum {
            kind: ErratumKind::Typo,
            guide_says: "Microsoft Graph | User.Read.all | Application",
            our_fix: "The permission is User.Read.All; claims are case-sensitive.",
            literal: Literal::Text("Not applicable: the portal lists only User.Read.All."),
        },
        Erratum {
            kind: ErratumKind::Dated,
            guide_says: "Go to Manage Azure Active Directory ... Admin centers > Azure Active Directory ... Azure Active Directory > tenant - App registrations > Owned applications.",
            our_fix: "Azure Active Directory is now Microsoft Entra ID; the checklist uses the Microsoft Entra admin center's menu paths.",
            literal: Literal::Text("Not applicable: the old menus no longer exist."),
        },
    ],
    notes: &[
        "SharePoint's application permissions User.Read.All and User.ReadWrite.All have the same GUIDs as Microsoft Graph's, but they are different permissions on a different API: add them under SharePoint.",
    ],
    custom: false,
};
