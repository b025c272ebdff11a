//! The resource APIs the guides request permissions on.
//!
//! App IDs: shared/reference/graph-facts.md §10 and other-api-permission-ids.tsv (copied to
//! `crates/core/tests/reference/`, where a test checks them).

use super::types::{Api, PortalTab};

pub static MICROSOFT_GRAPH: Api = Api {
    name: "Microsoft Graph",
    app_id: "00000003-0000-0000-c000-000000000000",
    search_as: "Microsoft Graph",
    tab: PortalTab::MicrosoftApis,
    retired: false,
};

/// Retired 31 August 2025: listed where a guide uses it, never added to an app.
pub static AZURE_AD_GRAPH: Api = Api {
    name: "Azure Active Directory Graph",
    app_id: "00000002-0000-0000-c000-000000000000",
    search_as: "Windows Azure Active Directory",
    tab: PortalTab::MicrosoftApis,
    retired: true,
};

/// Microsoft Defender for Endpoint's API.
pub static WINDOWS_DEFENDER_ATP: Api = Api {
    name: "WindowsDefenderATP",
    app_id: "fc780465-2017-40d4-a0c5-307022471b92",
    search_as: "WindowsDefenderATP",
    tab: PortalTab::ApisMyOrganizationUses,
    retired: false,
};

/// Microsoft Defender XDR's API.
pub static MICROSOFT_THREAT_PROTECTION: Api = Api {
    name: "Microsoft Threat Protection",
    app_id: "8ee8fdad-f234-4243-8f3b-15c294843740",
    search_as: "Microsoft Threat Protection",
    tab: PortalTab::ApisMyOrganizationUses,
    retired: false,
};

/// Its service principal is still called "Azure Purview" in many tenants, so that is what
/// the search box finds.
pub static MICROSOFT_PURVIEW: Api = Api {
    name: "Microsoft Purview",
    app_id: "73c2949e-da2d-457a-9607-fcc665198967",
    search_as: "Azure Purview",
    tab: PortalTab::ApisMyOrganizationUses,
    retired: false,
};

/// Exchange's app-only permissions (`full_access_as_app`) are no longer under Microsoft
/// APIs; the portal finds them under "APIs my organization uses".
pub static EXCHANGE_ONLINE: Api = Api {
    name: "Office 365 Exchange Online",
    app_id: "00000002-0000-0ff1-ce00-000000000000",
    search_as: "Office 365 Exchange Online",
    tab: PortalTab::ApisMyOrganizationUses,
    retired: false,
};

/// Listed as "SharePoint" under Microsoft APIs; its service principal is "Office 365
/// SharePoint Online".
pub static SHAREPOINT: Api = Api {
    name: "SharePoint",
    app_id: "00000003-0000-0ff1-ce00-000000000000",
    search_as: "Office 365 SharePoint Online",
    tab: PortalTab::MicrosoftApis,
    retired: false,
};

/// Every API the catalog knows, for pickers (the `custom` entry) and lookups.
pub static ALL: [&Api; 7] = [
    &MICROSOFT_GRAPH,
    &WINDOWS_DEFENDER_ATP,
    &MICROSOFT_THREAT_PROTECTION,
    &MICROSOFT_PURVIEW,
    &EXCHANGE_ONLINE,
    &SHAREPOINT,
    &AZURE_AD_GRAPH,
];

/// The known API with this app ID (case-insensitive, as GUIDs are).
pub fn by_app_id(app_id: &str) -> Option<&'static Api> {
    ALL.iter()
        .copied()
        .find(|api| api.app_id.eq_ignore_ascii_case(app_id.trim()))
}
