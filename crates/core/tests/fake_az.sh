#!/usr/bin/env bash
# A stand-in for the Azure CLI, for running generated scripts in tests: it answers the
# `az account` and `az rest` calls those scripts make, as a tenant where the resource APIs
# exist and the app does not yet, and records every call in $AZ_LOG (one line each:
# METHOD URL, then BODY <json> if there is one).
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
while [ $# -gt 0 ]; do
  case "$1" in
    --method) method="$2"; shift 2 ;;
    --url) url="$2"; shift 2 ;;
    --body) body="$2"; shift 2 ;;
    --query) query="$2"; shift 2 ;;
    --headers|-o) shift 2 ;;
    *) echo "fake az: unexpected argument $1" >&2; exit 2 ;;
  esac
done
echo "$method $url" >> "$AZ_LOG"
[ -z "$body" ] || printf 'BODY %s\n' "$(printf '%s' "$body" | tr -d '\n')" >> "$AZ_LOG"

case "$method $url" in
  "GET "*"/servicePrincipals?\$filter=appId%20eq%20'app-id-1'"*) echo "" ;;          # the app's SP: not yet
  "GET "*"/servicePrincipals?\$filter=appId%20eq%20'"*) a=${url#*\'}; echo "sp-${a:0:8}" ;;
  "GET "*"/servicePrincipals/sp-"*"\$select="*)
    value=$(printf '%s' "$query" | sed -n "s/.*value=='\([^']*\)'.*/\1/p")
    echo "resolved-$value" ;;
  "GET "*"/applications?\$filter="*) echo "" ;;
  "POST "*"/applications") echo "app-obj-1" ;;
  "GET "*"/applications/app-obj-1?"*) echo "app-id-1" ;;
  "POST "*"/addPassword") echo "secret-value-xyz" ;;
  "POST "*"/servicePrincipals") echo "client-sp-1" ;;
  "GET "*"/oauth2PermissionGrants?"*) echo "" ;;
  "POST "*"/oauth2PermissionGrants") echo "grant-1" ;;
  "GET "*"/appRoleAssignments") echo "" ;;
  "POST "*"/appRoleAssignedTo") echo "assignment-1" ;;
  *) echo "fake az: no answer for $method $url" >&2; exit 3 ;;
esac
