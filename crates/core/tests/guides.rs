//! One test per guide (and per Kindo integration): each catalog entry against a table
//! transcribed here from the guide text in shared/seeds/, not from the catalog.
//!
//! Table rows are the guide's own rows, pasted: `Value | Description | Admin consent |`
//! under an `[API name]` line (Kindo/Nango), or the guide's columns as they appear.

use entra_setup_core::catalog::{
    self, ConsentSource, Credential, ErratumKind, Flow, Integration, Permission, PermissionType,
    Platform, SignInAudience, Stage, ValueSource,
};
use entra_setup_core::plan::{Options, Origin, Plan, MAX_SECRET_DAYS};

#[derive(Debug, PartialEq)]
struct Row {
    api: String,
    value: String,
    kind: PermissionType,
    description: String,
    admin_consent: bool,
}

fn entry(id: &str) -> &'static Integration {
    catalog::by_id(id).unwrap_or_else(|| panic!("no catalog entry {id}"))
}

fn consent(cell: &str) -> bool {
    match cell.trim() {
        "Yes" => true,
        "No" | "-" => false,
        other => panic!("consent cell {other:?}"),
    }
}

/// Kindo's tables: `[API]` lines, then `Permission | Description | Admin consent required |`.
fn kindo_rows(table: &str) -> Vec<Row> {
    let mut api = String::new();
    let mut rows = Vec::new();
    for line in table.lines().map(str::trim).filter(|l| !l.is_empty()) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            api = name.to_owned();
            continue;
        }
        let cells: Vec<&str> = line.split('|').map(str::trim).collect();
        rows.push(Row {
            api: api.clone(),
            value: cells[0].to_owned(),
            // "Kindo integrations use delegated permissions only."
            kind: PermissionType::Delegated,
            description: cells[1].to_owned(),
            admin_consent: consent(cells[2]),
        });
    }
    rows
}

/// A row of the portal's "Configured permissions" table as the guides paste it:
/// `name<TAB>type<TAB>description<TAB>admin consent`.
fn portal_row(api: &str, line: &str) -> Row {
    let c: Vec<&str> = line.split('\t').collect();
    Row {
        api: api.to_owned(),
        value: c[0].to_owned(),
        kind: match c[1] {
            "Application" => PermissionType::Application,
            "Delegated" => PermissionType::Delegated,
            other => panic!("type cell {other:?}"),
        },
        description: c[2].to_owned(),
        admin_consent: consent(c[3]),
    }
}

fn catalog_rows(i: &Integration) -> Vec<Row> {
    i.permissions
        .iter()
        .map(|p: &Permission| Row {
            api: p.api.name.to_owned(),
            value: p.value.to_owned(),
            kind: p.kind,
            description: p.description.to_owned(),
            admin_consent: p.admin_consent_required,
        })
        .collect()
}

fn console_labels(i: &Integration) -> Vec<(&'static str, ValueSource, bool)> {
    i.console
        .fields
        .iter()
        .map(|f| (f.label, f.value, f.optional))
        .collect()
}

/// What every Kindo/Nango integration but Fabric shares (guide Steps 1 to 6).
fn check_kindo(id: &str, table: &str) {
    let i = entry(id);
    assert_eq!(i.vendor, "Kindo");
    assert_eq!(i.guide.file, "001_c0014d6804a8ac03.txt");
    assert_eq!(
        catalog_rows(i),
        kindo_rows(table),
        "{id}: permissions differ from the guide"
    );
    // "For most enterprise setups, choose Accounts in this organizational directory only."
    assert_eq!(i.sign_in_audience, SignInAudience::AzureADMyOrg);
    assert_eq!(i.flow, Flow::UserSignIn);
    // Step 5: "Add a platform and select Web"; "The callback URL usually ends with: /oauth/callback".
    assert_eq!(i.redirect.platform, Platform::Web);
    assert_eq!(i.redirect.expected_suffix, Some("/oauth/callback"));
    assert!(i.redirect.pattern.unwrap().ends_with("/oauth/callback"));
    assert!(matches!(i.credential, Credential::ClientSecret { .. }));
    // Step 4's table: Client ID, Client Secret, Tenant ID "if requested".
    assert_eq!(
        console_labels(i),
        vec![
            ("Client ID", ValueSource::ClientId, false),
            ("Client Secret", ValueSource::SecretValue, false),
            ("Tenant ID", ValueSource::TenantId, true),
        ]
    );
    // Step 7: "run a low-risk read action first".
    assert!(i.next_step.contains("low-risk read"), "{}", i.next_step);
    assert!(i.permissions_complete);
    assert!(i
        .permissions
        .iter()
        .all(|p| p.consent_source == ConsentSource::Guide));
}

#[test]
fn kindo_microsoft_defender() {
    // Guide section "Microsoft Defender".
    check_kindo(
        "nango-microsoft-defender",
        r#"
[Microsoft Graph]
SecurityActions.Read.All | Read your organization’s security actions | Yes |
SecurityActions.ReadWrite.All | Read and update your organization’s security actions | Yes |
SecurityEvents.Read.All | Read your organization’s security events | Yes |
SecurityEvents.ReadWrite.All | Read and update your organization’s security events | Yes |
User.Read | Sign in and read user profile | No |
[Microsoft Threat Protection]
AdvancedHunting.Read | Run advanced hunting queries | Yes |
Incident.Read | Read incidents | Yes |
[WindowsDefenderATP]
AdvancedQuery.Read | Run advanced queries | Yes |
Alert.Read | Read alerts | Yes |
Alert.ReadWrite | Read and write alerts | Yes |
File.Read.All | Read file profiles | Yes |
IntegrationConfiguration.ReadWrite | Read and write integration settings | Yes |
Ip.Read.All | Read IP address profiles | Yes |
Library.Manage | Manage live response library files | Yes |
Machine.CollectForensics | Collect forensics | Yes |
Machine.Isolate | Isolate machine | Yes |
Machine.LiveResponse | Run live response on a specific machine | Yes |
Machine.Offboard | Offboard machine | Yes |
Machine.Read | Read machine information | Yes |
Machine.ReadWrite | Read and write machine information | Yes |
Machine.RestrictExecution | Restrict code execution | Yes |
Machine.Scan | Scan machine | Yes |
Machine.StopAndQuarantine | Stop and quarantine file | Yes |
RemediationTasks.Read | Read remediation tasks | Yes |
Score.Read | Read Threat and Vulnerability Management score | Yes |
SecurityBaselinesAssessment.Read | Read security baselines assessment information | Yes |
SecurityConfiguration.Read | Read security configurations | Yes |
SecurityConfiguration.ReadWrite | Read and write security configurations | Yes |
SecurityRecommendation.Read | Read Threat and Vulnerability Management security recommendations | Yes |
Software.Read | Read Threat and Vulnerability Management software information | Yes |
Ti.ReadWrite | Read and write IOCs | Yes |
Url.Read.All | Read URL profiles | Yes |
User.Read.All | Read user profiles | Yes |
Vulnerability.Read | Read Threat and Vulnerability Management vulnerability information | Yes |
"#,
    );
}

#[test]
fn kindo_microsoft_ediscovery() {
    // Guide section "Microsoft eDiscovery".
    check_kindo(
        "nango-microsoft-ediscovery",
        r#"
[Microsoft Graph]
eDiscovery.Read.All | Read all eDiscovery objects | Yes |
eDiscovery.ReadWrite.All | Read and write all eDiscovery objects | Yes |
User.Read | Sign in and read user profile | No |
User.Read.All | Read all users’ full profiles | Yes |
"#,
    );
}

#[test]
fn kindo_microsoft_entra_id() {
    // Guide section "Microsoft Entra ID".
    check_kindo(
        "nango-microsoft-entra-id",
        r#"
[Microsoft Graph]
Application.Read.All | Read applications | Yes |
Application.ReadUpdate.All | Read and update all apps | Yes |
Application.ReadWrite.All | Read and write all applications | Yes |
AuditLog.Read.All | Read audit log data | Yes |
AuditLogsQuery-Entra.Read.All | Read audit logs data from Entra (Azure AD) workload | Yes |
Directory.Read.All | Read directory data | Yes |
Directory.ReadWrite.All | Read and write directory data | Yes |
Group.Read.All | Read all groups | Yes |
Group.ReadWrite.All | Read and write all groups | Yes |
IdentityRiskEvent.Read.All | Read identity risk event information | Yes |
IdentityRiskEvent.ReadWrite.All | Read and write risk event information | Yes |
IdentityRiskyUser.Read.All | Read identity risky user information | Yes |
IdentityRiskyUser.ReadWrite.All | Read and write risky user information | Yes |
offline_access | Maintain access to data you have given it access to | No |
Policy.Read.All | Read your organization’s policies | Yes |
Policy.Read.AuthenticationMethod | Read authentication method policies | Yes |
Policy.Read.ConditionalAccess | Read your organization’s conditional access policies | No |
Policy.Read.DeviceConfiguration | Read your organization’s device configuration policies | Yes |
Policy.Read.IdentityProtection | Read your organization’s identity protection policy | Yes |
Policy.Read.PermissionGrant | Read consent and permission grant policies | Yes |
Policy.ReadWrite.ConditionalAccess | Read and write your organization’s conditional access policies | Yes |
PrivilegedAccess.Read.AzureAD | Read privileged access to Azure AD | Yes |
PrivilegedAccess.Read.AzureADGroup | Read privileged access to Azure AD groups | Yes |
RoleManagement.Read.All | Read role management data for all RBAC providers | Yes |
RoleManagement.Read.Directory | Read directory RBAC settings | Yes |
RoleManagementAlert.Read.Directory | Read all alert data for your company’s directory | Yes |
RoleManagementPolicy.Read.AzureADGroup | Read all policies in PIM for Groups | Yes |
RoleManagementPolicy.Read.Directory | Read all policies for privileged role assignments of your company’s directory | Yes |
SecurityIdentitiesUserActions.Read.All | Read identity security available user actions | Yes |
SecurityIncident.Read.All | Read incidents | Yes |
User.Read | Sign in and read user profile | No |
User.Read.All | Read all users’ full profiles | Yes |
User.ReadBasic.All | Read all users’ basic profiles | No |
User.ReadWrite.All | Read and write all users’ full profiles | Yes |
UserAuthenticationMethod.Read | Read user authentication methods | Yes |
UserAuthenticationMethod.Read.All | Read all users’ authentication methods | Yes |
"#,
    );
}

#[test]
fn kindo_microsoft_entra_id_governance() {
    // Guide section "Microsoft Entra ID Governance".
    check_kindo(
        "nango-microsoft-entra-id-governance",
        r#"
[Microsoft Graph]
AccessReview.Read.All | Read all access reviews that user can access | Yes |
AccessReview.ReadWrite.All | Manage all access reviews that user can access | Yes |
Directory.Read.All | Read directory data | Yes |
Directory.ReadWrite.All | Read and write directory data | Yes |
EntitlementManagement.Read.All | Read all entitlement management resources | Yes |
LifecycleWorkflows-Reports.Read.All | Read all Lifecycle workflows reports | Yes |
LifecycleWorkflows-Workflow.Activate | Run workflows on demand in Lifecycle workflows | Yes |
LifecycleWorkflows-Workflow.Read.All | Read all workflows in Lifecycle workflows | Yes |
LifecycleWorkflows-Workflow.ReadBasic.All | List all workflows in Lifecycle workflows | Yes |
PrivilegedAssignmentSchedule.ReadWrite.AzureADGroup | Read, create, and delete assignment schedules for access to Azure AD groups | Yes |
PrivilegedEligibilitySchedule.ReadWrite.AzureADGroup | Read, create, and delete eligibility schedules for access to Azure AD groups | Yes |
RoleAssignmentSchedule.ReadWrite.Directory | Read, update, and delete all active role assignments for your company’s directory | Yes |
RoleEligibilitySchedule.ReadWrite.Directory | Read, update, and delete all eligible role assignments for your company’s directory | Yes |
RoleManagement.Read.Directory | Read directory RBAC settings | Yes |
User.Read | Sign in and read user profile | No |
"#,
    );
}

#[test]
fn kindo_microsoft_excel_online() {
    // Guide section "Microsoft Excel Online".
    check_kindo(
        "nango-microsoft-excel-online",
        r#"
[Microsoft Graph]
Files.ReadWrite | Have full access to user files | No |
Files.ReadWrite.All | Have full access to all files user can access | No |
Sites.ReadWrite.All | Edit or delete items in all site collections | No |
User.Read | Sign in and read user profile | No |
"#,
    );
}

#[test]
fn kindo_microsoft_graph_security() {
    // Guide section "Microsoft Graph Security".
    check_kindo(
        "nango-microsoft-graph-security",
        r#"
[Microsoft Graph]
IdentityRiskyUser.Read.All | Read identity risky user information | Yes |
IdentityRiskyUser.ReadWrite.All | Read and write risky user information | Yes |
SecurityAlert.Read.All | Read all security alerts | Yes |
SecurityAlert.ReadWrite.All | Read and write to all security alerts | Yes |
SecurityEvents.Read.All | Read your organization’s security events | Yes |
SecurityIncident.Read.All | Read incidents | Yes |
SecurityIncident.ReadWrite.All | Read and write to incidents | Yes |
ThreatHunting.Read.All | Run hunting queries | Yes |
User.Read | Sign in and read user profile | No |
"#,
    );
}

#[test]
fn kindo_microsoft_intune() {
    // Guide section "Microsoft Intune".
    check_kindo(
        "nango-microsoft-intune",
        r#"
[Microsoft Graph]
DeviceManagementApps.Read.All | Read Microsoft Intune apps | Yes |
DeviceManagementConfiguration.Read.All | Read Microsoft Intune device configuration and policies | Yes |
DeviceManagementManagedDevices.PrivilegedOperations.All | Perform user-impacting remote actions on Microsoft Intune devices | Yes |
DeviceManagementManagedDevices.Read.All | Read Microsoft Intune devices | Yes |
User.Read | Sign in and read user profile | No |
"#,
    );
}

#[test]
fn kindo_microsoft_outlook() {
    // Guide section "Microsoft Outlook".
    check_kindo(
        "nango-microsoft-outlook",
        r#"
[Microsoft Graph]
Contacts.Read | Read user contacts | No |
Mail.Send | Send mail as a user | No |
People.Read | Read users’ relevant people lists | No |
User.Read | Sign in and read user profile | No |
"#,
    );
}

#[test]
fn kindo_microsoft_outlook_calendar() {
    // Guide section "Microsoft Outlook Calendar".
    check_kindo(
        "nango-microsoft-outlook-calendar",
        r#"
[Microsoft Graph]
Calendars.Read | Read user calendars | No |
Calendars.Read.Shared | Read user and shared calendars | No |
Calendars.ReadBasic | Read basic details of user calendars | No |
Calendars.ReadWrite | Have full access to user calendars | No |
Calendars.ReadWrite.Shared | Read and write user and shared calendars | No |
Contacts.Read | Read user contacts | No |
People.Read | Read users’ relevant people lists | No |
User.Read | Sign in and read user profile | No |
"#,
    );
}

#[test]
fn kindo_microsoft_purview_compliance() {
    // Guide section "Microsoft Purview Compliance".
    check_kindo(
        "nango-microsoft-purview-compliance",
        r#"
[Microsoft Graph]
AuditLogsQuery.Read.All | Read audit logs data from all services | Yes |
Content.Process.User | Process content for data security, governance and compliance | Yes |
Files.ReadWrite.All | Have full access to all files user can access | No |
InformationProtectionPolicy.Read | Read user sensitivity labels and label policies | No |
ProtectionScopes.Compute.User | Compute Purview policies for an individual user | Yes |
SecurityAlert.ReadWrite.All | Read and write to all security alerts | Yes |
SecurityIncident.ReadWrite.All | Read and write to incidents | Yes |
ThreatHunting.Read.All | Run hunting queries | Yes |
User.Read | Sign in and read user profile | No |
User.Read.All | Read all users’ full profiles | Yes |
"#,
    );
}

#[test]
fn kindo_microsoft_purview_data_governance() {
    // Guide section "Microsoft Purview Data Governance".
    check_kindo(
        "nango-microsoft-purview-data-governance",
        r#"
[Microsoft Graph]
User.Read | Sign in and read user profile | No |
[Microsoft Purview]
Purview.DelegatedAccess | Purview Delegated API Access | No |
"#,
    );
}

#[test]
fn kindo_microsoft_teams() {
    // Guide section "Microsoft Teams".
    check_kindo(
        "nango-microsoft-teams",
        r#"
[Microsoft Graph]
Channel.ReadBasic.All | Read the names and descriptions of channels | No |
ChannelMessage.Read.All | Read user channel messages | Yes |
ChannelMessage.ReadWrite | Read and write user channel messages | Yes |
ChannelMessage.Send | Send channel messages | No |
Chat.ReadWrite | Read and write user chat messages | No |
offline_access | Maintain access to data you have given it access to | No |
Team.ReadBasic.All | Read the names and descriptions of teams | No |
User.Read | Sign in and read user profile | No |
"#,
    );
}

#[test]
fn kindo_sharepoint_online() {
    // Guide section "SharePoint Online".
    check_kindo(
        "nango-sharepoint-online",
        r#"
[Microsoft Graph]
offline_access | Maintain access to data you have given it access to | No |
Sites.Read.All | Read items in all site collections | No |
Sites.ReadWrite.All | Edit or delete items in all site collections | No |
User.Read | Sign in and read user profile | No |
"#,
    );
}

#[test]
fn kindo_microsoft_fabric() {
    let i = entry("nango-microsoft-fabric");
    // "No additional API permissions are required. The default User.Read permission that
    // Entra adds to every new app registration is enough, and it does not need admin consent."
    assert_eq!(
        catalog_rows(i),
        vec![Row {
            api: "Microsoft Graph".into(),
            value: "User.Read".into(),
            kind: PermissionType::Delegated,
            description: "Sign in and read user profile".into(),
            admin_consent: false,
        }]
    );
    // "a service principal using client credentials"; "No redirect URI or user sign-in flow".
    assert_eq!(i.flow, Flow::AppOnly);
    assert_eq!(i.redirect.platform, Platform::None);
    assert_eq!(i.redirect.pattern, None);
    // The connection form, in its order.
    assert_eq!(
        console_labels(i),
        vec![
            ("Tenant ID", ValueSource::TenantId, false),
            (
                "SQL Endpoint Host",
                ValueSource::Extra("sql_endpoint_host"),
                false
            ),
            (
                "Lakehouse Database",
                ValueSource::Extra("lakehouse_database"),
                false
            ),
            ("Client ID", ValueSource::ClientId, false),
            ("Client Secret", ValueSource::SecretValue, false),
        ]
    );
    assert_eq!(
        i.extra_field("sql_endpoint_host").unwrap().example,
        "foo.datawarehouse.fabric.microsoft.com,1433"
    );
    // "Configure the service principal in Microsoft Fabric", four steps, after Entra.
    let outside: Vec<&str> = i.outside_steps.iter().map(|s| s.text).collect();
    assert_eq!(outside.len(), 4);
    assert!(i.outside_steps.iter().all(|s| s.stage == Stage::After));
    assert!(outside[0].contains("Service principals can use Fabric APIs"));
    assert!(outside[1].contains("Manage access"));
    assert!(outside[2].contains("by name"));
    assert!(outside[3].contains("Viewer role or explicit SELECT rights"));
}

#[test]
fn guide_000_kinde_microsoft_365() {
    let i = entry("kinde-microsoft-365");
    // "select Microsoft Graph and then Application permissions ... select only
    // Calendars.Read and Calendars.ReadWrite" (no consent column: application permissions
    // always need admin consent).
    let guide = [
        (
            "Microsoft Graph",
            "Calendars.Read",
            PermissionType::Application,
        ),
        (
            "Microsoft Graph",
            "Calendars.ReadWrite",
            PermissionType::Application,
        ),
    ];
    let got: Vec<_> = i
        .permissions
        .iter()
        .map(|p| (p.api.name, p.value, p.kind))
        .collect();
    assert_eq!(got, guide);
    assert!(i
        .permissions
        .iter()
        .all(|p| p.admin_consent_required && p.consent_source == ConsentSource::Microsoft));
    // "Accounts in any organizational directory and personal Microsoft accounts"
    assert_eq!(
        i.sign_in_audience,
        SignInAudience::AzureADandPersonalMicrosoftAccount
    );
    // "select Web in the Select a platform dropdown"; "Provider to Kinde callback URL"
    assert_eq!(i.redirect.platform, Platform::Web);
    assert_eq!(
        i.redirect.pattern,
        Some("https://<your Kinde domain>/connected_apps/callback")
    );
    assert_eq!(i.redirect.expected_suffix, Some("/connected_apps/callback"));
    assert!(i.redirect.source.contains("Provider to Kinde callback URL"));
    // "the Client ID for the connected app in Kinde"; the secret's Value, not the Secret ID.
    assert_eq!(
        console_labels(i),
        vec![
            ("Client ID", ValueSource::ClientId, false),
            ("Client secret", ValueSource::SecretValue, false)
        ]
    );
    assert!(i.console.fields[1]
        .where_to_find
        .contains("not the Secret ID"));
    // "Before you begin": machine to machine app, end-user, Step 1 in Kinde.
    assert!(i.outside_steps.iter().all(|s| s.stage == Stage::Before));
    assert!(i
        .outside_steps
        .iter()
        .any(|s| s.text.contains("machine to machine")));
    assert!(i.next_step.contains("Step 3"));
    // The erratum: a user sign-in flow needs Delegated; the default plan grants that.
    assert!(i
        .errata
        .iter()
        .any(|e| e.kind == ErratumKind::PermissionType));
    let plan = Plan::new(i, &Options::default());
    let planned: Vec<_> = plan
        .permissions
        .iter()
        .map(|p| (&*p.value, p.kind, p.admin_consent_required))
        .collect();
    assert_eq!(
        planned,
        [
            ("Calendars.Read", PermissionType::Delegated, false),
            ("Calendars.ReadWrite", PermissionType::Delegated, false)
        ]
    );
    let literal = Plan::new(
        i,
        &Options {
            literal_permission_types: true,
            ..Options::default()
        },
    );
    assert!(literal
        .permissions
        .iter()
        .all(|p| p.kind == PermissionType::Application && p.origin == Origin::Guide));
}

#[test]
fn guide_002_novus_calendarsync() {
    let i = entry("novus-calendarsync");
    // The "Configured permissions" table: name, type, description, admin consent.
    let guide = "\
Calendars.ReadWrite\tApplication\tRead and write calendars in all mailboxes\tYes
User.Read\tDelegated\tSign in and read user profile\t-
User.Read.All\tApplication\tRead all users' full profiles\tYes";
    let rows: Vec<Row> = guide
        .lines()
        .map(|l| portal_row("Microsoft Graph", l))
        .collect();
    assert_eq!(catalog_rows(i), rows);
    // "enter these in the Novus Configuration UI along with the Client Secret"
    assert_eq!(
        console_labels(i),
        vec![
            ("Client ID", ValueSource::ClientId, false),
            ("Tenant ID", ValueSource::TenantId, false),
            ("Client Secret", ValueSource::SecretValue, false),
        ]
    );
    assert_eq!(i.redirect.platform, Platform::None);
    assert_eq!(i.flow, Flow::AppOnly);
    // The guide's dated CLI route and the failing admin-consent command are recorded.
    assert!(i
        .errata
        .iter()
        .any(|e| e.kind == ErratumKind::Dated && e.guide_says.contains("admin-consent")));
    assert!(i
        .errata
        .iter()
        .any(|e| e.kind == ErratumKind::Typo && e.guide_says.contains("Calendar.ReadWrite")));
}

#[test]
fn guide_003_kodo_for_cloud() {
    let i = entry("kodo-for-cloud");
    // The guide's table, verbatim: | API | Permission name | Permission type |
    let guide = r"
| Azure Active Directory Graph | User.Read.All | Delegated |
| Azure Active Directory Graph | Directory.Read.All | Application |
| Office 365 Exchange Online | full\_access\_as\_app | Application |
| Microsoft Graph | Calendars.ReadWrite | Application |
| Microsoft Graph | Contacts.ReadWrite | Application |
| Microsoft Graph | Files.ReadWrite.All | Application |
| Microsoft Graph | Mail.ReadWrite | Application |
| Microsoft Graph | Mail.Read | Application |
| Microsoft Graph | Sites.ReadWrite.All | Application |
| Microsoft Graph | User.Read | Delegated |
| Microsoft Graph | User.Read.all | Application |
| SharePoint | AllSites.FullControl | Delegated |
| SharePoint | Sites.FullControl.All | Application |
| SharePoint | User.Read.All | Application |
| SharePoint | User.ReadWrite.All | Application |";
    let rows: Vec<(String, String, String)> = guide
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let c: Vec<&str> = l.split('|').map(str::trim).collect();
            (c[1].to_owned(), c[2].replace("\\_", "_"), c[3].to_owned())
        })
        .collect();
    assert_eq!(i.permissions.len(), rows.len());
    for (p, (api, value, kind)) in i.permissions.iter().zip(&rows) {
        assert_eq!(p.api.name, api);
        // The guide's "User.Read.all" is User.Read.All: compare without case, and check
        // the catalog uses the real name.
        assert!(
            p.value.eq_ignore_ascii_case(value),
            "{} vs {value}",
            p.value
        );
        assert_eq!(p.kind.as_str(), kind, "{value}");
        assert_eq!(
            p.retired(),
            api == "Azure Active Directory Graph",
            "{value}"
        );
        // No consent column: application permissions always need it.
        assert_eq!(p.consent_source, ConsentSource::Microsoft);
        if p.kind == PermissionType::Application {
            assert!(p.admin_consent_required, "{value}");
        }
    }
    assert_eq!(i.permissions[10].value, "User.Read.All");
    // "application (client) ID, and directory (tenant) ID ... client secret"
    let labels: Vec<ValueSource> = i.console.fields.iter().map(|f| f.value).collect();
    assert_eq!(
        labels,
        [
            ValueSource::ClientId,
            ValueSource::TenantId,
            ValueSource::SecretValue
        ]
    );
    // "Use the default options for the remaining fields": single tenant, no redirect URI.
    assert_eq!(i.sign_in_audience, SignInAudience::AzureADMyOrg);
    assert_eq!(i.redirect.platform, Platform::None);
    assert!(i.errata.iter().any(|e| e.kind == ErratumKind::RetiredApi));
    // The default plan grants Microsoft Graph equivalents, never Azure AD Graph.
    let plan = Plan::new(i, &Options::default());
    assert!(plan
        .permissions
        .iter()
        .all(|p| p.api_app_id != "00000002-0000-0000-c000-000000000000"));
    let replaced: Vec<_> = plan
        .permissions
        .iter()
        .filter(|p| matches!(p.origin, Origin::ReplacesRetired { .. }))
        .map(|p| (&*p.api_name, &*p.value, p.kind))
        .collect();
    assert_eq!(
        replaced,
        [
            (
                "Microsoft Graph",
                "User.Read.All",
                PermissionType::Delegated
            ),
            (
                "Microsoft Graph",
                "Directory.Read.All",
                PermissionType::Application
            )
        ]
    );
}

#[test]
fn guide_004_cloud_elements_office_365() {
    let i = entry("cloud-elements-office-365");
    // The guide's API permissions screenshot, as far as it goes.
    let guide = "\
Azure Active Directory Graph (8)
Application.ReadWrite.All\tApplication\tRead and write all applications\tYes
Device.ReadWrite.All\tApplication\tRead and write devices\tYes
Directory.ReadWrite.All\tDelegated\tRead and write directory data\tYes
Directory.ReadWrite.All\tApplication\tRead and write directory data\tYes
Domain.ReadWrite.All\tApplication\tRead and write domains\tYes
Group.ReadWrite.All\tDelegated\tRead and write all groups\tYes
Member.Read.Hidden\tApplication\tRead all hidden memberships\tYes
User.ReadBasic.All\tDelegated\tRead all users' basic profiles\t-
Microsoft Graph (20)
Calendars.ReadWrite\tDelegated\tHave full access to user calendars\t-";
    let mut api = String::new();
    let mut rows = Vec::new();
    for line in guide.lines() {
        if let Some((name, _count)) = line.split_once(" (") {
            if !line.contains('\t') {
                api = name.to_owned();
                continue;
            }
        }
        rows.push(portal_row(&api, line));
    }
    assert_eq!(catalog_rows(i), rows);
    assert_eq!(i.permissions.iter().filter(|p| p.retired()).count(), 8);
    // "Microsoft Graph (20)" but one shown: the entry says it is incomplete.
    assert!(!i.permissions_complete);
    assert!(i
        .errata
        .iter()
        .any(|e| e.kind == ErratumKind::IncompleteList));
    // "select Never" for the secret: recorded, and not what we do by default.
    assert_eq!(
        i.credential,
        Credential::ClientSecret {
            guide_expiry: Some("Never")
        }
    );
    assert!(i.errata.iter().any(|e| e.kind == ErratumKind::SecretExpiry));
    assert_eq!(
        Plan::new(i, &Options::default()).secret_lifetime_days,
        Some(180)
    );
    assert_eq!(
        Plan::new(
            i,
            &Options {
                literal_secret_expiry: true,
                ..Options::default()
            }
        )
        .secret_lifetime_days,
        Some(MAX_SECRET_DAYS)
    );
    // "You will use this string as the API key"; "which you will use as the API secret".
    assert_eq!(
        console_labels(i),
        vec![
            ("API key", ValueSource::ClientId, false),
            ("API secret", ValueSource::SecretValue, false)
        ]
    );
}

#[test]
fn kindo_troubleshooting_table_is_the_guides() {
    // The guide's "Troubleshooting" table, pasted (two of its rows lost their leading "|").
    let guide = "\
| Microsoft says the redirect URI is invalid | Make sure the redirect URI in Entra exactly matches the callback URL shown in Nango, including https:// and /oauth/callback. |
| The consent screen does not show the expected permissions | Confirm the permissions were added to the same app registration whose client ID you entered in Nango. Reconnect after changing permissions. |
Kindo reports Unauthorized or cannot refresh the connection | Recreate the connection and confirm the integration includes offline_access when delegated refresh is required. |
Kindo reports Forbidden | The signed-in user may not have access to the Microsoft resource, admin consent may be missing, or the app may not have the required permission. |
| A write action fails but read actions work | The app may have read-only permissions. Add only the specific write permission required by the integration. |";
    let rows: Vec<(&str, &str)> = guide
        .lines()
        .map(|l| {
            let cells: Vec<&str> = l
                .trim_matches('|')
                .split(" | ")
                .map(|c| c.trim().trim_end_matches(" |"))
                .collect();
            (cells[0], cells[1])
        })
        .collect();
    for i in catalog::ALL
        .iter()
        .filter(|i| i.guide.file == "001_c0014d6804a8ac03.txt")
    {
        let ours: Vec<(&str, &str)> = i
            .guide
            .troubleshooting
            .iter()
            .map(|t| (t.problem, t.what_to_check))
            .collect();
        assert_eq!(ours, rows, "{}", i.id);
    }
}

#[test]
fn the_catalog_has_every_guide_integration_and_our_two() {
    let ids: Vec<&str> = catalog::ids().collect();
    assert_eq!(ids.len(), 20);
    assert_eq!(ids.iter().filter(|id| id.starts_with("nango-")).count(), 14);
    for id in [
        "kinde-microsoft-365",
        "novus-calendarsync",
        "kodo-for-cloud",
        "cloud-elements-office-365",
        "entra-setup-assistant",
        "custom",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    for id in &ids {
        assert!(
            id.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{id} is not kebab-case"
        );
    }
    let mut sorted = ids.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(sorted.len(), ids.len(), "duplicate ids");
}

#[test]
fn entra_setup_assistant_registers_a_spa_with_the_scopes_its_automated_mode_needs() {
    let i = entry("entra-setup-assistant");
    assert_eq!(i.redirect.platform, Platform::Spa);
    assert_eq!(i.credential, Credential::None);
    let values: Vec<&str> = i.permissions.iter().map(|p| p.value).collect();
    for scope in [
        "openid",
        "profile",
        "offline_access",
        "User.Read",
        "Application.ReadWrite.All",
        "AppRoleAssignment.ReadWrite.All",
        "DelegatedPermissionGrant.ReadWrite.All",
    ] {
        assert!(values.contains(&scope), "{scope}");
    }
    // The tenant health page reads with these alone (read-only, asked for on that page);
    // a setup run never asks for Application.Read.All, which Application.ReadWrite.All covers.
    for scope in ["Application.Read.All", "Directory.Read.All"] {
        assert!(values.contains(&scope), "{scope}");
    }
    // Reading the admin's roles: RoleManagement.Read.Directory or Directory.Read.All.
    assert!(
        values.contains(&"RoleManagement.Read.Directory") || values.contains(&"Directory.Read.All")
    );
    assert!(i
        .permissions
        .iter()
        .all(|p| p.kind == PermissionType::Delegated && p.api.name == "Microsoft Graph"));
    assert_eq!(Plan::new(i, &Options::default()).secret_lifetime_days, None);
}

#[test]
fn custom_starts_empty_and_takes_the_admins_permissions() {
    let i = entry("custom");
    assert!(i.custom && i.permissions.is_empty() && !i.permissions_complete);
}
