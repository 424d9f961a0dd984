package dev.keyline.connection;

/**
 * One of a Snowflake user's two key slots as {@code DESC USER} shows it.
 *
 * @param fingerprint {@code SHA256:<base64>} or null when the slot is empty
 * @param lastSetTime as Snowflake reports it (ISO-8601 when it could be read as a UTC time), or null
 * @param matchesStoredKey whether it holds the public key of the connection's stored private key
 */
public record KeySlot(int slot, String fingerprint, String lastSetTime, boolean matchesStoredKey) {
}
