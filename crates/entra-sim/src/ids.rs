//! Fixed identifiers of the default seed (`seed/default-seed.json`).
//!
//! Tests and `cargo xtask dev` address the simulator through these, so they never change.
//! The tenant, user and client GUIDs are simulator-generated; the permission and
//! first-party application ids in the seed are Microsoft's real ones.

/// "Contoso (demo)": the default tenant, with a user for each relevant directory role.
pub const DEMO_TENANT_ID: &str = "6f5d91f5-8efa-42e6-bd96-9e8fcee50ac3";
/// Verified (initial, default) domain of the demo tenant; usable as `{tenant}` in identity URLs.
pub const DEMO_TENANT_DOMAIN: &str = "contoso-demo.onmicrosoft.com";

/// "Fabrikam (no Defender)": a tenant with no WindowsDefenderATP service principal yet.
pub const NO_DEFENDER_TENANT_ID: &str = "73b9e3ff-f52c-4e90-ac33-e56c9141b49e";
pub const NO_DEFENDER_TENANT_DOMAIN: &str = "fabrikam-demo.onmicrosoft.com";

/// "Woodgrove (secret policy)": a tenant whose app management policy caps secret lifetime.
pub const SECRET_POLICY_TENANT_ID: &str = "685de197-1285-4d0c-9387-a1ed8e1113b0";
pub const SECRET_POLICY_TENANT_DOMAIN: &str = "woodgrove-demo.onmicrosoft.com";
/// Id of the Woodgrove app management policy quoted in `CredentialInvalidLifetimeAsPerAppPolicy`.
pub const SECRET_POLICY_ID: &str = "456bf834-251b-424f-8021-2f1a9bbe596b";
/// The Woodgrove policy's `maxLifetime` (`P180D`).
pub const SECRET_POLICY_MAX_LIFETIME_DAYS: i64 = 180;

/// "Northwind (hand-made apps)": registrations made without this assistant, for tenant
/// health, rotation and adoption: a Kinde app made in the portal (no `uniqueName`), an
/// assistant-managed Nango Teams app whose secret expired, an Outlook app with two Graph
/// application permissions beyond its entry, an old Kinde app still requesting Azure AD
/// Graph, and an HR portal unrelated to any integration.
pub const HAND_MADE_TENANT_ID: &str = "3c1f7e52-4b0d-4d8e-9a61-2f7c5e8b9d10";
pub const HAND_MADE_TENANT_DOMAIN: &str = "northwind-demo.onmicrosoft.com";

/// appId of the assistant's own SPA registration (home tenant: the demo tenant, multi-tenant).
pub const ASSISTANT_CLIENT_ID: &str = "748aa5a9-366f-466f-adb2-52238936e96e";
/// Object id of that application in the demo tenant.
pub const ASSISTANT_APPLICATION_OBJECT_ID: &str = "a4361dd5-7568-4460-a62a-dd403584a0dc";
/// Object id of its service principal in the demo tenant.
pub const ASSISTANT_SERVICE_PRINCIPAL_ID: &str = "12ea8bfd-9104-444b-99ee-0034e9b8efe6";

/// Redirect URIs registered on the assistant's `spa` platform in the default seed.
pub const DEFAULT_SPA_REDIRECT_URIS: [&str; 2] =
    ["http://127.0.0.1:8080/", "http://localhost:8080/"];

/// Demo users. The sign-in page shows each as a button containing the display name and
/// carrying `data-user="<upn>"`.
pub mod users {
    /// Global Administrator of the Northwind tenant ([`super::HAND_MADE_TENANT_ID`]).
    pub const HAND_MADE_ADMIN_UPN: &str = "nestor.wilke@northwind-demo.onmicrosoft.com";

    pub const GLOBAL_ADMIN_UPN: &str = "adele.vance@contoso-demo.onmicrosoft.com";
    pub const GLOBAL_ADMIN_NAME: &str = "Adele Vance";
    pub const GLOBAL_ADMIN_ID: &str = "a6f9ba3a-05da-4a3a-beb4-def2b842b85d";

    pub const PRIVILEGED_ROLE_ADMIN_UPN: &str = "pradeep.gupta@contoso-demo.onmicrosoft.com";
    pub const PRIVILEGED_ROLE_ADMIN_NAME: &str = "Pradeep Gupta";
    pub const PRIVILEGED_ROLE_ADMIN_ID: &str = "5feb6fa0-78f6-4cb1-86cd-db2c6b9e91a2";

    pub const CLOUD_APP_ADMIN_UPN: &str = "christie.cline@contoso-demo.onmicrosoft.com";
    pub const CLOUD_APP_ADMIN_NAME: &str = "Christie Cline";
    pub const CLOUD_APP_ADMIN_ID: &str = "473b095d-4725-4690-8aee-3deaa6415d8a";

    pub const ORDINARY_USER_UPN: &str = "lynne.robbins@contoso-demo.onmicrosoft.com";
    pub const ORDINARY_USER_NAME: &str = "Lynne Robbins";
    pub const ORDINARY_USER_ID: &str = "5c29a36f-0979-40be-b0ca-fff95a1ea8d2";

    /// Global Administrator only through the role-assignable group
    /// [`super::groups::TENANT_ADMINS_ID`]: `/me/memberOf` shows the group, not the role;
    /// `/me/transitiveMemberOf` shows both.
    pub const GROUP_GLOBAL_ADMIN_UPN: &str = "alex.wilber@contoso-demo.onmicrosoft.com";
    pub const GROUP_GLOBAL_ADMIN_NAME: &str = "Alex Wilber";
    pub const GROUP_GLOBAL_ADMIN_ID: &str = "314b28e8-43d1-4116-951c-540667ab8471";

    /// Eligible (PIM), not active, for Privileged Role Administrator; no active role.
    pub const ELIGIBLE_ADMIN_UPN: &str = "patti.fernandez@contoso-demo.onmicrosoft.com";
    pub const ELIGIBLE_ADMIN_NAME: &str = "Patti Fernandez";
    pub const ELIGIBLE_ADMIN_ID: &str = "324d5650-de55-4d17-882f-5a7ae057e735";

    /// The MSP case: a Contoso member (no role at home) who is a guest in Fabrikam and
    /// Cloud Application Administrator there. Signs in with this UPN everywhere; through
    /// Fabrikam's tenant-specific authority the tokens are Fabrikam's
    /// (`tid` = `NO_DEFENDER_TENANT_ID`, `oid` = [`GUEST_IN_FABRIKAM_ID`]).
    pub const GUEST_UPN: &str = "megan.bowen@contoso-demo.onmicrosoft.com";
    pub const GUEST_NAME: &str = "Megan Bowen";
    /// Her object in Contoso (home).
    pub const GUEST_HOME_ID: &str = "f7a329c5-22e8-4034-8dc6-d5a133b966ca";
    /// Her guest object in Fabrikam (`userType` Guest).
    pub const GUEST_IN_FABRIKAM_ID: &str = "0d41697d-2c42-466c-8d5b-05a6b002895f";
    /// Her `userPrincipalName` in Fabrikam.
    pub const GUEST_IN_FABRIKAM_UPN: &str =
        "megan.bowen_contoso-demo.onmicrosoft.com#EXT#@fabrikam-demo.onmicrosoft.com";

    /// Global Administrator of the no-Defender tenant.
    pub const NO_DEFENDER_GLOBAL_ADMIN_UPN: &str = "diego.siciliani@fabrikam-demo.onmicrosoft.com";
    /// Cloud Application Administrator of the no-Defender tenant.
    pub const NO_DEFENDER_CLOUD_APP_ADMIN_UPN: &str = "grady.archie@fabrikam-demo.onmicrosoft.com";
    /// Global Administrator of the secret-policy tenant.
    pub const SECRET_POLICY_GLOBAL_ADMIN_UPN: &str = "isaiah.langer@woodgrove-demo.onmicrosoft.com";
    /// Cloud Application Administrator of the secret-policy tenant.
    pub const SECRET_POLICY_CLOUD_APP_ADMIN_UPN: &str =
        "johanna.lorenz@woodgrove-demo.onmicrosoft.com";
}

/// Groups of the default seed.
pub mod groups {
    /// "Contoso Tenant Administrators": role-assignable, holds Global Administrator; member:
    /// [`super::users::GROUP_GLOBAL_ADMIN_ID`].
    pub const TENANT_ADMINS_ID: &str = "b10c05a2-a9ee-4af1-a6e8-8386f57b899e";
}

/// Directory role template ids (graph-facts §2.3).
pub mod roles {
    pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";
    pub const PRIVILEGED_ROLE_ADMINISTRATOR: &str = "e8611ab8-c189-46e8-94e1-60213ab1f814";
    pub const APPLICATION_ADMINISTRATOR: &str = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
    pub const CLOUD_APPLICATION_ADMINISTRATOR: &str = "158c047a-c907-4556-b7ef-446551a6b5f7";
    pub const AI_ADMINISTRATOR: &str = "d2562ede-74db-457e-a7b6-544e236ebb61";
}

/// appIds of the first-party resource applications (graph-facts §10, other-api-permission-ids.tsv).
pub mod resources {
    pub const MICROSOFT_GRAPH: &str = "00000003-0000-0000-c000-000000000000";
    pub const EXCHANGE_ONLINE: &str = "00000002-0000-0ff1-ce00-000000000000";
    pub const SHAREPOINT_ONLINE: &str = "00000003-0000-0ff1-ce00-000000000000";
    pub const WINDOWS_DEFENDER_ATP: &str = "fc780465-2017-40d4-a0c5-307022471b92";
    pub const THREAT_PROTECTION: &str = "8ee8fdad-f234-4243-8f3b-15c294843740";
    pub const PURVIEW: &str = "73c2949e-da2d-457a-9607-fcc665198967";
}
