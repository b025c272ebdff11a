#!/usr/bin/env bash
# A stand-in for the Azure CLI, for running generated scripts in tests: it answers the
# `az account` and `az rest` calls those scripts make, as a tenant where the resource APIs
# exist and the app does not yet (or, with FAKE_AZ_APP_EXISTS=1, where the app with the
# script's unique name exists), and records every call in $AZ_LOG: METHOD URL, then
# BODY <json> if there is one, then HEADER <name=value> for each header.
set -euo pipefail

if [ "$1" = account ]; then
  case "$*" in
    *tenantId*) echo "tttttttt-0000-0000-0000-000000000000" ;;
  esac
  exit 0
fi
[ "$1" = rest ] || { echo "fake az: unexpected command $*" >&2; exit 2; }
shift
method='' url='' body='' query=''
headers=()
while [ $# -gt 0 ]; do
  case "$1" in
    --method) method="$2"; shift 2 ;;
    --url) url="$2"; shift 2 ;;
    --body) body="$2"; shift 2 ;;
    --query) query="$2"; shift 2 ;;
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
