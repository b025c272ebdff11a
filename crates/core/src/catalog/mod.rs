//! The integration catalog: every integration of the vendor guides in `shared/seeds/`, plus
//! this app's own registration and a custom one.
//!
//! Each vendor's entries live in their own file, transcribed from the guide in the guide's
//! order; `tests/guides.rs` checks each against a table transcribed separately.

pub mod apis;
mod assistant;
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

/// Vendors in catalog order, each once, for grouping the home page.
pub fn vendors() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for i in ALL.iter() {
        if !out.contains(&i.vendor) {
            out.push(i.vendor);
        }
    }
    out
}

/// Case-insensitive search over id, vendor, name, purpose and permission values; an empty
/// query matches everything.
pub fn search(query: &str) -> Vec<&'static Integration> {
    let words: Vec<String> = query
        .split_whitespace()
        .map(|w| w.to_ascii_lowercase())
        .collect();
    ALL.iter()
        .copied()
        .filter(|i| {
            words.iter().all(|w| {
                [i.id, i.vendor, i.name, i.purpose]
                    .iter()
                    .any(|field| field.to_ascii_lowercase().contains(w.as_str()))
                    || i.permissions
                        .iter()
                        .any(|p| p.value.to_ascii_lowercase().contains(w.as_str()))
            })
        })
        .collect()
}

/// A permission the catalog knows anywhere (an entry, or a Microsoft Graph equivalent of a
/// retired one), for filling in GUIDs and consent flags of custom permissions. IDs are
/// per (API, value, type): the same name as Delegated and as Application has two GUIDs.
pub fn known_permission(
    api_app_id: &str,
    value: &str,
    kind: PermissionType,
) -> Option<&'static Permission> {
    let matches = |p: &Permission| {
        p.api.app_id.eq_ignore_ascii_case(api_app_id.trim()) && p.value == value && p.kind == kind
    };
    // Prefer an entry whose ID is known: the same permission can appear once with an ID
    // and, in a guide that only names it, without.
    let mut fallback = None;
    for integration in ALL.iter() {
        for p in integration.permissions {
            for candidate in [Some(p), p.grant_instead].into_iter().flatten() {
                if matches(candidate) {
                    if candidate.id.known().is_some() {
                        return Some(candidate);
                    }
                    fallback.get_or_insert(candidate);
                }
            }
        }
    }
    fallback
}

// Constructors for the vendor files: a permission per line reads like the guide's table.

pub(crate) const fn delegated(
    api: &'static Api,
    value: &'static str,
    admin_consent_required: bool,
    id: PermissionId,
    description: &'static str,
) -> Permission {
    Permission {
        api,
        value,
        kind: PermissionType::Delegated,
        admin_consent_required,
        consent_source: ConsentSource::Guide,
        id,
        description,
        grant_instead: None,
    }
}

pub(crate) const fn application(
    api: &'static Api,
    value: &'static str,
    admin_consent_required: bool,
    id: PermissionId,
    description: &'static str,
) -> Permission {
    Permission {
        api,
        value,
        kind: PermissionType::Application,
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
