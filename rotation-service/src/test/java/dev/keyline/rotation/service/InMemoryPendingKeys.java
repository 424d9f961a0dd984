package dev.keyline.rotation.service;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import dev.keyline.common.vault.VaultUnavailableException;
import dev.keyline.rotation.PendingKey;
import dev.keyline.rotation.PendingKeys;

/** Vault's pending keys in memory; its calls count in {@link Faults} too (Vault sealed = transient). */
class InMemoryPendingKeys implements PendingKeys {

    final Map<UUID, PendingKey> keys = new HashMap<>();
    final Faults faults;
    int generated;

    InMemoryPendingKeys(Faults faults) {
        this.faults = faults;
    }

    @Override
    public Optional<PendingKey> find(UUID runId) {
        return vault("vault.read", () -> Optional.ofNullable(keys.get(runId)));
    }

    @Override
    public boolean create(UUID runId, PendingKey key) {
        return vault("vault.write", () -> {
            if (keys.containsKey(runId)) {
                return false;
            }
            generated++;
            keys.put(runId, key);
            return true;
        });
    }

    @Override
    public void delete(UUID runId) {
        vault("vault.delete", () -> keys.remove(runId));
    }

    private <T> T vault(String op, java.util.function.Supplier<T> call) {
        try {
            return faults.around(op, call);
        } catch (dev.keyline.rotation.ConnectionServiceException e) {
            throw new VaultUnavailableException(op, 503);
        }
    }
}
