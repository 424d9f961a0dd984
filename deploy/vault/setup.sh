#!/usr/bin/env bash
# Prepares a real Vault for keyline with the vault CLI. Idempotent: run it again after adding a
# service or changing a policy.
#   1. a KV v2 secrets engine at secret/ (enabled, or upgraded to v2 if it is a v1 mount)
#   2. the Kubernetes auth method at auth/kubernetes/, configured to verify ServiceAccount tokens
#   3. one policy per service from policies/<service>.hcl (only that service's KV subtree)
#   4. one Kubernetes auth role per service, <service>, binding the ServiceAccount <service> in
#      the keyline namespace to the policy <service>
#
# Needs: VAULT_ADDR and a token allowed to do the above (VAULT_TOKEN, or `vault login` first).
# Settings (environment, defaults in brackets):
#   KEYLINE_NAMESPACE   [keyline]      namespace the services run in (dev overlay: keyline-dev)
#   KV_MOUNT            [secret]       KV v2 mount (certificate-service.vault.mount etc. must match)
#   KUBERNETES_HOST     [https://kubernetes.default.svc]  API server Vault sends TokenReviews to
#   KUBERNETES_CA_CERT  []             file with the API server's CA; empty when Vault runs in the
#                                      cluster (it then uses its own pod's CA and token)
#   TOKEN_REVIEWER_JWT  []             a long-lived token allowed to create TokenReviews; empty
#                                      when Vault runs in the cluster
#   TOKEN_TTL [1h]  TOKEN_MAX_TTL [4h] lifetime of the Vault tokens the services get (they log in
#                                      again by themselves)
#   ROLE_AUDIENCE       []             expected "aud" of the ServiceAccount tokens, if you set one
#   SERVICES            [every policies/*.hcl]
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)

: "${VAULT_ADDR:?set VAULT_ADDR to the Vault server, e.g. https://vault.example.com:8200}"
KEYLINE_NAMESPACE=${KEYLINE_NAMESPACE:-keyline}
KV_MOUNT=${KV_MOUNT:-secret}
KUBERNETES_HOST=${KUBERNETES_HOST:-https://kubernetes.default.svc}
KUBERNETES_CA_CERT=${KUBERNETES_CA_CERT:-}
TOKEN_REVIEWER_JWT=${TOKEN_REVIEWER_JWT:-}
TOKEN_TTL=${TOKEN_TTL:-1h}
TOKEN_MAX_TTL=${TOKEN_MAX_TTL:-4h}
ROLE_AUDIENCE=${ROLE_AUDIENCE:-}
if [ -n "${SERVICES:-}" ]; then
  read -r -a services <<<"$SERVICES"
else
  services=()
  for policy in "$HERE"/policies/*.hcl; do
    services+=("$(basename "$policy" .hcl)")
  done
fi

command -v vault >/dev/null || { echo "error: the vault CLI is not on PATH" >&2; exit 1; }

# 1. KV v2 at secret/
if vault secrets list -format=json | grep -q "\"$KV_MOUNT/\""; then
  echo "secrets engine $KV_MOUNT/ exists; making sure it is KV version 2"
  vault kv enable-versioning "$KV_MOUNT/"
else
  vault secrets enable -path="$KV_MOUNT" -version=2 kv
fi

# 2. Kubernetes auth
if ! vault auth list -format=json | grep -q '"kubernetes/"'; then
  vault auth enable kubernetes
fi
config=(kubernetes_host="$KUBERNETES_HOST")
[ -n "$KUBERNETES_CA_CERT" ] && config+=(kubernetes_ca_cert=@"$KUBERNETES_CA_CERT")
[ -n "$TOKEN_REVIEWER_JWT" ] && config+=(token_reviewer_jwt="$TOKEN_REVIEWER_JWT")
vault write auth/kubernetes/config "${config[@]}"

for service in "${services[@]}"; do
  policy_file="$HERE/policies/$service.hcl"
  [ -f "$policy_file" ] || { echo "error: no policy file $policy_file" >&2; exit 1; }
  # 3. The policy, rewritten for another KV mount if KV_MOUNT is not "secret".
  sed "s#^path \"secret/#path \"$KV_MOUNT/#" "$policy_file" | vault policy write "$service" -
  # 4. The role: this ServiceAccount in this namespace gets this policy, nothing else.
  role=(
    bound_service_account_names="$service"
    bound_service_account_namespaces="$KEYLINE_NAMESPACE"
    token_policies="$service"
    token_ttl="$TOKEN_TTL"
    token_max_ttl="$TOKEN_MAX_TTL"
  )
  [ -n "$ROLE_AUDIENCE" ] && role+=(audience="$ROLE_AUDIENCE")
  vault write "auth/kubernetes/role/$service" "${role[@]}"
  echo "role $service: ServiceAccount $KEYLINE_NAMESPACE/$service -> policy $service"
done
