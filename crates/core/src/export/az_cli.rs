//! An Azure CLI (bash) script that makes the registration through Microsoft Graph with
//! `az rest`: app (upserted by its `uniqueName`, as automated mode does), secret, service
//! principal, and admin consent (oauth2PermissionGrants for delegated permissions,
//! appRoleAssignedTo for application permissions).
//!
//! Not `az ad app permission admin-consent`: it calls a retired portal endpoint and fails
//! (the Novus guide says so; Azure/azure-cli#29424). Graph sequence and error handling:
//! graph-facts.md §5, §6, §12.

use super::{
    add_password_body, application_body, check, constant_case, one_line, pretty, unresolved_notes,
    ExportError, ExportFile,
};
use crate::catalog::{self, PermissionType, ValueSource};
use crate::cloud::Cloud;
use crate::plan::{unique_name_for, Plan, PlannedPermission};

/// A bash single-quoted literal: the one form every value the script holds is written in
/// (inside single quotes nothing is special but `'`, which is closed, escaped and reopened).
fn sq(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// A shell variable named after `name` (`SP_MICROSOFT_GRAPH`), made unique among `taken`:
/// two API names that read the same in capitals (or have no letters at all) must not
/// share one, or one API's grants would go to the other's service principal.
fn shell_var(prefix: &str, name: &str, taken: &[String]) -> String {
    let base = format!("{prefix}{}", constant_case(name))
        .trim_end_matches('_')
        .to_owned();
    let mut var = base.clone();
    let mut n = 1;
    while taken.contains(&var) {
        n += 1;
        var = format!("{base}_{n}");
    }
    var
}

const HELPERS: &str = r#"die() { echo "error: $*" >&2; exit 1; }

# Entra replicates new objects for a while (404, NoBackingApplicationObject): retry with
# doubling waits, 1 + 2 + 4 + 8 + 16 seconds.
retry() {
  local delay=1 attempt
  for attempt in 1 2 3 4 5 6; do
    if "$@"; then return 0; fi
    [ "$attempt" = 6 ] && return 1
    echo "  not ready yet; retrying in ${delay}s" >&2
    sleep "$delay"
    delay=$((delay * 2))
  done
}

# Object ID of a resource API's service principal in this tenant, created if missing
# (a first-party API such as WindowsDefenderATP may never have been used here).
resource_sp() {
  local app_id="$1" id
  id=$(az rest --method GET --url "$GRAPH/servicePrincipals?\$filter=appId%20eq%20'$app_id'&\$select=id" --query 'value[0].id' -o tsv)
  if [ -z "$id" ]; then
    echo "  creating the service principal of API $app_id" >&2
    id=$(az rest --method POST --url "$GRAPH/servicePrincipals" --headers 'Content-Type=application/json' --body "{\"appId\":\"$app_id\"}" --query id -o tsv)
  fi
  printf '%s' "$id"
}

# GUID of a delegated scope (Scope) or app role (Role), by value, on a resource's
# service principal: for permissions whose GUIDs are not published reliably.
permission_id() {
  local sp_id="$1" type="$2" value="$3" collection id
  if [ "$type" = Scope ]; then collection=oauth2PermissionScopes; else collection=appRoles; fi
  id=$(az rest --method GET --url "$GRAPH/servicePrincipals/$sp_id?\$select=$collection" --query "$collection[?value=='$value'].id | [0]" -o tsv)
  [ -n "$id" ] || die "$value ($type) not found on service principal $sp_id"
  echo "  resolved $value ($type) to $id" >&2
  printf '%s' "$id"
}

# Tenant-wide consent to delegated scopes: add to the existing AllPrincipals grant for
# this resource (keeping what it has), or create one.
grant_delegated() {
  local resource_sp="$1" scope="$2" grant_id existing merged
  grant_id=$(az rest --method GET --url "$GRAPH/oauth2PermissionGrants?\$filter=clientId%20eq%20'$CLIENT_SP'" --query "value[?consentType=='AllPrincipals' && resourceId=='$resource_sp'].id | [0]" -o tsv)
  if [ -n "$grant_id" ]; then
    existing=$(az rest --method GET --url "$GRAPH/oauth2PermissionGrants/$grant_id" --query scope -o tsv)
    merged=$(printf '%s %s' "$existing" "$scope" | tr ' ' '\n' | sed '/^$/d' | sort -u | tr '\n' ' ' | sed 's/ $//')
    az rest --method PATCH --url "$GRAPH/oauth2PermissionGrants/$grant_id" --headers 'Content-Type=application/json' --body "{\"scope\":\"$merged\"}" >/dev/null
    echo "  delegated: updated grant $grant_id: $merged"
  else
    retry az rest --method POST --url "$GRAPH/oauth2PermissionGrants" --headers 'Content-Type=application/json' \
      --body "{\"clientId\":\"$CLIENT_SP\",\"consentType\":\"AllPrincipals\",\"resourceId\":\"$resource_sp\",\"scope\":\"$scope\"}" >/dev/null \
      || die "granting delegated permissions failed: this needs at least a Cloud Application Administrator"
    echo "  delegated: granted $scope"
  fi
}

# An application permission: assign the app role unless it is already assigned.
grant_app_role() {
  local resource_sp="$1" role_id="$2" value="$3" existing
  existing=$(az rest --method GET --url "$GRAPH/servicePrincipals/$CLIENT_SP/appRoleAssignments" --query "value[?resourceId=='$resource_sp' && appRoleId=='$role_id'].id | [0]" -o tsv)
  if [ -n "$existing" ]; then
    echo "  application: $value already granted"
    return
  fi
  retry az rest --method POST --url "$GRAPH/servicePrincipals/$resource_sp/appRoleAssignedTo" --headers 'Content-Type=application/json' \
    --body "{\"principalId\":\"$CLIENT_SP\",\"resourceId\":\"$resource_sp\",\"appRoleId\":\"$role_id\"}" >/dev/null \
    || die "granting $value failed: Microsoft Graph application permissions need a Privileged Role Administrator or Global Administrator"
  echo "  application: granted $value"
}
"#;

/// The script for a tenant in the global cloud (see [`az_cli_in`]).
pub fn az_cli(plan: &Plan) -> Result<ExportFile, ExportError> {
    az_cli_in(plan, Cloud::Global)
}

/// The script for a tenant in `cloud`. Outside the global cloud it first switches the
/// Azure CLI to that cloud (`az cloud set`), calls that cloud's Graph, and names Graph as
/// every `az rest` call's token resource: `az rest` finds the resource from `--url` only
/// for the active cloud's own endpoints, and the CLI's AzureUSGovernment knows only
/// `graph.microsoft.us`, not DoD's `dod-graph.microsoft.us` (see `crate::cloud`).
pub fn az_cli_in(plan: &Plan, cloud: Cloud) -> Result<ExportFile, ExportError> {
    check(plan)?;
    let integration = catalog::by_id(&plan.integration_id);
    let role = if plan.needs_privileged_role_admin() {
        "Privileged Role Administrator (or Global Administrator)"
    } else {
        "Cloud Application Administrator"
    };
    let mut s = String::new();
    s.push_str("#!/usr/bin/env bash\n");
    s.push_str(&format!(
        "# Entra Setup Assistant: Azure CLI script for \"{}\" ({}).\n",
        one_line(&plan.display_name),
        one_line(&plan.integration_id)
    ));
    s.push_str(
        "#\n# Creates or updates the app registration, adds a client secret, creates the service\n\
         # principal and grants admin consent, all through Microsoft Graph with `az rest`.\n\
         # It does not use `az ad app permission admin-consent`, which calls a retired portal\n\
         # endpoint and fails.\n#\n",
    );
    s.push_str(&format!(
        "# Run it signed in (az login) as a {role} of the target tenant.\n"
    ));
    if cloud != Cloud::Global {
        s.push_str(&format!(
            "# The tenant is in {}: the script switches the Azure CLI to its cloud\n\
             # ({}) and calls {}.\n",
            cloud.label(),
            cloud.az_cloud(),
            cloud.graph_resource()
        ));
    }
    s.push_str(
        "# Safe to re-run: it finds the app by its unique name (UNIQUE_NAME below, the key\n\
         # automated mode uses too; never the display name, which admins change) and the service\n\
         # principal by appId, and skips grants that exist. Each run adds a new client secret\n\
         # unless ADD_SECRET=0.\n",
    );
    let unresolved: Vec<&PlannedPermission> = plan.unresolved().collect();
    if !unresolved.is_empty() {
        s.push_str("#\n# GUIDs looked up in your tenant (not published reliably):\n");
        for p in &unresolved {
            s.push_str(&format!(
                "#   {} {} ({})\n",
                one_line(&p.api_name),
                one_line(&p.value),
                p.kind.as_str()
            ));
        }
    }
    s.push_str("set -euo pipefail\n\n");

    s.push_str(&format!("GRAPH={}\n", sq(&cloud.graph_base_url())));
    if cloud != Cloud::Global {
        s.push_str(&format!("GRAPH_RESOURCE={}\n", sq(&cloud.graph_resource())));
    }
    s.push_str(&format!("DISPLAY_NAME={}\n", sq(&plan.display_name)));
    // Integration ids are lower-case words and hyphens, so the key needs no escaping inside
    // the OData key literal of the URL.
    s.push_str(&format!(
        "UNIQUE_NAME={}\n",
        sq(&unique_name_for(&plan.integration_id))
    ));
    let redirect = plan.redirect_uri_or_pattern();
    if let Some(uri) = &redirect {
        s.push_str(&format!("DEFAULT_REDIRECT_URI={}\n", sq(uri)));
        s.push_str("REDIRECT_URI=\"${REDIRECT_URI:-$DEFAULT_REDIRECT_URI}\"\n");
    }
    if let Some(days) = plan.secret_lifetime_days {
        s.push_str(&format!("SECRET_DAYS=\"${{SECRET_DAYS:-{days}}}\"\n"));
        s.push_str("ADD_SECRET=\"${ADD_SECRET:-1}\"\n");
    }
    s.push('\n');
    s.push_str(HELPERS);
    s.push('\n');

    if cloud != Cloud::Global {
        s.push_str(&format!(
            "# A sign-in to another cloud cannot reach this tenant. This stays the CLI's cloud after\n\
             # the script ends (back with: az cloud set --name {}).\n\
             az cloud set --name {}\n",
            Cloud::Global.az_cloud(),
            cloud.az_cloud()
        ));
    }
    s.push_str("az account show >/dev/null 2>&1 || die 'not signed in: run az login first'\n");
    s.push_str("TENANT_ID=$(az account show --query tenantId -o tsv)\n");
    if redirect.is_some() {
        let source = integration.map_or("the redirect URI", |i| i.redirect.source);
        s.push_str(&format!(
            "case \"$REDIRECT_URI\" in\n  *'<'*|*'>'*) die {} ;;\n  *'\"'*|*'\\'*|*' '*|*[[:cntrl:]]*) die 'REDIRECT_URI contains a character a redirect URI cannot have' ;;\nesac\n",
            sq(&format!("set REDIRECT_URI to {source}, e.g. REDIRECT_URI='https://...' bash this-script.sh"))
        ));
    }
    s.push('\n');

    // 1. Resource service principals, and the GUIDs to resolve from them.
    let groups = plan.by_api();
    s.push_str("echo \"Finding the resource APIs in tenant $TENANT_ID\"\n");
    let mut sp_vars: Vec<String> = Vec::new();
    for g in &groups {
        let var = shell_var("SP_", g.api_name, &sp_vars);
        sp_vars.push(var);
    }
    for (g, var) in groups.iter().zip(&sp_vars) {
        s.push_str(&format!(
            "{var}=$(resource_sp {})  # {}\n",
            sq(g.api_app_id),
            one_line(g.api_name)
        ));
    }
    // (permission key, shell variable holding its resolved GUID). A Vec, not a map: a
    // handful of entries, and no hashing code in the WASM bundle.
    let mut id_expr: Vec<(String, String)> = Vec::new();
    let mut n = 0;
    for (g, var) in groups.iter().zip(&sp_vars) {
        for p in g.permissions.iter().filter(|p| p.needs_resolution()) {
            n += 1;
            let id_var = format!("ID_{n}");
            s.push_str(&format!(
                "{id_var}=$(permission_id \"${var}\" {} {})\n",
                p.kind.resource_access_type(),
                sq(&p.value)
            ));
            id_expr.push((p.key(), id_var));
        }
    }
    s.push('\n');

    // 2. The application object.
    let body = application_body(
        plan,
        redirect.as_ref().map(|_| "@@REDIRECT_URI@@"),
        |p| match &p.id {
            Some(id) => id.to_string(),
            None => format!("@@{}@@", resolved_var(&id_expr, p)),
        },
    );
    s.push_str("APP_BODY=$(cat <<'JSON'\n");
    s.push_str(&pretty(&body));
    s.push_str("\nJSON\n)\n");
    if redirect.is_some() {
        // A quoted replacement: bash 5.2 reads an unquoted `&` in it as the matched text.
        s.push_str("APP_BODY=${APP_BODY//@@REDIRECT_URI@@/\"$REDIRECT_URI\"}\n");
    }
    for (_, id_var) in &id_expr {
        s.push_str(&format!(
            "APP_BODY=${{APP_BODY//@@{id_var}@@/\"${id_var}\"}}\n"
        ));
    }
    // The upsert of graph-facts.md §3.3, as automated mode makes it: no lookup by display
    // name, which finds nothing (or another app) once an admin renames one.
    s.push_str(
        "# Create or update in one call, keyed by the unique name: Graph answers 201 with the new\n\
         # app when none has that name, or 204 with no body when it updated one (az then prints\n\
         # nothing).\n\
         echo \"Creating or updating the app registration \\\"$DISPLAY_NAME\\\" (unique name $UNIQUE_NAME)\"\n\
         CREATED_ID=$(az rest --method PATCH --url \"$GRAPH/applications(uniqueName='$UNIQUE_NAME')\" --headers 'Content-Type=application/json' 'Prefer=create-if-missing' --body \"$APP_BODY\" --query id -o tsv)\n\
         if [ -n \"$CREATED_ID\" ]; then echo '  created'; else echo '  updated the existing one'; fi\n\
         # Read both IDs the same way either way; a new app may not have replicated yet.\n\
         APP_OBJECT_ID=$(retry az rest --method GET --url \"$GRAPH/applications(uniqueName='$UNIQUE_NAME')?\\$select=id,appId\" --query id -o tsv)\n\
         APP_ID=$(retry az rest --method GET --url \"$GRAPH/applications(uniqueName='$UNIQUE_NAME')?\\$select=id,appId\" --query appId -o tsv)\n\n",
    );

    // 3. The client secret.
    if plan.secret_lifetime_days.is_some() {
        let secret_body = add_password_body(plan, "@@END_DATE@@");
        s.push_str("SECRET_VALUE=''\nEND_DATE=''\nif [ \"$ADD_SECRET\" = 1 ]; then\n");
        s.push_str("  # GNU date, then BSD/macOS date.\n");
        s.push_str("  END_DATE=$(date -u -d \"+${SECRET_DAYS} days\" +%Y-%m-%dT%H:%M:%SZ 2>/dev/null || date -u -v+\"${SECRET_DAYS}\"d +%Y-%m-%dT%H:%M:%SZ)\n");
        s.push_str("  SECRET_BODY=$(cat <<'JSON'\n");
        s.push_str(&pretty(&secret_body));
        s.push_str("\nJSON\n)\n");
        s.push_str("  SECRET_BODY=${SECRET_BODY//@@END_DATE@@/\"$END_DATE\"}\n");
        s.push_str("  echo \"Adding a client secret that expires $END_DATE\"\n");
        s.push_str("  SECRET_VALUE=$(retry az rest --method POST --url \"$GRAPH/applications/$APP_OBJECT_ID/addPassword\" --headers 'Content-Type=application/json' --body \"$SECRET_BODY\" --query secretText -o tsv)\nfi\n\n");
    }

    // 4. The app's service principal.
    s.push_str(
        "CLIENT_SP=$(az rest --method GET --url \"$GRAPH/servicePrincipals?\\$filter=appId%20eq%20'$APP_ID'&\\$select=id\" --query 'value[0].id' -o tsv)\n\
         if [ -z \"$CLIENT_SP\" ]; then\n  \
           echo 'Creating the service principal (enterprise application)'\n  \
           CLIENT_SP=$(retry az rest --method POST --url \"$GRAPH/servicePrincipals\" --headers 'Content-Type=application/json' --body \"{\\\"appId\\\":\\\"$APP_ID\\\"}\" --query id -o tsv)\n\
         fi\n\n",
    );

    // 5. Consent.
    if !plan.permissions.is_empty() {
        s.push_str("echo 'Granting admin consent'\n");
    }
    for (g, var) in groups.iter().zip(&sp_vars) {
        let scopes: Vec<&str> = g
            .of_kind(PermissionType::Delegated)
            .map(|p| &*p.value)
            .collect();
        if !scopes.is_empty() {
            s.push_str(&format!(
                "grant_delegated \"${var}\" {}\n",
                sq(&scopes.join(" "))
            ));
        }
        for p in g.of_kind(PermissionType::Application) {
            let role_id = match &p.id {
                Some(id) => sq(id),
                None => format!("\"${}\"", resolved_var(&id_expr, p)),
            };
            s.push_str(&format!(
                "grant_app_role \"${var}\" {role_id} {}\n",
                sq(&p.value)
            ));
        }
    }
    s.push('\n');

    // 6. The values, as the console names them.
    let console = integration.map_or("vendor's console", |i| i.console.name);
    s.push_str(&format!(
        "echo\necho {}\n",
        sq(&format!("Done. Values for the {console}:"))
    ));
    let mut printed_redirect = false;
    let fields = integration.map_or(&[][..], |i| i.console.fields);
    for f in fields {
        let var = match f.value {
            ValueSource::ClientId => "$APP_ID".to_owned(),
            ValueSource::TenantId => "$TENANT_ID".to_owned(),
            ValueSource::SecretValue if plan.secret_lifetime_days.is_some() => {
                "$SECRET_VALUE".to_owned()
            }
            ValueSource::SecretValue => continue,
            ValueSource::RedirectUri if redirect.is_some() => {
                printed_redirect = true;
                "$REDIRECT_URI".to_owned()
            }
            ValueSource::RedirectUri => continue,
            ValueSource::AssistantConfig => {
                // The file to deploy, with the new app's client ID in it.
                const MARK: &str = "APP_ID_HERE";
                let json = crate::catalog::assistant::config_json(MARK);
                let (before, after) = json.split_once(MARK).unwrap_or((&json, ""));
                s.push_str(&format!(
                    "printf '  %s: %s%s%s\\n' {} {} \"$APP_ID\" {}\n",
                    sq(f.label),
                    sq(before),
                    sq(after)
                ));
                continue;
            }
            ValueSource::Extra(key) => format!(
                "<your {}>",
                integration
                    .and_then(|i| i.extra_field(key))
                    .map_or(key, |e| e.label)
            ),
        };
        let label = if f.value == ValueSource::SecretValue {
            format!("{} (the secret's Value; shown only now)", f.label)
        } else {
            f.label.to_owned()
        };
        if var.starts_with('$') {
            s.push_str(&format!("printf '  %s: %s\\n' {} \"{var}\"\n", sq(&label)));
        } else {
            s.push_str(&format!(
                "printf '  %s: %s\\n' {} {}\n",
                sq(&label),
                sq(&var)
            ));
        }
    }
    if redirect.is_some() && !printed_redirect {
        s.push_str("printf '  %s: %s\\n' 'Redirect URI' \"$REDIRECT_URI\"\n");
    }
    if plan.secret_lifetime_days.is_some() {
        s.push_str("[ -z \"$END_DATE\" ] || printf '  %s: %s\\n' 'Secret expires' \"$END_DATE\"\n");
    }
    if cloud != Cloud::Global {
        // Every Graph call, in the helpers too, is `az rest --method ...`.
        s = s.replace(
            "az rest --method",
            "az rest --resource \"$GRAPH_RESOURCE\" --method",
        );
    }
    Ok(finish(plan, s))
}

/// The shell variable that holds a resolved permission's GUID.
fn resolved_var<'a>(id_expr: &'a [(String, String)], p: &PlannedPermission) -> &'a str {
    let key = p.key();
    id_expr
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, var)| var.as_str())
        .expect("every unresolved permission got a variable")
}

fn finish(plan: &Plan, content: String) -> ExportFile {
    ExportFile {
        filename: format!("{}-setup.sh", plan.integration_id),
        mime: "text/x-shellscript".into(),
        content,
        notes: unresolved_notes(plan, "the script looks it up by value, as"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_quotes_survive_shell_quoting() {
        assert_eq!(sq("it's"), r"'it'\''s'");
    }

    #[test]
    fn api_names_that_read_the_same_get_their_own_variables() {
        let mut taken = Vec::new();
        for name in ["Contoso API", "contoso-api", "Contoso API", "$(x)"] {
            let var = shell_var("SP_", name, &taken);
            taken.push(var);
        }
        assert_eq!(
            taken,
            [
                "SP_CONTOSO_API",
                "SP_CONTOSO_API_2",
                "SP_CONTOSO_API_3",
                "SP_X"
            ]
        );
    }
}
