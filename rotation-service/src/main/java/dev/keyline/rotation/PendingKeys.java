package dev.keyline.rotation;

import java.util.Optional;
import java.util.UUID;

/** Where a run's new private key is kept (Vault KV v2 in production). Failures are runtime exceptions. */
public interface PendingKeys {

    Optional<PendingKey> find(UUID runId);

    /** Stores the key unless one exists already; false when one does (check-and-set). */
    boolean create(UUID runId, PendingKey key);

    /** Removes every version; absent is fine. */
    void delete(UUID runId);
}
