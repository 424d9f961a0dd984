package dev.keyline.connection.vault;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

import dev.keyline.common.tx.AfterCommit;
import dev.keyline.common.tx.RollbackUndo;
import dev.keyline.common.vault.KvStores;
import dev.keyline.common.vault.SecretCodec;
import dev.keyline.common.vault.VaultReadinessCheck;
import dev.keyline.common.vault.VersionedSecrets;
import dev.keyline.connection.config.ConnectionServiceConfig;

/**
 * The connection-service's credentials in Vault: one KV v2 secret per connection holding the
 * private key (plain PKCS#8; older versions: as uploaded, with its passphrase). Rows point at the exact version they were written with.
 */
@ApplicationScoped
public class ConnectionSecrets extends VersionedSecrets<StoredCredential> {

    /** The "vault" readiness check, for the corner of Vault this service cannot work without. */
    @Produces
    @Readiness
    HealthCheck vaultReadiness() {
        return new VaultReadinessCheck(this);
    }

    private static final SecretCodec<StoredCredential> CODEC = SecretCodec.of(credential -> {
        Map<String, Object> data = new HashMap<>();
        data.put("private_key", credential.privateKeyPem());
        SecretCodec.putIfPresent(data, "passphrase", credential.passphrase());
        return data;
    }, d -> new StoredCredential((String) d.get("private_key"), (String) d.get("passphrase")));

    @Inject
    ConnectionSecrets(KvStores stores, RollbackUndo rollbackUndo, AfterCommit afterCommit, ConnectionServiceConfig config) {
        super(stores.open(config.vault().mount(), config.vault().prefix()), CODEC, rollbackUndo, afterCommit);
    }
}
