//! PATCH semantics for directory objects.

use serde_json::{Map, Value};

/// Recursive merge for PATCH: complex (object) properties merge, everything else replaces.
pub fn merge_patch(target: &mut Map<String, Value>, patch: &Map<String, Value>) {
    for (key, value) in patch {
        if key.starts_with("@odata.") {
            continue;
        }
        match (target.get_mut(key), value) {
            (Some(Value::Object(existing)), Value::Object(update)) => merge_patch(existing, update),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}
