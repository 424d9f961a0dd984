package dev.keyline.rotation.service.steps;

import java.time.Clock;

import dev.keyline.common.work.BoundedWork;
import dev.keyline.rotation.ConnectionPort;
import dev.keyline.rotation.PendingKeys;
import dev.keyline.rotation.RunStore;

/**
 * What steps use: connection-service, Vault, the database, the clock, and the bounded pool that
 * key generation runs on.
 */
public record StepContext(ConnectionPort connections, PendingKeys pendingKeys, RunStore store, Clock clock,
        int pbkdf2Iterations, BoundedWork keyWork) {
}
