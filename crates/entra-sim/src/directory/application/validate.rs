//! Validation of a client's property bag for POST and PATCH: unknown and read-only
//! properties, JSON kinds, lengths, sign-in audiences, credentials (only through
//! addPassword/addKey), redirect URIs and `requiredResourceAccess` (graph-facts §3.2).

use serde_json::{Map, Value};

use super::redirect::{check_redirect_uri, PLATFORMS};
use super::schema::{Kind, NESTED, READ_ONLY, SIGN_IN_AUDIENCES, WRITABLE};

/// A rejected property value: becomes a 400 `Request_BadRequest` with `details`.
#[derive(Debug, Clone, PartialEq)]
pub struct Invalid {
    pub message: String,
    pub target: Option<String>,
    pub reason: Option<String>,
}

impl Invalid {
    pub fn new(message: impl Into<String>) -> Invalid {
        Invalid {
            message: message.into(),
            target: None,
            reason: None,
        }
    }

    pub fn unknown_property(name: &str) -> Invalid {
        Invalid::new(format!(
            "Property '{name}' does not exist as a declared property or extension property."
        ))
    }

    pub fn read_only(name: &str) -> Invalid {
        Invalid::new(format!("Property '{name}' is read-only and cannot be set."))
    }

    pub fn value(target: &str, reason: impl Into<String>) -> Invalid {
        Invalid {
            message: format!(
                "Invalid value specified for property '{target}' of resource 'Application'."
            ),
            target: Some(target.to_owned()),
            reason: Some(reason.into()),
        }
    }
}

/// (delegated scope ids, app role ids) a resource exposes.
pub type Exposed = (Vec<String>, Vec<String>);

/// Checks a client-supplied property bag for POST (`creating`) or PATCH.
/// `permissions_of` resolves a resource appId to the (scope ids, role ids) it exposes, or
/// None when the tenant cannot tell (no service principal): those are accepted unchecked.
pub fn validate_properties(
    props: &Map<String, Value>,
    creating: bool,
    current_audience: &str,
    permissions_of: &dyn Fn(&str) -> Option<Exposed>,
) -> Result<(), Invalid> {
    for (key, value) in props {
        if key.starts_with("@odata.") {
            continue;
        }
        if READ_ONLY.contains(&key.as_str()) {
            return Err(Invalid::read_only(key));
        }
        let Some((_, kind)) = WRITABLE.iter().find(|(k, _)| k == key) else {
            return Err(Invalid::unknown_property(key));
        };
        let ok = match kind {
            Kind::Text => value.is_string(),
            Kind::TextOrNull => value.is_string() || value.is_null(),
            Kind::BoolOrNull => value.is_boolean() || value.is_null(),
            Kind::Strings => value
                .as_array()
                .is_some_and(|a| a.iter().all(Value::is_string)),
            Kind::Array => value.is_array(),
            Kind::ObjectOrNull => value.is_object() || value.is_null(),
        };
        if !ok {
            return Err(Invalid::value(key, "wrong JSON type"));
        }
        if let (Some((_, allowed)), Some(obj)) =
            (NESTED.iter().find(|(k, _)| k == key), value.as_object())
        {
            for nested in obj.keys() {
                if !allowed.contains(&nested.as_str()) && !nested.starts_with("@odata.") {
                    return Err(Invalid::unknown_property(nested));
                }
            }
        }
    }
    match props.get("displayName") {
        Some(Value::String(name)) if name.trim().is_empty() || name.chars().count() > 256 => {
            return Err(Invalid::value("displayName", "must be 1 to 256 characters"));
        }
        None if creating => {
            return Err(Invalid::value("displayName", "displayName is required"));
        }
        _ => {}
    }
    if let Some(Value::String(d)) = props.get("description") {
        if d.chars().count() > 1024 {
            return Err(Invalid::value("description", "at most 1024 characters"));
        }
    }
    let audience = match props.get("signInAudience") {
        Some(Value::String(a)) if !SIGN_IN_AUDIENCES.contains(&a.as_str()) => {
            return Err(Invalid::value(
                "signInAudience",
                format!("'{a}' is not a sign-in audience"),
            ));
        }
        Some(Value::String(a)) => a.as_str(),
        _ => current_audience,
    };
    for creds in ["passwordCredentials", "keyCredentials"] {
        if props
            .get(creds)
            .and_then(Value::as_array)
            .is_some_and(|a| !a.is_empty())
        {
            return Err(Invalid {
                message: format!(
                    "Property '{creds}' cannot be set when creating or updating an application; use addPassword or addKey."
                ),
                target: Some(creds.to_owned()),
                reason: None,
            });
        }
    }
    let mut total_uris = 0;
    for platform in PLATFORMS {
        if let Some(uris) = props.get(platform).and_then(|p| p.get("redirectUris")) {
            let uris = uris
                .as_array()
                .filter(|a| a.iter().all(Value::is_string))
                .ok_or_else(|| {
                    Invalid::value(
                        &format!("{platform}.redirectUris"),
                        "must be an array of strings",
                    )
                })?;
            for uri in uris.iter().filter_map(Value::as_str) {
                check_redirect_uri(uri, platform, audience).map_err(|reason| {
                    Invalid::value(&format!("{platform}.redirectUris"), reason)
                })?;
            }
            total_uris += uris.len();
        }
    }
    let max_uris = if audience.contains("Personal") {
        100
    } else {
        256
    };
    if total_uris > max_uris {
        return Err(Invalid::value(
            "redirectUris",
            format!("at most {max_uris} redirect URIs for {audience}"),
        ));
    }
    if let Some(rra) = props.get("requiredResourceAccess") {
        validate_required_resource_access(rra, permissions_of)?;
    }
    Ok(())
}

fn validate_required_resource_access(
    rra: &Value,
    permissions_of: &dyn Fn(&str) -> Option<Exposed>,
) -> Result<(), Invalid> {
    const TARGET: &str = "requiredResourceAccess";
    let entries = rra
        .as_array()
        .ok_or_else(|| Invalid::value(TARGET, "must be an array"))?;
    if entries.len() > 50 {
        return Err(Invalid::value(TARGET, "at most 50 resource APIs"));
    }
    let mut total = 0;
    for entry in entries {
        let obj = entry
            .as_object()
            .ok_or_else(|| Invalid::value(TARGET, "entries must be objects"))?;
        if let Some(k) = obj
            .keys()
            .find(|k| !["resourceAppId", "resourceAccess"].contains(&k.as_str()))
        {
            return Err(Invalid::unknown_property(k));
        }
        let resource = obj
            .get("resourceAppId")
            .and_then(Value::as_str)
            .filter(|r| uuid::Uuid::parse_str(r).is_ok())
            .ok_or_else(|| Invalid::value(TARGET, "resourceAppId must be a GUID"))?;
        let access = obj
            .get("resourceAccess")
            .and_then(Value::as_array)
            .ok_or_else(|| Invalid::value(TARGET, "resourceAccess must be an array"))?;
        total += access.len();
        let known = permissions_of(resource);
        for item in access {
            let id = item.get("id").and_then(Value::as_str).unwrap_or("");
            let kind = item.get("type").and_then(Value::as_str).unwrap_or("");
            if uuid::Uuid::parse_str(id).is_err() {
                return Err(Invalid::value(
                    TARGET,
                    format!("resourceAccess id '{id}' is not a GUID"),
                ));
            }
            if let Some(extra) = item
                .as_object()
                .and_then(|o| o.keys().find(|k| !["id", "type"].contains(&k.as_str())))
            {
                return Err(Invalid::unknown_property(extra));
            }
            let exposed = match (kind, &known) {
                ("Scope", Some((scopes, _))) => scopes.iter().any(|s| s.eq_ignore_ascii_case(id)),
                ("Role", Some((_, roles))) => roles.iter().any(|r| r.eq_ignore_ascii_case(id)),
                ("Scope" | "Role", None) => true,
                _ => {
                    return Err(Invalid::value(
                        TARGET,
                        format!("type '{kind}' must be Scope or Role"),
                    ))
                }
            };
            if !exposed {
                return Err(Invalid {
                    message: format!("Invalid value specified for property '{TARGET}' of resource 'Application'."),
                    target: Some(TARGET.to_owned()),
                    reason: Some(format!(
                        "Resource '{resource}' does not expose a permission of type '{kind}' with id '{id}'."
                    )),
                });
            }
        }
    }
    if total > 400 {
        return Err(Invalid::value(TARGET, "at most 400 permissions"));
    }
    Ok(())
}
