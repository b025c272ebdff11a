//! `requiredResourceAccess.json`, as `az ad app create --required-resource-accesses` takes
//! it (the Novus guide's Azure CLI route): an array of `{ resourceAppId, resourceAccess:
//! [{ id, type: Scope|Role }] }`.

use super::{
    check, lookup_command, pretty, required_resource_access_body as body, unresolved_notes,
    ExportError, ExportFile,
};
use crate::plan::Plan;

pub fn required_resource_access(plan: &Plan) -> Result<ExportFile, ExportError> {
    check(plan)?;
    // JSON has no comments: a GUID we cannot vouch for becomes a value that az rejects,
    // which also says how to find the real one.
    let json = body(plan, |p| match &p.id {
        Some(id) => id.to_string(),
        None => format!("RESOLVE FROM TENANT: {}", lookup_command(p)),
    });
    let mut content = pretty(&json);
    content.push('\n');
    Ok(ExportFile {
        filename: "requiredResourceAccess.json".to_owned(),
        mime: "application/json".into(),
        content,
        notes: unresolved_notes(
            plan,
            "replace its \"RESOLVE FROM TENANT\" id with the output of",
        ),
    })
}
