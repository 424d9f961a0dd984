package dev.keyline.connection.vault;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.vault.KvStore;
import dev.keyline.connection.config.ConnectionServiceConfig;
import io.quarkus.vault.client.VaultClient;

/**
 * The connection-service's credentials in Vault: one KV v2 secret per connection holding the
 * private key (plain PKCS#8; older versions: as uploaded, with its passphrase). Rows point at the exact version they were written with.
 */
@ApplicationScoped
public class ConnectionSecrets {

    @Inject
    VaultClient vault;

    @Inject
    ConnectionServiceConfig config;

    private KvStore store;

    @PostConstruct
    void init() {
        store = new KvStore(vault, config.vault().mount(), config.vault().prefix());
    }

    public String pathOf(UUID id) {
        return store.pathOf(id.toString());
    }

    /** Writes a new version; {@code expectedVersion} 0 means "must not exist yet". Returns the new version. */
    public int write(UUID id, StoredCredential credential, int expectedVersion) {
        Map<String, Object> data = new HashMap<>();
        data.put("private_key", credential.privateKeyPem());
        if (credential.passphrase() != null && !credential.passphrase().isEmpty()) {
            data.put("passphrase", credential.passphrase());
        }
        return store.write(id.toString(), data, expectedVersion);
    }

    public StoredCredential read(UUID id, int version) {
        Map<String, Object> d = store.read(id.toString(), version);
        return new StoredCredential((String) d.get("private_key"), (String) d.get("passphrase"));
    }

    public void deleteAll(UUID id) {
        store.deleteAll(id.toString());
    }

    public void destroyVersion(UUID id, int version) {
        store.destroyVersion(id.toString(), version);
    }

    public void ping() {
        store.ping();
    }
}
