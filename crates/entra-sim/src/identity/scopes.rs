//! Scope strings as the identity platform reads them: OIDC scopes, bare Graph scopes,
//! `resource/scope` and `resource/.default` (graph-facts §1.2, §1.3, §1.7).

use crate::directory::application::Application;
use crate::directory::{sp_scope, Record, Stored, Tenant};
use crate::identity::errors::{self, AuthError};
use crate::ids::resources;

pub const OIDC: [&str; 4] = ["openid", "profile", "email", "offline_access"];
pub const GRAPH_IDENTIFIER: &str = "https://graph.microsoft.com";

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Requested {
    /// OIDC scopes, lower-cased.
    pub oidc: Vec<String>,
    /// (resource identifier as written, scope values) in order of first mention.
    pub resources: Vec<(String, Vec<String>)>,
}

impl Requested {
    pub fn has(&self, oidc_scope: &str) -> bool {
        self.oidc.iter().any(|s| s == oidc_scope)
    }
}

pub fn parse(scope: &str) -> Requested {
    let mut out = Requested::default();
    for token in scope.split_whitespace() {
        let lower = token.to_ascii_lowercase();
        if OIDC.contains(&lower.as_str()) {
            if !out.oidc.contains(&lower) {
                out.oidc.push(lower);
            }
            continue;
        }
        let (resource, value) = match token.rfind('/') {
            Some(i) if i > 0 => (token[..i].to_owned(), token[i + 1..].to_owned()),
            _ => (GRAPH_IDENTIFIER.to_owned(), token.to_owned()),
        };
        let key = crate::directory::normalize_resource(&resource);
        match out
            .resources
            .iter_mut()
            .find(|(r, _)| crate::directory::normalize_resource(r) == key)
        {
            Some((_, values)) => {
                if !values.iter().any(|v| v.eq_ignore_ascii_case(&value)) {
                    values.push(value);
                }
            }
            None => out.resources.push((resource, vec![value])),
        }
    }
    out
}

/// A requested resource found in the tenant, with canonical scope values to hold.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub sp: Record,
    pub values: Vec<String>,
}

impl Resolved {
    pub fn is_graph(&self) -> bool {
        self.sp
            .str("appId")
            .eq_ignore_ascii_case(resources::MICROSOFT_GRAPH)
    }
}

/// Resolves every requested resource and scope in the tenant. OIDC scopes count as
/// Microsoft Graph permissions (that is where Entra records their consent); `.default`
/// stands for the client's configured delegated permissions on that resource.
pub fn resolve(
    tenant: &Tenant,
    client: &Application,
    requested: &Requested,
    visible_before: i64,
) -> Result<Vec<Resolved>, AuthError> {
    let mut out: Vec<Resolved> = Vec::new();
    for (identifier, values) in &requested.resources {
        let sp = tenant
            .resource_sp(identifier, visible_before)
            .cloned()
            .ok_or_else(|| errors::resource_not_subscribed(identifier, &tenant.id))?;
        let mut canonical = Vec::new();
        for value in values {
            if value == ".default" {
                canonical.extend(configured_scopes(client, &sp));
                continue;
            }
            let scope = sp_scope(&sp, value).ok_or_else(|| {
                errors::unknown_scope(client.display_name(), value, sp.str("appId"))
            })?;
            canonical.push(
                scope
                    .get("value")
                    .and_then(|v| v.as_str())
                    .unwrap_or(value)
                    .to_owned(),
            );
        }
        canonical.dedup();
        out.push(Resolved {
            sp,
            values: canonical,
        });
    }
    if !requested.oidc.is_empty() {
        let graph_index = match out.iter().position(Resolved::is_graph) {
            Some(i) => i,
            None => {
                let sp = tenant
                    .sp_by_app_id(resources::MICROSOFT_GRAPH, visible_before)
                    .cloned()
                    .ok_or_else(|| errors::resource_not_subscribed(GRAPH_IDENTIFIER, &tenant.id))?;
                out.push(Resolved {
                    sp,
                    values: Vec::new(),
                });
                out.len() - 1
            }
        };
        for s in &requested.oidc {
            if !out[graph_index]
                .values
                .iter()
                .any(|v| v.eq_ignore_ascii_case(s))
            {
                out[graph_index].values.push(s.clone());
            }
        }
    }
    Ok(out)
}

/// Delegated scope values the client's `requiredResourceAccess` lists for this resource.
pub fn configured_scopes(client: &Application, sp: &Record) -> Vec<String> {
    let scopes = sp
        .body
        .get("oauth2PermissionScopes")
        .and_then(|v| v.as_array());
    configured(client, sp, "Scope")
        .into_iter()
        .filter_map(|id| {
            scopes?
                .iter()
                .find(|s| {
                    s.get("id")
                        .and_then(|v| v.as_str())
                        .is_some_and(|v| v.eq_ignore_ascii_case(&id))
                })
                .and_then(|s| s.get("value").and_then(|v| v.as_str()))
                .map(str::to_owned)
        })
        .collect()
}

/// App role ids the client's `requiredResourceAccess` lists for this resource.
pub fn configured_roles(client: &Application, sp: &Record) -> Vec<String> {
    configured(client, sp, "Role")
}

/// Permission ids of `kind` (`Scope` or `Role`) that `requiredResourceAccess` lists for
/// the resource.
fn configured(client: &Application, sp: &Record, kind: &str) -> Vec<String> {
    client
        .required_resource_access()
        .into_iter()
        .filter(|(resource, _)| resource.eq_ignore_ascii_case(sp.str("appId")))
        .flat_map(|(_, access)| access)
        .filter(|(_, k)| k == kind)
        .map(|(id, _)| id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_group_by_resource() {
        let r = parse("openid Profile offline_access User.Read https://graph.microsoft.com/Application.ReadWrite.All fc780465-2017-40d4-a0c5-307022471b92/Alert.Read api://x/y/.default");
        assert_eq!(r.oidc, vec!["openid", "profile", "offline_access"]);
        assert_eq!(
            r.resources[0],
            (
                GRAPH_IDENTIFIER.to_owned(),
                vec![
                    "User.Read".to_owned(),
                    "Application.ReadWrite.All".to_owned()
                ]
            )
        );
        assert_eq!(r.resources[1].0, "fc780465-2017-40d4-a0c5-307022471b92");
        assert_eq!(
            r.resources[2],
            ("api://x/y".to_owned(), vec![".default".to_owned()])
        );
    }
}
