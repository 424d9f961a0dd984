package dev.keyline.connection;

import java.util.List;
import java.util.UUID;

/**
 * Both key slots of a connection's Snowflake user.
 *
 * @param keyAdminConnectionId the connection that read them (the connection itself when it has no key admin)
 */
public record KeySlots(UUID connectionId, String account, String user, String storedKeyFingerprint,
        int credentialVersion, UUID keyAdminConnectionId, List<KeySlot> slots) {
}
