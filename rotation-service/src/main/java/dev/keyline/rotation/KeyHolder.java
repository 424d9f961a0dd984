package dev.keyline.rotation;

import java.util.UUID;

/**
 * A managed connection of one Snowflake (account, user), as connection-service's
 * {@code GET /api/v1/connections/{id}/key-holders} lists them: which key it stores. Several
 * connections may hold the same key; rotating the user's key must move every one of them.
 *
 * @param credentialVersion null when connection-service does not list it (then read from the connection)
 */
public record KeyHolder(UUID id, String name, String keyFingerprint, Integer credentialVersion) {

    /** How a run's reason names it: the name people know, and the id that is unique. */
    public String describe() {
        return (name == null ? "connection" : "\"" + name + "\"") + " (" + id + ")";
    }
}
