//! The integration catalog: every integration of the vendor guides in `shared/seeds/`, plus
//! this app's own registration and a custom one.
//!
//! Each vendor's entries live in their own file, transcribed from the guide in the guide's
//! order; `tests/guides.rs` checks each against a table transcribed separately.

pub mod apis;
pub mod assistant;
mod cloud_elements;
pub mod index;
mod kinde;
mod kindo_nango;
mod kodo;
mod novus;
pub mod types;

pub use types::*;

/// Every integration, grouped by vendor in display order.
pub static ALL: [&Integration; 20] = [
    &kindo_nango::DEFENDER,
    &kindo_nango::EDISCOVERY,
    &kindo_nango::ENTRA_ID,
    &kindo_nango::ENTRA_ID_GOVERNANCE,
    &kindo_nango::EXCEL_ONLINE,
    &kindo_nango::FABRIC,
    &kindo_nango::GRAPH_SECURITY,
    &kindo_nango::INTUNE,
    &kindo_nango::OUTLOOK,
    &kindo_nango::OUTLOOK_CALENDAR,
    &kindo_nango::PURVIEW_COMPLIANCE,
    &kindo_nango::PURVIEW_DATA_GOVERNANCE,
    &kindo_nango::TEAMS,
    &kindo_nango::SHAREPOINT_ONLINE,
    &kinde::MICROSOFT_365,
    &novus::CALENDARSYNC,
    &kodo::KODO_FOR_CLOUD,
    &cloud_elements::OFFICE_365,
    &assistant::ENTRA_SETUP_ASSISTANT,
    &assistant::CUSTOM,
];

/// The integration with this id.
pub fn by_id(id: &str) -> Option<&'static Integration> {
    ALL.iter().copied().find(|i| i.id == id)
}

/// All ids, in catalog order (for "valid ids are ..." messages).
pub fn ids() -> impl Iterator<Item = &'static str> {
    ALL.iter().map(|i| i.id)
}

/// A permission the catalog knows anywhere (an entry, or a Microsoft Graph equivalent of a
/// retired one), for filling in GUIDs and consent flags of custom permissions. IDs are
/// per (API, value, type): the same name as Delegated and as Application has two GUIDs.
/// Any match will do for the ID: `tests/permission_ids.rs` holds every entry of one
/// (API, value, type) to the same backed GUID, or all to "resolve from the tenant".
pub fn known_permission(
    api_app_id: &str,
    value: &str,
    kind: PermissionType,
) -> Option<&'static Permission> {
    let api_app_id = api_app_id.trim();
    ALL.iter()
        .flat_map(|i| i.permissions)
        .flat_map(|p| [Some(p), p.grant_instead].into_iter().flatten())
        .find(|p| {
            p.api.app_id.eq_ignore_ascii_case(api_app_id) && p.value == value && p.kind == kind
        })
}

// Constructors for the vendor files: a permission per line reads like the guide's table
// (the vendor files mark their permission tables `#[rustfmt::skip]` to keep it one line).

pub(crate) const fn delegated(
    api: &'static Api,
    value: &'static str,
    admin_consent_required: bool,
    id: PermissionId,
    description: &'static str,
) -> Permission {
    permission(
        PermissionType::Delegated,
        api,
        value,
        admin_consent_required,
        id,
        description,
    )
}

pub(crate) const fn application(
    api: &'static Api,
    value: &'static str,
    admin_consent_required: bool,
    id: PermissionId,
    description: &'static str,
) -> Permission {
    permission(
        PermissionType::Application,
        api,
        value,
        admin_consent_required,
        id,
        description,
    )
}

const fn permission(
    kind: PermissionType,
    api: &'static Api,
    value: &'static str,
    admin_consent_required: bool,
    id: PermissionId,
    description: &'static str,
) -> Permission {
    Permission {
        api,
        value,
        kind,
        admin_consent_required,
        consent_source: ConsentSource::Guide,
        id,
        description,
        grant_instead: None,
    }
}

/// For guides without an "Admin consent required" column: the flag then comes from
/// Microsoft (application permissions always need it).
pub(crate) const fn consent_from_microsoft(p: Permission) -> Permission {
    Permission {
        consent_source: ConsentSource::Microsoft,
        ..p
    }
}

/// Attaches the permission the default plan grants instead (an erratum).
pub(crate) const fn instead(p: Permission, replacement: &'static Permission) -> Permission {
    Permission {
        grant_instead: Some(replacement),
        ..p
    }
}
