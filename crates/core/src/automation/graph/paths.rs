//! Where things are in Graph: the OData addresses and lookups automated mode calls, one
//! hop from the map. An application is addressed by its `uniqueName` and a service
//! principal by its `appId` (alternate keys), so a re-run finds what an earlier run made.

use super::Call;

const APP_SELECT: &str = "id,appId,displayName,uniqueName,signInAudience,web,spa,requiredResourceAccess,tags,notes,passwordCredentials";
const RESOURCE_SELECT: &str = "id,appId,displayName,appRoles,oauth2PermissionScopes";

/// `'` doubled, as OData string literals need.
pub(crate) fn odata_quote(s: &str) -> String {
    s.replace('\'', "''")
}

pub(crate) fn query_escape(s: &str) -> String {
    oauth2::url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

pub(crate) fn app_by_unique_name(unique_name: &str) -> String {
    format!(
        "/applications(uniqueName='{}')",
        query_escape(&odata_quote(unique_name))
    )
}

/// A service principal addressed by its `appId` (an alternate key, like `uniqueName`).
pub(crate) fn sp_by_app_id(app_id: &str) -> String {
    format!("/servicePrincipals(appId='{}')", odata_quote(app_id))
}

pub(crate) fn resource_lookup(api_app_id: &str) -> Call {
    Call::get(format!(
        "{}?$select={RESOURCE_SELECT}",
        sp_by_app_id(api_app_id)
    ))
}

/// A resource API's service principal by its object ID, with what names its permissions.
pub(crate) fn resource_by_id(object_id: &str) -> Call {
    Call::get(format!(
        "/servicePrincipals/{object_id}?$select={RESOURCE_SELECT}"
    ))
}

/// An application addressed by its Application (client) ID (an alternate key).
pub(crate) fn app_by_app_id(app_id: &str) -> String {
    format!(
        "/applications(appId='{}')",
        query_escape(&odata_quote(app_id))
    )
}

/// The registration an admin chose to adopt, with what a run compares.
pub(crate) fn adopt_lookup(app_id: &str) -> Call {
    Call::get(format!("{}?$select={APP_SELECT}", app_by_app_id(app_id)))
}

pub(crate) fn app_lookup(unique_name: &str) -> Call {
    Call::get(format!(
        "{}?$select={APP_SELECT}",
        app_by_unique_name(unique_name)
    ))
}
