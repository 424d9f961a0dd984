package dev.keyline.rotation;

import java.util.UUID;

/** What rotation needs to know about a connection (from connection-service's GET). */
public record ConnectionInfo(UUID id, String type, String account, String user, String authType,
        String keyFingerprint, Integer credentialVersion) {

    public boolean isKeyPair() {
        return "snowflake".equalsIgnoreCase(type) && (authType == null || "key-pair".equalsIgnoreCase(authType));
    }
}
