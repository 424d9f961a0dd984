package dev.keyline.rotation.vault;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.tx.AfterCommit;
import dev.keyline.common.tx.RollbackUndo;
import dev.keyline.common.vault.KvStores;
import dev.keyline.common.vault.SecretCodec;
import dev.keyline.common.vault.SecretNotFoundException;
import dev.keyline.common.vault.VaultVersionConflictException;
import dev.keyline.common.vault.VersionedSecrets;
import dev.keyline.rotation.PendingKey;
import dev.keyline.rotation.PendingKeys;
import dev.keyline.rotation.config.RotationServiceConfig;

/** A run's new key at {@code secret/keyline/rotation-service/pending/<run id>}: written once (CAS 0), deleted with all versions. */
@ApplicationScoped
public class PendingKeyVault extends VersionedSecrets<PendingKey> implements PendingKeys {

    private static final SecretCodec<PendingKey> CODEC = SecretCodec.of(key -> {
        Map<String, Object> data = new HashMap<>();
        data.put("private_key", key.privateKeyPem());
        data.put("passphrase", key.passphrase());
        data.put("public_key", key.publicKeyPem());
        data.put("fingerprint", key.fingerprint());
        return data;
    }, d -> new PendingKey((String) d.get("private_key"), (String) d.get("passphrase"),
            (String) d.get("public_key"), (String) d.get("fingerprint")));

    @Inject
    PendingKeyVault(KvStores stores, RollbackUndo rollbackUndo, AfterCommit afterCommit, RotationServiceConfig config) {
        super(stores.open(config.vault().mount(), config.vault().prefix()), CODEC, rollbackUndo, afterCommit);
    }

    @Override
    public Optional<PendingKey> find(UUID runId) {
        try {
            return Optional.of(read(runId, 1));
        } catch (SecretNotFoundException e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean create(UUID runId, PendingKey key) {
        try {
            write(runId, key, 0);
            return true;
        } catch (VaultVersionConflictException e) {
            return false;
        }
    }

    @Override
    public void delete(UUID runId) {
        deleteAll(runId);
    }
}
