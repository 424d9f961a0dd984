# Vault policy "connection-service": connection private keys, passphrases and passwords.
# Only this service's own KV v2 subtree (mount "secret", path keyline/connection-service/), nothing else.
# deploy/vault/setup.sh writes it and binds it to the ServiceAccount connection-service through the
# Kubernetes auth role of the same name. The default policy still lets the token renew itself.
#
# What each capability is for (quarkus-vault KV v2 client calls):
#   POST   secret/data/<path>       write a version (check-and-set)   -> create, update
#   GET    secret/data/<path>       read a version                    -> read
#   LIST   secret/metadata/<path>   list secrets (readiness ping)     -> list
#   GET    secret/metadata/<path>   versions of a secret (after a     -> read
#                                   failed check-and-set: an orphaned
#                                   version, or the secret missing)
#   DELETE secret/metadata/<path>   remove a secret with all versions -> delete
#   POST   secret/destroy/<path>    destroy one version (undo a write
#                                   whose database change rolled back) -> update
# Soft-deleting or undeleting versions (secret/delete, secret/undelete) is not granted.

path "secret/data/keyline/connection-service/*" {
  capabilities = ["create", "read", "update"]
}

path "secret/metadata/keyline/connection-service/*" {
  capabilities = ["read", "list", "delete"]
}

path "secret/destroy/keyline/connection-service/*" {
  capabilities = ["update"]
}
