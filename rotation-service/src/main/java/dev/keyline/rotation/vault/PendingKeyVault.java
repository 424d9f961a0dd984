package dev.keyline.rotation.vault;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.vault.KvStore;
import dev.keyline.common.vault.SecretNotFoundException;
import dev.keyline.common.vault.VaultVersionConflictException;
import dev.keyline.rotation.PendingKey;
import dev.keyline.rotation.PendingKeys;
import dev.keyline.rotation.config.RotationServiceConfig;
import io.quarkus.vault.client.VaultClient;

/** A run's new key at {@code secret/keyline/rotation-service/pending/<run id>}: written once (CAS 0), deleted with all versions. */
@ApplicationScoped
public class PendingKeyVault implements PendingKeys {

    @Inject
    VaultClient vault;

    @Inject
    RotationServiceConfig config;

    private KvStore store;

    @PostConstruct
    void init() {
        store = new KvStore(vault, config.vault().mount(), config.vault().prefix());
    }

    @Override
    public Optional<PendingKey> find(UUID runId) {
        try {
            Map<String, Object> d = store.read(runId.toString(), 1);
            return Optional.of(new PendingKey((String) d.get("private_key"), (String) d.get("passphrase"),
                    (String) d.get("public_key"), (String) d.get("fingerprint")));
        } catch (SecretNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean create(UUID runId, PendingKey key) {
        Map<String, Object> data = new HashMap<>();
        data.put("private_key", key.privateKeyPem());
        data.put("passphrase", key.passphrase());
        data.put("public_key", key.publicKeyPem());
        data.put("fingerprint", key.fingerprint());
        try {
            store.write(runId.toString(), data, 0);
            return true;
        } catch (VaultVersionConflictException e) {
            return false;
        }
    }

    @Override
    public void delete(UUID runId) {
        store.deleteAll(runId.toString());
    }

    public void ping() {
        store.ping();
    }
}
