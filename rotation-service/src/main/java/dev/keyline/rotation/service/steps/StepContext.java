package dev.keyline.rotation.service.steps;

import java.time.Clock;

import dev.keyline.rotation.ConnectionPort;
import dev.keyline.rotation.PendingKeys;
import dev.keyline.rotation.RunStore;

/** What steps use: connection-service, Vault, the database and the clock. */
public record StepContext(ConnectionPort connections, PendingKeys pendingKeys, RunStore store, Clock clock,
        int pbkdf2Iterations) {
}
