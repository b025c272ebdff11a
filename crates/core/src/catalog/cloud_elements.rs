//! Cloud Elements, Microsoft Office 365 / Dynamics 365 connector.
//! Guide: shared/seeds/004_ae7831087dbecfd6.txt ("Microsoft Office 365 API Provider Setup",
//! last modified 12/30/2019).
//!
//! The guide's permission screenshot is cut off after the first of Microsoft Graph's 20
//! permissions, and the account-type and redirect-URI section it promises never appears.

use super::apis::{AZURE_AD_GRAPH as AAD, MICROSOFT_GRAPH as G};
use super::types::PermissionId::{Known, ResolveFromTenant};
use super::types::*;
use super::{application, consent_from_microsoft as ms, delegated, instead};
use crate::plan::Switch;

// Microsoft Graph equivalents of the eight Azure AD Graph permissions (same name and type;
// Microsoft's migration guide maps each one across).
#[rustfmt::skip] static G_APPLICATION_READWRITE_ALL_APP: Permission = ms(application(&G, "Application.ReadWrite.All", true, Known("1bfefb4e-e0b5-418b-a88f-73c46d2cc8e9"), "Read and write all applications"));
#[rustfmt::skip] static G_DEVICE_READWRITE_ALL_APP: Permission = ms(application(&G, "Device.ReadWrite.All", true, Known("1138cb37-bd11-4084-a2b7-9f71582aeddb"), "Read and write devices"));
#[rustfmt::skip] static G_DIRECTORY_READWRITE_ALL_DEL: Permission = ms(delegated(&G, "Directory.ReadWrite.All", true, Known("c5366453-9fb0-48a5-a156-24f0c49a4b84"), "Read and write directory data"));
#[rustfmt::skip] static G_DIRECTORY_READWRITE_ALL_APP: Permission = ms(application(&G, "Directory.ReadWrite.All", true, Known("19dbc75e-c2e2-444c-a770-ec69d8559fc7"), "Read and write directory data"));
#[rustfmt::skip] static G_DOMAIN_READWRITE_ALL_APP: Permission = ms(application(&G, "Domain.ReadWrite.All", true, Known("7e05723c-0bb0-42da-be95-ae9f08a6e53c"), "Read and write domains"));
#[rustfmt::skip] static G_GROUP_READWRITE_ALL_DEL: Permission = ms(delegated(&G, "Group.ReadWrite.All", true, Known("4e46008b-f24c-477d-8fff-7bb4ec7aafe0"), "Read and write all groups"));
#[rustfmt::skip] static G_MEMBER_READ_HIDDEN_APP: Permission = ms(application(&G, "Member.Read.Hidden", true, Known("658aa5d8-239f-45c4-aa12-864f4fc7e490"), "Read all hidden memberships"));
#[rustfmt::skip] static G_USER_READBASIC_ALL_DEL: Permission = ms(delegated(&G, "User.ReadBasic.All", false, Known("b340eb25-3456-403f-be2f-af7a0d370277"), "Read all users' basic profiles"));

#[rustfmt::skip]
pub static OFFICE_365: Integration = Integration {
    id: "cloud-elements-office-365",
    vendor: "Cloud Elements",
    name: "Microsoft Office 365 / Dynamics 365 connector",
    purpose: "Authenticates Cloud Elements connector instances against Office 365 and Dynamics 365.",
    guide: Guide {
        file: "004_ae7831087dbecfd6.txt",
        title: "Cloud Elements: Microsoft Office 365 API Provider Setup",
        troubleshooting: &[],
    },
    suggested_display_name: "Cloud Elements Office 365 connector",
    sign_in_audience: SignInAudience::AzureADMyOrg,
    audience_note: "The guide says the supported account types \"will be configured later during this process\" but that part is cut off; we keep the portal's default, single tenant.",
    flow: Flow::UserSignIn,
    redirect: RedirectRule {
        platform: Platform::Web,
        pattern: None,
        expected_suffix: None,
        source: "the OAuth callback URL of your Cloud Elements connector instance",
        stage: RedirectStage::AfterConsole,
    },
    credential: Credential::ClientSecret { guide_expiry: Some("Never") },
    permissions: &[
        instead(application(&AAD, "Application.ReadWrite.All", true, ResolveFromTenant, "Read and write all applications"), &G_APPLICATION_READWRITE_ALL_APP),
        instead(application(&AAD, "Device.ReadWrite.All", true, ResolveFromTenant, "Read and write devices"), &G_DEVICE_READWRITE_ALL_APP),
        instead(delegated(&AAD, "Directory.ReadWrite.All", true, ResolveFromTenant, "Read and write directory data"), &G_DIRECTORY_READWRITE_ALL_DEL),
        instead(application(&AAD, "Directory.ReadWrite.All", true, ResolveFromTenant, "Read and write directory data"), &G_DIRECTORY_READWRITE_ALL_APP),
        instead(application(&AAD, "Domain.ReadWrite.All", true, ResolveFromTenant, "Read and write domains"), &G_DOMAIN_READWRITE_ALL_APP),
        instead(delegated(&AAD, "Group.ReadWrite.All", true, ResolveFromTenant, "Read and write all groups"), &G_GROUP_READWRITE_ALL_DEL),
        instead(application(&AAD, "Member.Read.Hidden", true, ResolveFromTenant, "Read all hidden memberships"), &G_MEMBER_READ_HIDDEN_APP),
        instead(delegated(&AAD, "User.ReadBasic.All", false, ResolveFromTenant, "Read all users' basic profiles"), &G_USER_READBASIC_ALL_DEL),
        delegated(&G, "Calendars.ReadWrite", false, Known("1ec239c2-d7c9-4623-a91a-a9775856bb36"), "Have full access to user calendars"),
    ],
    permissions_complete: false,
    extra_fields: &[],
    console: Console {
        name: "Cloud Elements connector instance",
        fields: &[
            ConsoleField {
                label: "API key",
                value: ValueSource::ClientId,
                optional: false,
                where_to_find: "Application (client) ID on the app's overview page",
            },
            ConsoleField {
                label: "API secret",
                value: ValueSource::SecretValue,
                optional: false,
                where_to_find: "Certificates & secrets > Client secrets: the value of the new secret",
            },
        ],
    },
    outside_steps: &[],
    next_step: "Authenticate a Microsoft Office 365 (or Dynamics 365) connector instance in Cloud Elements, using the Application (client) ID as the API key and the secret value as the API secret.",
    errata: &[
        Erratum {
            kind: ErratumKind::RetiredApi,
            guide_says: "Azure Active Directory Graph (8): Application.ReadWrite.All, Device.ReadWrite.All, Directory.ReadWrite.All (Delegated and Application), Domain.ReadWrite.All, Group.ReadWrite.All, Member.Read.Hidden, User.ReadBasic.All.",
            our_fix: "Azure AD Graph was retired on 31 August 2025 and can no longer be added. We add the eight Microsoft Graph permissions of the same names and types instead.",
            literal: Literal::Switch(Switch::LiteralRetiredApis, "Following the guide literally is impossible: Entra no longer accepts the retired permissions. This adds neither them nor their Microsoft Graph equivalents."),
        },
        Erratum {
            kind: ErratumKind::SecretExpiry,
            guide_says: "In the Add a client secret window, add a name to the Description field, select Never, and then click Add.",
            our_fix: "The portal no longer offers Never: a client secret lives at most 24 months, and Microsoft recommends less than 12 months, so a leaked secret stops working. We default to 180 days; put a reminder in your calendar to rotate it.",
            literal: Literal::Switch(Switch::LiteralSecretExpiry, "This uses the longest lifetime the portal allows (730 days)."),
        },
        Erratum {
            kind: ErratumKind::IncompleteList,
            guide_says: "Microsoft Graph (20): Calendars.ReadWrite (Delegated) ... (the list is cut off after the first permission).",
            our_fix: "Only the first of Microsoft Graph's 20 permissions is known. Ask Cloud Elements for the complete list and add the rest as custom permissions; the checklist has a step for it.",
            literal: Literal::Text("Grant only what the guide shows."),
        },
    ],
    notes: &[],
    custom: false,
};
