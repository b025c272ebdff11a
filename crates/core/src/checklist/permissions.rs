//! API permissions: one step per API and permission type, as the portal's pane picks an
//! API, then a type, then the permissions; and a step for what the guide leaves out.

use crate::catalog::{apis, PermissionType, PortalTab};
use crate::least_privilege::Redundancy;
use crate::plan::{Origin, PlannedPermission};
use crate::text::Rich;

use super::{entra_step, Context, PermissionItem, Step};

pub(super) fn steps(cx: &Context, redundant: &[Redundancy]) -> Vec<Step> {
    let (integration, plan, app_path) = (cx.integration, cx.plan, &cx.app_path);
    let mut steps = Vec::new();
    let mut first_permission_step = true;
    // The portal already lists Graph User.Read on a new registration: when that is all the
    // plan needs (Fabric), the step is a check, not an addition.
    let only_default_user_read = matches!(&plan.permissions[..], [p] if is_graph_user_read(p));
    if only_default_user_read {
        let mut s = entra_step(
            &format!("api-permissions/{}/Delegated", apis::MICROSOFT_GRAPH.app_id),
            Some(format!("{app_path} > API permissions")),
            Rich::text("Select ")
                .ui("API permissions")
                .t(" and check that it lists Microsoft Graph ")
                .code("User.Read")
                .t(" (Delegated), which Entra adds to every new registration. Add nothing else."),
        );
        s.permissions = vec![permission_item(&plan.permissions[0], &[])];
        steps.push(s);
    }
    for group in plan.by_api().iter().filter(|_| !only_default_user_read) {
        for kind in [PermissionType::Delegated, PermissionType::Application] {
            let perms: Vec<&PlannedPermission> = group.of_kind(kind).collect();
            let Some(first) = perms.first() else { continue };
            let mut text = Rich::text("Select ")
                .ui("API permissions")
                .t(" > ")
                .ui("Add a permission")
                .t(", then ");
            text = match first.portal_tab() {
                PortalTab::MicrosoftApis => text
                    .ui("Microsoft APIs")
                    .t(" > ")
                    .ui(first.search_as().to_owned()),
                PortalTab::ApisMyOrganizationUses => text
                    .ui("APIs my organization uses")
                    .t(", search for ")
                    .code(first.search_as().to_owned())
                    .t(" and select it"),
            };
            text = text
                .t(" > ")
                .ui(kind.portal_label())
                .t(". Tick these and select ")
                .ui("Add permissions")
                .t(":");
            let mut s = entra_step(
                &format!(
                    "api-permissions/{}/{}",
                    group.api_app_id.to_ascii_lowercase(),
                    kind.as_str()
                ),
                Some(format!("{app_path} > API permissions > Add a permission")),
                text,
            );
            if first.portal_tab() == PortalTab::ApisMyOrganizationUses {
                s.details.push(Rich::text(format!(
                    "If the search finds nothing, {} has no service principal in your tenant yet: create it with ",
                    group.api_name
                )).code(format!("az ad sp create --id {}", group.api_app_id)).t(", or use the Azure CLI export, which does."));
            }
            if first_permission_step {
                first_permission_step = false;
                // Only a complete list can say User.Read is not needed.
                if integration.permissions_complete
                    && !plan.permissions.iter().any(is_graph_user_read)
                {
                    s.details.push(Rich::text("The portal adds Microsoft Graph ").code("User.Read").t(" (Delegated) to every new registration; this integration does not list it, so you may remove it (").ui("...").t(" > ").ui("Remove permission").t(")."));
                }
            }
            s.permissions = perms
                .iter()
                .map(|p| permission_item(p, redundant))
                .collect();
            steps.push(s);
        }
    }
    if !integration.permissions_complete {
        let mut s = entra_step(
            "add-missing-permissions",
            Some(format!("{app_path} > API permissions > Add a permission")),
            if integration.custom {
                Rich::text("Add each permission your vendor requires: ")
                    .ui("API permissions")
                    .t(" > ")
                    .ui("Add a permission")
                    .t(", the API, then ")
                    .ui("Delegated permissions")
                    .t(" or ")
                    .ui("Application permissions")
                    .t(".")
            } else {
                Rich::text("Add the permissions the guide leaves out, as the vendor lists them: ")
                    .ui("API permissions")
                    .t(" > ")
                    .ui("Add a permission")
                    .t(".")
            },
        );
        s.details.push(Rich::text(
            "Add them to the plan as custom permissions too, so the exports include them.",
        ));
        steps.push(s);
    }
    steps
}

/// Microsoft Graph's delegated `User.Read`, which the portal adds to every new registration.
fn is_graph_user_read(p: &PlannedPermission) -> bool {
    p.value == "User.Read"
        && p.kind == PermissionType::Delegated
        && p.api_app_id == apis::MICROSOFT_GRAPH.app_id
}

/// What leaving out a permission that a broader one covers would do, so the admin can
/// weigh it: the broader one gives the same access, but a vendor that asks for this one by
/// name then meets a consent prompt.
fn covered_note(p: &PlannedPermission, covered_by: &str) -> String {
    match p.kind {
        PermissionType::Delegated => format!(
            "Covered by {covered_by}. If you leave it out and the vendor's sign-in asks for {} by name, Microsoft asks for consent to it at that sign-in{}",
            p.value,
            if p.admin_consent_required {
                ", and users who are not admins cannot give it: they see \"Need admin approval\" until an admin grants it"
            } else {
                ""
            }
        ),
        // App roles are asked for all at once (`/.default`), never one by name.
        PermissionType::Application => format!(
            "Covered by {covered_by}. If you leave it out, the app still gets the same access through {covered_by}"
        ),
    }
}

fn permission_item(p: &PlannedPermission, redundant: &[Redundancy]) -> PermissionItem {
    let mut notes: Vec<String> = Vec::new();
    match &p.origin {
        Origin::ReplacesRetired { api_name, value } => {
            notes.push(format!("Replaces {value} of {api_name}, which is retired"))
        }
        Origin::TypeCorrected { guide_type } => notes.push(format!(
            "The guide says {}; a user sign-in needs {}",
            guide_type.as_str(),
            p.kind.as_str()
        )),
        Origin::Guide | Origin::Custom => {}
    }
    if let Some(r) = redundant.iter().find(|r| {
        r.redundant == p.value
            && r.kind == p.kind
            && r.api_app_id.eq_ignore_ascii_case(&p.api_app_id)
    }) {
        notes.push(covered_note(p, &r.covered_by));
    }
    if p.needs_resolution() {
        notes.push("GUID not published reliably; the exports look it up in your tenant".to_owned());
    }
    PermissionItem {
        key: p.key(),
        api_name: p.api_name.to_string(),
        value: p.value.to_string(),
        kind: p.kind,
        admin_consent_required: p.admin_consent_required,
        description: p.description.to_string(),
        id: p.id.as_ref().map(|i| i.to_string()),
        note: (!notes.is_empty()).then(|| notes.join("; ")),
    }
}
