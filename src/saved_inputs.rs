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
pub struct AddedPermission {
    pub api_app_id: String,
    pub api_name: String,
    pub value: String,
    pub application: bool,
    pub admin_consent_required: bool,
}

impl AddedPermission {
    pub fn planned(&self) -> PlannedPermission {
        let kind = if self.application {
            PermissionType::Application
        } else {
            PermissionType::Delegated
        };
        PlannedPermission::custom(
            &self.api_app_id,
            &self.api_name,
            &self.value,
            kind,
            self.admin_consent_required,
        )
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
