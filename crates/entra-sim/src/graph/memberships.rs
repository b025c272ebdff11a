//! `/me/memberOf` and `/me/transitiveMemberOf`, with the `microsoft.graph.directoryRole`
//! and `microsoft.graph.group` casts.
//!
//! - memberOf is direct only (user-list-memberof: "Get groups, directory roles, and
//!   administrative units that the user is a direct member of. This operation isn't
//!   transitive."): the user's groups and directly held roles, never a role a group carries.
//! - transitiveMemberOf adds what comes through groups (user-list-transitivememberof:
//!   "through either direct or transitive membership"): roles held by the role-assignable
//!   groups the user belongs to. That a group-held role shows in the directoryRole cast is
//!   implied by the docs (directoryobject-getmemberobjects: "Only users and role-enabled
//!   groups can be members of directory roles") and UNCONFIRMED in words; the simulator
//!   shows it.
//! - PIM-eligible roles that are not activated appear in neither (pim-how-to-activate-role:
//!   activation "temporarily adds active assignment for the role").
//! - Least-privileged delegated permission: User.Read (both permission tables).

use serde_json::{json, Map, Value};

use super::auth::Caller;
use super::collection;
use super::me::{delegated_only, ROLE_DETAILS, USER_READ};
use super::odata::{matches, Query, Resource};
use super::response::{GraphRequest, GraphResult};
use crate::state::World;

/// Which memberships a read lists.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Cast {
    All,
    DirectoryRoles,
    Groups,
}

impl Cast {
    /// The cast segment after `memberOf`/`transitiveMemberOf`, if one is known.
    pub fn parse(segment: Option<&str>) -> Option<Cast> {
        match segment.map(|s| s.trim_start_matches("microsoft.graph.")) {
            None => Some(Cast::All),
            Some(s) if s.eq_ignore_ascii_case("directoryRole") => Some(Cast::DirectoryRoles),
            Some(s) if s.eq_ignore_ascii_case("group") => Some(Cast::Groups),
            Some(_) => None,
        }
    }

    fn entity_set(self) -> &'static str {
        match self {
            Cast::All => "directoryObjects",
            Cast::DirectoryRoles => "directoryRoles",
            Cast::Groups => "groups",
        }
    }
}

/// Scopes that reveal group details (beyond `@odata.type` and `id`).
const GROUP_DETAILS: [&str; 4] = [
    "Group.Read.All",
    "GroupMember.Read.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

const PROPERTIES: [&str; 9] = [
    "id",
    "displayName",
    "description",
    "roleTemplateId",
    "deletedDateTime",
    "isAssignableToRole",
    "securityEnabled",
    "mailEnabled",
    "groupTypes",
];

pub fn list(
    world: &mut World,
    caller: &Caller,
    req: &GraphRequest,
    transitive: bool,
    cast: Cast,
) -> GraphResult {
    let user_id = delegated_only(caller)?;
    let mut allowed = USER_READ.to_vec();
    allowed.extend(ROLE_DETAILS);
    allowed.extend(GROUP_DETAILS);
    caller.require_any(&allowed)?;
    let query = Query::parse(
        req.query.as_deref(),
        &Resource {
            type_name: "directoryObject",
            filterable: &["id", "displayName", "roleTemplateId"],
        },
        &PROPERTIES,
    )?;
    let tenant = caller.tenant(world);
    let mut items: Vec<Map<String, Value>> = Vec::new();
    if cast != Cast::DirectoryRoles {
        let detailed = caller.has_any(&GROUP_DETAILS);
        for group in tenant.user_groups(user_id) {
            let mut item = Map::new();
            item.insert("@odata.type".into(), json!("#microsoft.graph.group"));
            item.insert("id".into(), json!(group.id));
            if detailed {
                item.insert("deletedDateTime".into(), Value::Null);
                item.insert("description".into(), json!(group.description));
                item.insert("displayName".into(), json!(group.display_name));
                item.insert("groupTypes".into(), json!([]));
                item.insert(
                    "isAssignableToRole".into(),
                    json!(group.is_assignable_to_role),
                );
                item.insert("mailEnabled".into(), json!(false));
                item.insert("securityEnabled".into(), json!(true));
            }
            items.push(item);
        }
    }
    if cast != Cast::Groups {
        let detailed = caller.has_any(&ROLE_DETAILS);
        let templates = if transitive {
            tenant.user_roles(user_id)
        } else {
            tenant.direct_user_roles(user_id)
        };
        for template in templates {
            let Some(role_object) = tenant
                .directory_roles
                .iter()
                .find(|r| r.role_template_id == template)
            else {
                continue;
            };
            let mut item = Map::new();
            item.insert(
                "@odata.type".into(),
                json!("#microsoft.graph.directoryRole"),
            );
            item.insert("id".into(), json!(role_object.id));
            if detailed {
                let info = world.dir.role_template(&template);
                item.insert("deletedDateTime".into(), Value::Null);
                item.insert(
                    "description".into(),
                    json!(info.map(|i| i.description.as_str())),
                );
                item.insert(
                    "displayName".into(),
                    json!(info.map(|i| i.display_name.as_str())),
                );
                item.insert("roleTemplateId".into(), json!(template));
            }
            items.push(item);
        }
    }
    items.retain(|item| query.filter.as_ref().is_none_or(|f| matches(f, item)));
    Ok(collection(
        req,
        cast.entity_set(),
        &query,
        items.iter().collect(),
    ))
}
