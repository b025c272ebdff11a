#!/usr/bin/env bash
# A stand-in for the Azure CLI, for running generated scripts in tests: it answers the
# `az account` and `az rest` calls those scripts make, as a tenant where the resource APIs
# exist and the app does not yet (or, with FAKE_AZ_APP_EXISTS=1, where the app with the
# script's unique name exists), and records every call in $AZ_LOG: METHOD URL, then
# BODY <json> if there is one, then HEADER <name=value> for each header, then
# RESOURCE <url> when --resource was given. `az cloud set --name X` is logged as CLOUD X and
# remembered beside the log: like az, `az rest` gets a token only for a --resource or for a
# URL on the active cloud's own Graph endpoint, and here the token must be for the URL's
# Graph (a national cloud's Graph refuses another cloud's token).
set -euo pipefail

cloud_file="$AZ_LOG.cloud"
if [ "$1" = cloud ]; then
  [ "$2 $3" = "set --name" ] || { echo "fake az: unexpected command $*" >&2; exit 2; }
  echo "CLOUD $4" >> "$AZ_LOG"
  printf '%s' "$4" > "$cloud_file"
  exit 0
fi
if [ "$1" = account ]; then
  case "$*" in
    *tenantId*) echo "tttttttt-0000-0000-0000-000000000000" ;;
  esac
  exit 0
fi
[ "$1" = rest ] || { echo "fake az: unexpected command $*" >&2; exit 2; }
shift
method='' url='' body='' query='' resource=''
headers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --method) method="$2"; shift 2 ;;
    --url) url="$2"; shift 2 ;;
    --body) body="$2"; shift 2 ;;
    --query) query="$2"; shift 2 ;;
    --resource) resource="$2"; shift 2 ;;
    # Like az, --headers takes every following word up to the next option.
    --headers)
      shift
      while [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; do headers+=("$1"); shift; done ;;
    -o) shift 2 ;;
    *) echo "fake az: unexpected argument $1" >&2; exit 2 ;;
  esac
done
echo "$method $url" >> "$AZ_LOG"
[ -z "$body" ] || printf 'BODY %s\n' "$(printf '%s' "$body" | tr -d '\n')" >> "$AZ_LOG"
# ${a[@]+...}: an empty array is "unbound" to set -u in bash before 4.4 (macOS ships 3.2).
for h in ${headers[@]+"${headers[@]}"}; do printf 'HEADER %s\n' "$h" >> "$AZ_LOG"; done
[ -z "$resource" ] || echo "RESOURCE $resource" >> "$AZ_LOG"

# The token's resource, as az finds it: --resource, else the active cloud's Graph endpoint
# when the URL starts with it (az cloud show --query endpoints.microsoftGraphResourceId).
active=$(cat "$cloud_file" 2>/dev/null || echo AzureCloud)
case "$active" in
  AzureCloud) cloud_graph=https://graph.microsoft.com ;;
  AzureUSGovernment) cloud_graph=https://graph.microsoft.us ;;
  AzureChinaCloud) cloud_graph=https://microsoftgraph.chinacloudapi.cn ;;
  *) echo "fake az: unknown cloud $active" >&2; exit 2 ;;
esac
if [ -z "$resource" ]; then
  case "$url" in
    "$cloud_graph"/*) resource=$cloud_graph ;;
    *) echo "Can't derive appropriate Azure AD resource from --url to acquire an access token." >&2; exit 1 ;;
  esac
fi
case "$url" in
  "${resource%/}"/*) ;;
  *) echo "fake az: a token for $resource sent to $url: 401 InvalidAuthenticationToken" >&2; exit 1 ;;
esac

# The app, as Graph returns it, or the --query of it the caller asked for.
app() {
  case "$query" in
    id) echo "app-obj-1" ;;
    appId) echo "app-id-1" ;;
    '') echo '{"id":"app-obj-1","appId":"app-id-1"}' ;;
    *) echo "fake az: no answer for --query $query on the app" >&2; exit 3 ;;
  esac
}

case "$method $url" in
  "GET "*"/servicePrincipals?\$filter=appId%20eq%20'app-id-1'"*) echo "" ;;          # the app's SP: not yet
  "GET "*"/servicePrincipals?\$filter=appId%20eq%20'"*) a=${url#*\'}; echo "sp-${a:0:8}" ;;
  "GET "*"/servicePrincipals/sp-"*"\$select="*)
    value=$(printf '%s' "$query" | sed -n "s/.*value=='\([^']*\)'.*/\1/p")
    echo "resolved-$value" ;;
  "PATCH "*"/applications(uniqueName='"*"')")
    # The upsert: 204 and no output when the app exists; else 201 with the new app, but
    # only with Prefer: create-if-missing (without it Graph answers 404).
    if [ "${FAKE_AZ_APP_EXISTS:-0}" = 1 ]; then exit 0; fi
    case " ${headers[*]+${headers[*]}} " in
      *" Prefer=create-if-missing "*) app ;;
      *) echo "ERROR: Not Found(Request_ResourceNotFound)" >&2; exit 1 ;;
    esac ;;
  "GET "*"/applications(uniqueName='"*"')?\$select="*) app ;;
  "POST "*"/addPassword") echo "secret-value-xyz" ;;
  "POST "*"/servicePrincipals") echo "client-sp-1" ;;
  "GET "*"/oauth2PermissionGrants?"*) echo "" ;;
  "POST "*"/oauth2PermissionGrants") echo "grant-1" ;;
  "GET "*"/appRoleAssignments") echo "" ;;
  "POST "*"/appRoleAssignedTo") echo "assignment-1" ;;
  *) echo "fake az: no answer for $method $url" >&2; exit 3 ;;
esac
