package dev.keyline.rotation.service;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import dev.keyline.rotation.PendingKey;
import dev.keyline.rotation.PendingKeys;

/**
 * The pending keys of the runs executing on this replica, held in memory from GENERATE (or their
 * first read from Vault) until the execution ends ({@link #release}, which the engine calls however
 * the execution ended).
 *
 * <p>
 * Why: REGISTER, VERIFY, SWAP and MOVE each read the pending key; from Vault that is a round trip and
 * a JSON parse per step, and the stored form is encrypted PKCS#8 that connection-service decrypted
 * with 10,000 PBKDF2 rounds for the candidate login and again for the swap. A key generated in this
 * execution is handed out as plain PKCS#8 instead (the passphrase travelled in the same request body,
 * so the wire carries nothing it did not before); a run resumed after a crash or a wait reads Vault
 * once and hands out the stored form.
 *
 * <p>
 * Exact, not a cache that can go stale: a run's pending key is written once (check-and-set on
 * version 0) and only deleted, by the lease holder, through {@link #delete}, which forgets it here
 * too; the lease keeps every other replica from executing the run meanwhile. Nothing is held for a
 * run that is not executing, so a private key does not outlive its execution in this process.
 */
final class HeldPendingKeys implements PendingKeys {

    private final PendingKeys stored;
    private final Map<UUID, PendingKey> held = new ConcurrentHashMap<>();

    HeldPendingKeys(PendingKeys stored) {
        this.stored = stored;
    }

    @Override
    public Optional<PendingKey> find(UUID runId) {
        PendingKey key = held.get(runId);
        if (key != null) {
            return Optional.of(key);
        }
        Optional<PendingKey> read = stored.find(runId);
        read.ifPresent(k -> held.put(runId, k));
        return read;
    }

    @Override
    public boolean create(UUID runId, PendingKey key) {
        return create(runId, key, key);
    }

    @Override
    public boolean create(UUID runId, PendingKey key, PendingKey plain) {
        if (!stored.create(runId, key)) {
            return false;
        }
        held.put(runId, plain);
        return true;
    }

    @Override
    public void delete(UUID runId) {
        held.remove(runId);
        stored.delete(runId);
    }

    @Override
    public void release(UUID runId) {
        held.remove(runId);
    }

    /** For tests: how many runs' keys are held now. */
    int heldCount() {
        return held.size();
    }
}
