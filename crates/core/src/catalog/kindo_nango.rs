//! Kindo's Microsoft MCP integrations, configured in Nango.
//! Guide: shared/seeds/001_c0014d6804a8ac03.txt ("Connect to Microsoft MCP integrations").
//!
//! Thirteen integrations share one pattern (delegated permissions, single tenant, a Web
//! redirect URI that Nango shows once the client ID and secret are in); Microsoft Fabric
//! authenticates as the app itself and has its own connection form.

use super::apis::{
    MICROSOFT_GRAPH as G, MICROSOFT_PURVIEW, MICROSOFT_THREAT_PROTECTION,
    WINDOWS_DEFENDER_ATP as WDATP,
};
use super::delegated as d;
use super::types::PermissionId::{Known, ResolveFromTenant};
use super::types::*;

const GUIDE: Guide = Guide {
    file: "001_c0014d6804a8ac03.txt",
    title: "Kindo: Connect to Microsoft MCP integrations",
    troubleshooting: TROUBLESHOOTING,
};

/// The guide's "Troubleshooting" table, as it words it.
const TROUBLESHOOTING: &[Trouble] = &[
    Trouble {
        problem: "Microsoft says the redirect URI is invalid",
        what_to_check: "Make sure the redirect URI in Entra exactly matches the callback URL shown in Nango, including https:// and /oauth/callback.",
    },
    Trouble {
        problem: "The consent screen does not show the expected permissions",
        what_to_check: "Confirm the permissions were added to the same app registration whose client ID you entered in Nango. Reconnect after changing permissions.",
    },
    Trouble {
        problem: "Kindo reports Unauthorized or cannot refresh the connection",
        what_to_check: "Recreate the connection and confirm the integration includes offline_access when delegated refresh is required.",
    },
    Trouble {
        problem: "Kindo reports Forbidden",
        what_to_check: "The signed-in user may not have access to the Microsoft resource, admin consent may be missing, or the app may not have the required permission.",
    },
    Trouble {
        problem: "A write action fails but read actions work",
        what_to_check: "The app may have read-only permissions. Add only the specific write permission required by the integration.",
    },
];

const VENDOR: &str = "Kindo";

const NANGO_REDIRECT: RedirectRule = RedirectRule {
    platform: Platform::Web,
    pattern: Some("https://<your Nango host>/oauth/callback"),
    expected_suffix: Some("/oauth/callback"),
    source: "the OAuth callback URL shown in the Nango integration setup",
    stage: RedirectStage::AfterConsole,
};

const NANGO_CONSOLE: Console = Console {
    name: "Nango dashboard",
    fields: &[
        ConsoleField {
            label: "Client ID",
            value: ValueSource::ClientId,
            optional: false,
            where_to_find: "App registration > Overview > Application (client) ID",
        },
        ConsoleField {
            label: "Client Secret",
            value: ValueSource::SecretValue,
            optional: false,
            where_to_find: "App registration > Certificates & secrets > Client secrets > Value",
        },
        ConsoleField {
            label: "Tenant ID",
            value: ValueSource::TenantId,
            optional: true,
            where_to_find: "App registration > Overview > Directory (tenant) ID, if requested",
        },
    ],
};

const NANGO_OUTSIDE: &[OutsideStep] = &[
    OutsideStep {
        key: "nango-create-integration",
        stage: Stage::After,
        place: "Nango dashboard",
        text: "Open the Nango dashboard for your Kindo deployment and create a new integration for the Microsoft MCP you are connecting; enter the values below, add any integration-specific fields that are requested (such as a Purview endpoint URL, Azure subscription ID, or target user ID), save, and copy the OAuth callback URL it shows.",
    },
];

const NANGO_NEXT_STEP: &str = "Start the connection flow from Kindo, sign in with the Microsoft account that should authorize the integration, review the requested permissions and approve. Then run a low-risk read action first, such as listing calendars, searching a site, or listing available records; after read access works, test any write actions in a safe test location before using the integration on production data.";

const NANGO_NOTES: &[&str] = &[
    "Kindo integrations use delegated permissions only: the integration can never reach data the signed-in user cannot access, and is limited to what the app's permissions allow.",
    "Kindo SaaS keeps the app registration in Kindo's tenant; you only see its service principal under Enterprise applications. Follow this checklist for self-managed Kindo.",
];

const AUDIENCE_NOTE: &str = "The guide: \"For most enterprise setups, choose Accounts in this organizational directory only.\"";

/// The shared shape; each integration overrides what differs.
#[rustfmt::skip]
const fn nango(
    id: &'static str,
    name: &'static str,
    purpose: &'static str,
    suggested_display_name: &'static str,
    permissions: &'static [Permission],
) -> Integration {
    Integration {
        id,
        vendor: VENDOR,
        name,
        purpose,
        guide: GUIDE,
        suggested_display_name,
        sign_in_audience: SignInAudience::AzureADMyOrg,
        audience_note: AUDIENCE_NOTE,
        flow: Flow::UserSignIn,
        redirect: NANGO_REDIRECT,
        credential: Credential::ClientSecret { guide_expiry: None },
        permissions,
        permissions_complete: true,
        extra_fields: &[],
        console: NANGO_CONSOLE,
        outside_steps: NANGO_OUTSIDE,
        next_step: NANGO_NEXT_STEP,
        errata: &[],
        notes: NANGO_NOTES,
        custom: false,
    }
}

// Microsoft Graph delegated permissions as the guide describes them. The same permission
// has the same description and consent flag wherever this guide lists it.
#[rustfmt::skip] const USER_READ: Permission = d(&G, "User.Read", false, Known("e1fe6dd8-ba31-4d61-89e7-88639da4683d"), "Sign in and read user profile");
#[rustfmt::skip] const USER_READ_ALL: Permission = d(&G, "User.Read.All", true, Known("a154be20-db9c-4678-8ab7-66f6cc099a59"), "Read all users’ full profiles");
#[rustfmt::skip] const OFFLINE_ACCESS: Permission = d(&G, "offline_access", false, Known("7427e0e9-2fba-42fe-b0c0-848c9e6a8182"), "Maintain access to data you have given it access to");
#[rustfmt::skip] const DIRECTORY_READ_ALL: Permission = d(&G, "Directory.Read.All", true, Known("06da0dbc-49e2-44d2-8312-53f166ab848a"), "Read directory data");
#[rustfmt::skip] const DIRECTORY_READWRITE_ALL: Permission = d(&G, "Directory.ReadWrite.All", true, Known("c5366453-9fb0-48a5-a156-24f0c49a4b84"), "Read and write directory data");
#[rustfmt::skip] const ROLEMANAGEMENT_READ_DIRECTORY: Permission = d(&G, "RoleManagement.Read.Directory", true, Known("741c54c3-0c1e-44a1-818b-3f97ab4e8c83"), "Read directory RBAC settings");
#[rustfmt::skip] const IDENTITYRISKYUSER_READ_ALL: Permission = d(&G, "IdentityRiskyUser.Read.All", true, Known("d04bb851-cb7c-4146-97c7-ca3e71baf56c"), "Read identity risky user information");
#[rustfmt::skip] const IDENTITYRISKYUSER_READWRITE_ALL: Permission = d(&G, "IdentityRiskyUser.ReadWrite.All", true, Known("e0a7cdbb-08b0-4697-8264-0069786e9674"), "Read and write risky user information");
#[rustfmt::skip] const SECURITYEVENTS_READ_ALL: Permission = d(&G, "SecurityEvents.Read.All", true, Known("64733abd-851e-478a-bffb-e47a14b18235"), "Read your organization’s security events");
#[rustfmt::skip] const SECURITYINCIDENT_READ_ALL: Permission = d(&G, "SecurityIncident.Read.All", true, Known("b9abcc4f-94fc-4457-9141-d20ce80ec952"), "Read incidents");
#[rustfmt::skip] const SECURITYINCIDENT_READWRITE_ALL: Permission = d(&G, "SecurityIncident.ReadWrite.All", true, Known("128ca929-1a19-45e6-a3b8-435ec44a36ba"), "Read and write to incidents");
#[rustfmt::skip] const SECURITYALERT_READWRITE_ALL: Permission = d(&G, "SecurityAlert.ReadWrite.All", true, Known("471f2a7f-2a42-4d45-a2bf-594d0838070d"), "Read and write to all security alerts");
#[rustfmt::skip] const THREATHUNTING_READ_ALL: Permission = d(&G, "ThreatHunting.Read.All", true, Known("b152eca8-ea73-4a48-8c98-1a6742673d99"), "Run hunting queries");
#[rustfmt::skip] const FILES_READWRITE_ALL: Permission = d(&G, "Files.ReadWrite.All", false, Known("863451e7-0667-486c-a5d6-d135439485f0"), "Have full access to all files user can access");
#[rustfmt::skip] const SITES_READWRITE_ALL: Permission = d(&G, "Sites.ReadWrite.All", false, Known("89fe6a52-be36-487e-b7d8-d061c450a026"), "Edit or delete items in all site collections");
#[rustfmt::skip] const CONTACTS_READ: Permission = d(&G, "Contacts.Read", false, Known("ff74d97f-43af-4b68-9f2a-b77ee6968c5d"), "Read user contacts");
#[rustfmt::skip] const PEOPLE_READ: Permission = d(&G, "People.Read", false, Known("ba47897c-39ec-4d83-8086-ee8256fa737d"), "Read users’ relevant people lists");

#[rustfmt::skip]
pub static DEFENDER: Integration = nango(
    "nango-microsoft-defender",
    "Microsoft Defender",
    "Security actions, events, incidents and Defender for Endpoint machine actions through Kindo.",
    "Kindo - Microsoft Defender",
    &[
        d(&G, "SecurityActions.Read.All", true, Known("1638cddf-07a4-4de2-8645-69c96cacad73"), "Read your organization’s security actions"),
        d(&G, "SecurityActions.ReadWrite.All", true, Known("dc38509c-b87d-4da0-bd92-6bec988bac4a"), "Read and update your organization’s security actions"),
        SECURITYEVENTS_READ_ALL,
        d(&G, "SecurityEvents.ReadWrite.All", true, Known("6aedf524-7e1c-45a7-bd76-ded8cab8d0fc"), "Read and update your organization’s security events"),
        USER_READ,
        d(&MICROSOFT_THREAT_PROTECTION, "AdvancedHunting.Read", true, Known("15f11de4-5113-4268-a2d1-0bad43d781f9"), "Run advanced hunting queries"),
        d(&MICROSOFT_THREAT_PROTECTION, "Incident.Read", true, Known("12c153a4-4204-4224-aa3c-4626e2f47c2b"), "Read incidents"),
        d(&WDATP, "AdvancedQuery.Read", true, Known("1fb6e712-1bd9-4184-b1c0-5e71e759196b"), "Run advanced queries"),
        d(&WDATP, "Alert.Read", true, Known("b2069dc0-9fe9-4e6d-9aca-ccf3dd503819"), "Read alerts"),
        d(&WDATP, "Alert.ReadWrite", true, Known("cbc3b413-21e6-416d-95a4-af87687efbd0"), "Read and write alerts"),
        d(&WDATP, "File.Read.All", true, Known("8fce64a0-67c8-4e39-8f47-cac9ff7e13bb"), "Read file profiles"),
        d(&WDATP, "IntegrationConfiguration.ReadWrite", true, Known("7c6f6912-60e9-4fcd-bb2a-c25bc35e8c59"), "Read and write integration settings"),
        d(&WDATP, "Ip.Read.All", true, Known("b65a97e8-c8e8-4908-b19a-f654615de1a9"), "Read IP address profiles"),
        d(&WDATP, "Library.Manage", true, Known("5998a3da-2c9b-4bf3-99bd-44c9fe337ad2"), "Manage live response library files"),
        // The reference file has a single public source for the next seven: resolve them.
        d(&WDATP, "Machine.CollectForensics", true, ResolveFromTenant, "Collect forensics"),
        d(&WDATP, "Machine.Isolate", true, ResolveFromTenant, "Isolate machine"),
        d(&WDATP, "Machine.LiveResponse", true, ResolveFromTenant, "Run live response on a specific machine"),
        d(&WDATP, "Machine.Offboard", true, ResolveFromTenant, "Offboard machine"),
        d(&WDATP, "Machine.Read", true, Known("fbd3d33a-b1f5-4573-906c-51b39682fbcf"), "Read machine information"),
        d(&WDATP, "Machine.ReadWrite", true, Known("f6846c57-9e3c-4a65-81aa-2f5e09ff4f0b"), "Read and write machine information"),
        d(&WDATP, "Machine.RestrictExecution", true, ResolveFromTenant, "Restrict code execution"),
        d(&WDATP, "Machine.Scan", true, ResolveFromTenant, "Scan machine"),
        d(&WDATP, "Machine.StopAndQuarantine", true, ResolveFromTenant, "Stop and quarantine file"),
        d(&WDATP, "RemediationTasks.Read", true, Known("19956c04-168f-4f44-b471-48c8f50dc0c8"), "Read remediation tasks"),
        d(&WDATP, "Score.Read", true, Known("df4ed126-3a4c-460a-b0fc-67aea84fc332"), "Read Threat and Vulnerability Management score"),
        d(&WDATP, "SecurityBaselinesAssessment.Read", true, Known("d42e2aa1-a664-43a9-b7c6-2766d44a6687"), "Read security baselines assessment information"),
        d(&WDATP, "SecurityConfiguration.Read", true, Known("4ac83e46-552f-4948-91c2-f7eaff971018"), "Read security configurations"),
        d(&WDATP, "SecurityConfiguration.ReadWrite", true, Known("bfc81a3a-4f6d-4bfe-b945-d7fe6747d2a0"), "Read and write security configurations"),
        d(&WDATP, "SecurityRecommendation.Read", true, Known("1ab96238-1253-4059-a32f-4087f20ed65d"), "Read Threat and Vulnerability Management security recommendations"),
        d(&WDATP, "Software.Read", true, Known("5f216ada-3f51-4a22-ace5-06b198328476"), "Read Threat and Vulnerability Management software information"),
        d(&WDATP, "Ti.ReadWrite", true, Known("650ff1f9-dd5f-48ee-8c58-7beef332c818"), "Read and write IOCs"),
        d(&WDATP, "Url.Read.All", true, Known("42b4777c-6196-49ad-9cfc-207e73f2eb61"), "Read URL profiles"),
        d(&WDATP, "User.Read.All", true, Known("ffd6563e-842b-4cfc-b349-06006e0473a3"), "Read user profiles"),
        d(&WDATP, "Vulnerability.Read", true, Known("63a677ce-818c-4409-9d12-5c6d2e2a6bfe"), "Read Threat and Vulnerability Management vulnerability information"),
    ],
);

#[rustfmt::skip]
pub static EDISCOVERY: Integration = nango(
    "nango-microsoft-ediscovery",
    "Microsoft eDiscovery",
    "Read and manage eDiscovery cases through Kindo.",
    "Kindo - Microsoft eDiscovery",
    &[
        d(&G, "eDiscovery.Read.All", true, Known("99201db3-7652-4d5a-809a-bdb94f85fe3c"), "Read all eDiscovery objects"),
        d(&G, "eDiscovery.ReadWrite.All", true, Known("acb8f680-0834-4146-b69e-4ab1b39745ad"), "Read and write all eDiscovery objects"),
        USER_READ,
        USER_READ_ALL,
    ],
);

#[rustfmt::skip]
pub static ENTRA_ID: Integration = nango(
    "nango-microsoft-entra-id",
    "Microsoft Entra ID",
    "Read and manage users, groups, apps, policies, roles and risk data through Kindo.",
    "Kindo - Microsoft Entra ID",
    &[
        d(&G, "Application.Read.All", true, Known("c79f8feb-a9db-4090-85f9-90d820caa0eb"), "Read applications"),
        d(&G, "Application.ReadUpdate.All", true, Known("0586a906-4d89-4de8-b3c8-1aacdcc0c679"), "Read and update all apps"),
        d(&G, "Application.ReadWrite.All", true, Known("bdfbf15f-ee85-4955-8675-146e8e5296b5"), "Read and write all applications"),
        d(&G, "AuditLog.Read.All", true, Known("e4c9e354-4dc5-45b8-9e7c-e1393b0b1a20"), "Read audit log data"),
        d(&G, "AuditLogsQuery-Entra.Read.All", true, Known("5ff2f415-e0f1-4d11-bfd0-6d87c0f667fd"), "Read audit logs data from Entra (Azure AD) workload"),
        DIRECTORY_READ_ALL,
        DIRECTORY_READWRITE_ALL,
        d(&G, "Group.Read.All", true, Known("5f8c59db-677d-491f-a6b8-5f174b11ec1d"), "Read all groups"),
        d(&G, "Group.ReadWrite.All", true, Known("4e46008b-f24c-477d-8fff-7bb4ec7aafe0"), "Read and write all groups"),
        d(&G, "IdentityRiskEvent.Read.All", true, Known("8f6a01e7-0391-4ee5-aa22-a3af122cef27"), "Read identity risk event information"),
        d(&G, "IdentityRiskEvent.ReadWrite.All", true, Known("9e4862a5-b68f-479e-848a-4e07e25c9916"), "Read and write risk event information"),
        IDENTITYRISKYUSER_READ_ALL,
        IDENTITYRISKYUSER_READWRITE_ALL,
        OFFLINE_ACCESS,
        d(&G, "Policy.Read.All", true, Known("572fea84-0151-49b2-9301-11cb16974376"), "Read your organization’s policies"),
        d(&G, "Policy.Read.AuthenticationMethod", true, Known("a6ff13ac-1851-4993-8ca9-a671d70de2d5"), "Read authentication method policies"),
        d(&G, "Policy.Read.ConditionalAccess", false, Known("633e0fce-8c58-4cfb-9495-12bbd5a24f7c"), "Read your organization’s conditional access policies"),
        d(&G, "Policy.Read.DeviceConfiguration", true, Known("3616a4b0-6746-49c4-a678-4c237599074d"), "Read your organization’s device configuration policies"),
        d(&G, "Policy.Read.IdentityProtection", true, Known("d146432f-b803-4ed4-8d42-ba74193a6ede"), "Read your organization’s identity protection policy"),
        d(&G, "Policy.Read.PermissionGrant", true, Known("414de6ea-2d92-462f-b120-6e2a809a6d01"), "Read consent and permission grant policies"),
        d(&G, "Policy.ReadWrite.ConditionalAccess", true, Known("ad902697-1014-4ef5-81ef-2b4301988e8c"), "Read and write your organization’s conditional access policies"),
        d(&G, "PrivilegedAccess.Read.AzureAD", true, Known("b3a539c9-59cb-4ad5-825a-041ddbdc2bdb"), "Read privileged access to Azure AD"),
        d(&G, "PrivilegedAccess.Read.AzureADGroup", true, Known("d329c81c-20ad-4772-abf9-3f6fdb7e5988"), "Read privileged access to Azure AD groups"),
        d(&G, "RoleManagement.Read.All", true, Known("48fec646-b2ba-4019-8681-8eb31435aded"), "Read role management data for all RBAC providers"),
        ROLEMANAGEMENT_READ_DIRECTORY,
        d(&G, "RoleManagementAlert.Read.Directory", true, Known("cce71173-f76d-446e-97ff-efb2d82e11b1"), "Read all alert data for your company’s directory"),
        d(&G, "RoleManagementPolicy.Read.AzureADGroup", true, Known("7e26fdff-9cb1-4e56-bede-211fe0e420e8"), "Read all policies in PIM for Groups"),
        d(&G, "RoleManagementPolicy.Read.Directory", true, Known("3de2cdbe-0ff5-47d5-bdee-7f45b4749ead"), "Read all policies for privileged role assignments of your company’s directory"),
        d(&G, "SecurityIdentitiesUserActions.Read.All", true, Known("c7d0a939-da1c-4aca-80fa-d0a6cd924801"), "Read identity security available user actions"),
        SECURITYINCIDENT_READ_ALL,
        USER_READ,
        USER_READ_ALL,
        d(&G, "User.ReadBasic.All", false, Known("b340eb25-3456-403f-be2f-af7a0d370277"), "Read all users’ basic profiles"),
        d(&G, "User.ReadWrite.All", true, Known("204e0828-b5ca-4ad8-b9f3-f32a958e7cc4"), "Read and write all users’ full profiles"),
        d(&G, "UserAuthenticationMethod.Read", true, Known("1f6b61c5-2f65-4135-9c9f-31c0f8d32b52"), "Read user authentication methods"),
        d(&G, "UserAuthenticationMethod.Read.All", true, Known("aec28ec7-4d02-4e8c-b864-50163aea77eb"), "Read all users’ authentication methods"),
    ],
);

#[rustfmt::skip]
pub static ENTRA_ID_GOVERNANCE: Integration = nango(
    "nango-microsoft-entra-id-governance",
    "Microsoft Entra ID Governance",
    "Access reviews, entitlement management, lifecycle workflows and PIM schedules through Kindo.",
    "Kindo - Microsoft Entra ID Governance",
    &[
        d(&G, "AccessReview.Read.All", true, Known("ebfcd32b-babb-40f4-a14b-42706e83bd28"), "Read all access reviews that user can access"),
        d(&G, "AccessReview.ReadWrite.All", true, Known("e4aa47b9-9a69-4109-82ed-36ec70d85ff1"), "Manage all access reviews that user can access"),
        DIRECTORY_READ_ALL,
        DIRECTORY_READWRITE_ALL,
        d(&G, "EntitlementManagement.Read.All", true, Known("5449aa12-1393-4ea2-a7c7-d0e06c1a56b2"), "Read all entitlement management resources"),
        d(&G, "LifecycleWorkflows-Reports.Read.All", true, Known("4d3d7f81-163f-426a-8432-5638d2e82083"), "Read all Lifecycle workflows reports"),
        d(&G, "LifecycleWorkflows-Workflow.Activate", true, Known("df1c25b3-072c-45cd-8403-c63441e4cca1"), "Run workflows on demand in Lifecycle workflows"),
        d(&G, "LifecycleWorkflows-Workflow.Read.All", true, Known("7fabe5bd-2e47-4e61-b924-327117024e18"), "Read all workflows in Lifecycle workflows"),
        d(&G, "LifecycleWorkflows-Workflow.ReadBasic.All", true, Known("789c445d-433c-4575-a1fc-367a58a1bd4a"), "List all workflows in Lifecycle workflows"),
        d(&G, "PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup", true, Known("06dbc45d-6708-4ef0-a797-f797ee68bf4b"), "Read, create, and delete assignment schedules for access to Azure AD groups"),
        d(&G, "PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup", true, Known("ba974594-d163-484e-ba39-c330d5897667"), "Read, create, and delete eligibility schedules for access to Azure AD groups"),
        d(&G, "RoleAssignmentSchedule.ReadWrite.Directory", true, Known("8c026be3-8e26-4774-9372-8d5d6f21daff"), "Read, update, and delete all active role assignments for your company’s directory"),
        d(&G, "RoleEligibilitySchedule.ReadWrite.Directory", true, Known("62ade113-f8e0-4bf9-a6ba-5acb31db32fd"), "Read, update, and delete all eligible role assignments for your company’s directory"),
        ROLEMANAGEMENT_READ_DIRECTORY,
        USER_READ,
    ],
);

#[rustfmt::skip]
pub static EXCEL_ONLINE: Integration = nango(
    "nango-microsoft-excel-online",
    "Microsoft Excel Online",
    "Read and edit workbooks in OneDrive and SharePoint through Kindo.",
    "Kindo - Microsoft Excel Online",
    &[
        d(&G, "Files.ReadWrite", false, Known("5c28f0bf-8a70-41f1-8ab2-9032436ddb65"), "Have full access to user files"),
        FILES_READWRITE_ALL,
        SITES_READWRITE_ALL,
        USER_READ,
    ],
);

const FABRIC_EXTRA: &[ExtraField] = &[
    ExtraField {
        key: "sql_endpoint_host",
        label: "SQL Endpoint Host",
        description: "Full host,port of the Fabric Lakehouse SQL endpoint",
        example: "foo.datawarehouse.fabric.microsoft.com,1433",
    },
    ExtraField {
        key: "lakehouse_database",
        label: "Lakehouse Database",
        description: "Database/lakehouse name",
        // Ours: the guide gives no example; this is the shape of a lakehouse name.
        example: "SalesLakehouse",
    },
];

#[rustfmt::skip]
pub static FABRIC: Integration = Integration {
    audience_note: AUDIENCE_NOTE,
    flow: Flow::AppOnly,
    redirect: RedirectRule {
        platform: Platform::None,
        pattern: None,
        expected_suffix: None,
        source: "No redirect URI or user sign-in flow is needed (the guide: skip Step 5).",
        stage: RedirectStage::Registration,
    },
    extra_fields: FABRIC_EXTRA,
    console: Console {
        name: "Kindo: Microsoft Fabric connection form",
        fields: &[
            ConsoleField {
                label: "Tenant ID",
                value: ValueSource::TenantId,
                optional: false,
                where_to_find: "App registration > Overview > Directory (tenant) ID",
            },
            ConsoleField {
                label: "SQL Endpoint Host",
                value: ValueSource::Extra("sql_endpoint_host"),
                optional: false,
                where_to_find: "Full host,port of the Fabric Lakehouse SQL endpoint, for example foo.datawarehouse.fabric.microsoft.com,1433",
            },
            ConsoleField {
                label: "Lakehouse Database",
                value: ValueSource::Extra("lakehouse_database"),
                optional: false,
                where_to_find: "Database/lakehouse name",
            },
            ConsoleField {
                label: "Client ID",
                value: ValueSource::ClientId,
                optional: false,
                where_to_find: "App registration > Overview > Application (client) ID",
            },
            ConsoleField {
                label: "Client Secret",
                value: ValueSource::SecretValue,
                optional: false,
                where_to_find: "App registration > Certificates & secrets > Client secrets > Value",
            },
        ],
    },
    outside_steps: &[
        OutsideStep {
            key: "fabric-tenant-setting",
            stage: Stage::After,
            place: "Fabric admin portal",
            text: "Enable the \"Service principals can use Fabric APIs\" tenant setting.",
        },
        OutsideStep {
            key: "fabric-manage-access",
            stage: Stage::After,
            place: "Microsoft Fabric workspace",
            text: "Open the target Fabric workspace and select Manage access.",
        },
        OutsideStep {
            key: "fabric-add-app",
            stage: Stage::After,
            place: "Microsoft Fabric workspace",
            text: "Add the app registration by name.",
        },
        OutsideStep {
            key: "fabric-assign-role",
            stage: Stage::After,
            place: "Microsoft Fabric workspace",
            text: "Assign the least-privileged role that can reach the target Lakehouse or Warehouse — typically a Viewer role or explicit SELECT rights.",
        },
    ],
    next_step: "Link the Microsoft Fabric account in Kindo with the values below, then run a low-risk read first, such as listing available records. Queries run with the service principal's permissions, so grant it only the read access you intend to expose.",
    notes: &[
        "Fabric authenticates as the app itself (a service principal using client credentials): no redirect URI, no user sign-in.",
        "No additional API permissions are required: the default User.Read that Entra adds to every new app registration is enough and needs no admin consent.",
        "Access is controlled inside Microsoft Fabric, not in Entra.",
    ],
    ..nango(
        "nango-microsoft-fabric",
        "Microsoft Fabric",
        "Query a Fabric Lakehouse or Warehouse SQL endpoint as a service principal through Kindo.",
        "Kindo - Microsoft Fabric",
        &[d(&G, "User.Read", false, Known("e1fe6dd8-ba31-4d61-89e7-88639da4683d"), "Sign in and read user profile")],
    )
};

#[rustfmt::skip]
pub static GRAPH_SECURITY: Integration = nango(
    "nango-microsoft-graph-security",
    "Microsoft Graph Security",
    "Alerts, incidents, risky users and hunting queries through Kindo.",
    "Kindo - Microsoft Graph Security",
    &[
        IDENTITYRISKYUSER_READ_ALL,
        IDENTITYRISKYUSER_READWRITE_ALL,
        d(&G, "SecurityAlert.Read.All", true, Known("bc257fb8-46b4-4b15-8713-01e91bfbe4ea"), "Read all security alerts"),
        SECURITYALERT_READWRITE_ALL,
        SECURITYEVENTS_READ_ALL,
        SECURITYINCIDENT_READ_ALL,
        SECURITYINCIDENT_READWRITE_ALL,
        THREATHUNTING_READ_ALL,
        USER_READ,
    ],
);

#[rustfmt::skip]
pub static INTUNE: Integration = nango(
    "nango-microsoft-intune",
    "Microsoft Intune",
    "Read Intune apps, configuration and devices, and run remote actions, through Kindo.",
    "Kindo - Microsoft Intune",
    &[
        d(&G, "DeviceManagementApps.Read.All", true, Known("4edf5f54-4666-44af-9de9-0144fb4b6e8c"), "Read Microsoft Intune apps"),
        d(&G, "DeviceManagementConfiguration.Read.All", true, Known("f1493658-876a-4c87-8fa7-edb559b3476a"), "Read Microsoft Intune device configuration and policies"),
        d(&G, "DeviceManagementManagedDevices.PrivilegedOperations.All", true, Known("3404d2bf-2b13-457e-a330-c24615765193"), "Perform user-impacting remote actions on Microsoft Intune devices"),
        d(&G, "DeviceManagementManagedDevices.Read.All", true, Known("314874da-47d6-4978-88dc-cf0d37f0bb82"), "Read Microsoft Intune devices"),
        USER_READ,
    ],
);

#[rustfmt::skip]
pub static OUTLOOK: Integration = Integration {
    notes: &[
        "This integration sends mail as the signed-in user; it does not need mail-reading permissions.",
        "Kindo integrations use delegated permissions only: the integration can never reach data the signed-in user cannot access, and is limited to what the app's permissions allow.",
    ],
    ..nango(
        "nango-microsoft-outlook",
        "Microsoft Outlook",
        "Send mail as the signed-in user and look up contacts through Kindo.",
        "Kindo - Microsoft Outlook",
        &[
            CONTACTS_READ,
            d(&G, "Mail.Send", false, Known("e383f46e-2787-4529-855e-0e479a3ffac0"), "Send mail as a user"),
            PEOPLE_READ,
            USER_READ,
        ],
    )
};

#[rustfmt::skip]
pub static OUTLOOK_CALENDAR: Integration = nango(
    "nango-microsoft-outlook-calendar",
    "Microsoft Outlook Calendar",
    "Read and manage the signed-in user's and shared calendars through Kindo.",
    "Kindo - Microsoft Outlook Calendar",
    &[
        d(&G, "Calendars.Read", false, Known("465a38f9-76ea-45b9-9f34-9e8b0d4b0b42"), "Read user calendars"),
        d(&G, "Calendars.Read.Shared", false, Known("2b9c4092-424d-4249-948d-b43879977640"), "Read user and shared calendars"),
        d(&G, "Calendars.ReadBasic", false, Known("662d75ba-a364-42ad-adee-f5f880ea4878"), "Read basic details of user calendars"),
        d(&G, "Calendars.ReadWrite", false, Known("1ec239c2-d7c9-4623-a91a-a9775856bb36"), "Have full access to user calendars"),
        d(&G, "Calendars.ReadWrite.Shared", false, Known("12466101-c9b8-439a-8589-dd09ee67e8e9"), "Read and write user and shared calendars"),
        CONTACTS_READ,
        PEOPLE_READ,
        USER_READ,
    ],
);

#[rustfmt::skip]
pub static PURVIEW_COMPLIANCE: Integration = nango(
    "nango-microsoft-purview-compliance",
    "Microsoft Purview Compliance",
    "Audit log queries, sensitivity labels, Purview policy checks and security alerts through Kindo.",
    "Kindo - Microsoft Purview Compliance",
    &[
        d(&G, "AuditLogsQuery.Read.All", true, Known("1d9e7ac3-0eca-442c-82f9-e92625af6e6d"), "Read audit logs data from all services"),
        d(&G, "Content.Process.User", true, Known("1d787a13-f750-4ad6-875a-fcbd2725596b"), "Process content for data security, governance and compliance"),
        FILES_READWRITE_ALL,
        d(&G, "InformationProtectionPolicy.Read", false, Known("4ad84827-5578-4e18-ad7a-86530b12f884"), "Read user sensitivity labels and label policies"),
        d(&G, "ProtectionScopes.Compute.User", true, Known("4fc04d16-a9fc-4c5e-8da4-79b6c33638a4"), "Compute Purview policies for an individual user"),
        SECURITYALERT_READWRITE_ALL,
        SECURITYINCIDENT_READWRITE_ALL,
        THREATHUNTING_READ_ALL,
        USER_READ,
        USER_READ_ALL,
    ],
);

#[rustfmt::skip]
pub static PURVIEW_DATA_GOVERNANCE: Integration = nango(
    "nango-microsoft-purview-data-governance",
    "Microsoft Purview Data Governance",
    "Microsoft Purview data map and catalog access as the signed-in user through Kindo.",
    "Kindo - Microsoft Purview Data Governance",
    &[
        USER_READ,
        d(&MICROSOFT_PURVIEW, "Purview.DelegatedAccess", false, Known("817468d0-81dd-4cb5-94ac-07ca133fbbf6"), "Purview Delegated API Access"),
    ],
);

#[rustfmt::skip]
pub static TEAMS: Integration = nango(
    "nango-microsoft-teams",
    "Microsoft Teams",
    "Read teams and channels, and read and send channel and chat messages, through Kindo.",
    "Kindo - Microsoft Teams",
    &[
        d(&G, "Channel.ReadBasic.All", false, Known("9d8982ae-4365-4f57-95e9-d6032a4c0b87"), "Read the names and descriptions of channels"),
        d(&G, "ChannelMessage.Read.All", true, Known("767156cb-16ae-4d10-8f8b-41b657c8c8c8"), "Read user channel messages"),
        d(&G, "ChannelMessage.ReadWrite", true, Known("5922d31f-46c8-4404-9eaf-2117e390a8a4"), "Read and write user channel messages"),
        d(&G, "ChannelMessage.Send", false, Known("ebf0f66e-9fb1-49e4-a278-222f76911cf4"), "Send channel messages"),
        d(&G, "Chat.ReadWrite", false, Known("9ff7295e-131b-4d94-90e1-69fde507ac11"), "Read and write user chat messages"),
        OFFLINE_ACCESS,
        d(&G, "Team.ReadBasic.All", false, Known("485be79e-c497-4b35-9400-0e3fa7f2a5d4"), "Read the names and descriptions of teams"),
        USER_READ,
    ],
);

#[rustfmt::skip]
pub static SHAREPOINT_ONLINE: Integration = nango(
    "nango-sharepoint-online",
    "SharePoint Online",
    "Search and edit SharePoint sites as the signed-in user through Kindo.",
    "Kindo - SharePoint Online",
    &[
        OFFLINE_ACCESS,
        d(&G, "Sites.Read.All", false, Known("205e70e5-aba6-4c52-a976-6d2d46c48043"), "Read items in all site collections"),
        SITES_READWRITE_ALL,
        USER_READ,
    ],
);
