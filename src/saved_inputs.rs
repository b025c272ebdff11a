//! What the app remembers across reloads, per integration: the checklist's ticked steps
//! and permissions, and the names, URLs, IDs and settings typed so far (shared by the
//! checklist and the automated setup). The secret Value has no field here, so it cannot be
//! stored: it lives only in the page's memory.

use std::collections::{BTreeMap, BTreeSet};

use entra_setup_core::catalog::{Integration, PermissionType};
use entra_setup_core::plan::{Options, Plan, PlannedPermission};
use entra_setup_core::values::Values;
use serde::{Deserialize, Serialize};

use crate::browser::storage;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SavedInputs {
    /// Step and permission keys (core's stable checklist keys).
    pub ticked: BTreeSet<String>,
    /// `None` until the admin edits it: the catalog's suggestion applies.
    pub display_name: Option<String>,
    pub redirect_uri: String,
    pub client_id: String,
    pub tenant_id: String,
    pub secret_expires: String,
    pub extra: BTreeMap<String, String>,
    pub options: Options,
    /// Permissions the admin added (Custom, or a guide whose list is incomplete).
    pub added: Vec<AddedPermission>,
}

/// A permission the admin added, as typed; the catalog fills in what it knows on load.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(from = "StoredPermission")]
pub struct AddedPermission {
    pub api_app_id: String,
    pub api_name: String,
    pub value: String,
    pub kind: PermissionType,
    pub admin_consent_required: bool,
}

impl AddedPermission {
    pub fn planned(&self) -> PlannedPermission {
        PlannedPermission::custom(
            &self.api_app_id,
            &self.api_name,
            &self.value,
            self.kind,
            self.admin_consent_required,
        )
    }
}

/// An added permission as localStorage holds it. Saved before the type became
/// `kind`, a record says `"application": true|false`; both read as the same permission, so
/// an admin's additions survive the upgrade.
#[derive(Deserialize)]
struct StoredPermission {
    api_app_id: String,
    api_name: String,
    value: String,
    kind: Option<PermissionType>,
    #[serde(default)]
    application: bool,
    admin_consent_required: bool,
}

impl From<StoredPermission> for AddedPermission {
    fn from(stored: StoredPermission) -> AddedPermission {
        let legacy = if stored.application {
            PermissionType::Application
        } else {
            PermissionType::Delegated
        };
        AddedPermission {
            api_app_id: stored.api_app_id,
            api_name: stored.api_name,
            value: stored.value,
            kind: stored.kind.unwrap_or(legacy),
            admin_consent_required: stored.admin_consent_required,
        }
    }
}

fn key(integration_id: &str) -> String {
    format!("integration/{integration_id}")
}

impl SavedInputs {
    pub fn load(integration_id: &str) -> SavedInputs {
        storage::load(&key(integration_id)).unwrap_or_default()
    }

    pub fn save(&self, integration_id: &str) {
        storage::save(&key(integration_id), self);
    }

    pub fn clear(integration_id: &str) {
        storage::remove(&key(integration_id));
    }

    /// As the exports module reads them (`src/bin/exports.rs`): the JavaScript object
    /// whose JSON localStorage holds.
    pub fn to_js(&self) -> wasm_bindgen::JsValue {
        crate::browser::js_value::to_js(self)
    }

    pub fn from_js(
        value: wasm_bindgen::JsValue,
    ) -> Result<SavedInputs, crate::browser::js_value::Unreadable> {
        crate::browser::js_value::from_js(value)
    }

    /// The plan these inputs describe: the catalog's list with the chosen errata options,
    /// the admin's additions, name and redirect URI.
    pub fn plan(&self, integration: &'static Integration) -> Plan {
        let mut plan = Plan::new(integration, &self.options);
        if let Some(name) = &self.display_name {
            plan.display_name = name.clone();
        }
        let redirect = self.redirect_uri.trim();
        plan.redirect_uri = (!redirect.is_empty()).then(|| redirect.to_owned());
        for added in &self.added {
            plan.add_permission(added.planned());
        }
        plan
    }

    /// The values card's inputs, with the secret held in memory by the page.
    pub fn values(&self, secret_value: &str) -> Values {
        Values {
            client_id: self.client_id.trim().to_owned(),
            tenant_id: self.tenant_id.trim().to_owned(),
            secret_value: secret_value.trim().to_owned(),
            redirect_uri: self.redirect_uri.trim().to_owned(),
            secret_expires: self.secret_expires.trim().to_owned(),
            extra: self
                .extra
                .iter()
                .map(|(k, v)| (k.clone(), v.trim().to_owned()))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BEFORE: &str = r#"{"api_app_id":"00000003-0000-0000-c000-000000000000","api_name":"Microsoft Graph","value":"Sites.Read.All","application":true,"admin_consent_required":true}"#;

    #[test]
    fn a_permission_saved_before_kind_existed_keeps_its_type() {
        let old: AddedPermission = serde_json::from_str(BEFORE).unwrap();
        assert_eq!(old.kind, PermissionType::Application);
        let delegated: AddedPermission =
            serde_json::from_str(&BEFORE.replace("\"application\":true", "\"application\":false"))
                .unwrap();
        assert_eq!(delegated.kind, PermissionType::Delegated);
    }

    #[test]
    fn a_saved_permission_reads_back_as_saved() {
        let added = AddedPermission {
            kind: PermissionType::Application,
            ..serde_json::from_str(BEFORE).unwrap()
        };
        let json = serde_json::to_string(&added).unwrap();
        assert!(json.contains("\"kind\":\"Application\""), "{json}");
        assert_eq!(
            serde_json::from_str::<AddedPermission>(&json).unwrap(),
            added
        );
    }
}
