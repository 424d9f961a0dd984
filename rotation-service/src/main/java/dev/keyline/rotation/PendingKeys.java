package dev.keyline.rotation;

import java.util.Optional;
import java.util.UUID;

/** Where a run's new private key is kept (Vault KV v2 in production). Failures are runtime exceptions. */
public interface PendingKeys {

    Optional<PendingKey> find(UUID runId);

    /** Stores the key unless one exists already; false when one does (check-and-set). */
    boolean create(UUID runId, PendingKey key);

    /**
     * As {@link #create(UUID, PendingKey)}, storing {@code stored}; {@code plain} is the same key as
     * plain PKCS#8 without a passphrase, never stored. An implementation that holds the keys of the
     * runs executing here ({@code HeldPendingKeys}) answers {@link #find} with it until
     * {@link #release}, so connection-service is handed a key it parses without a key derivation.
     */
    default boolean create(UUID runId, PendingKey stored, PendingKey plain) {
        return create(runId, stored);
    }

    /** Removes every version; absent is fine. */
    void delete(UUID runId);

    /** The run's execution here ended (saved, waiting, failed or crashed): forget what is held of it in memory. */
    default void release(UUID runId) {
    }
}
