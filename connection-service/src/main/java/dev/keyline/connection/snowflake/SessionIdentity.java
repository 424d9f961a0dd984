package dev.keyline.connection.snowflake;

/**
 * What {@code SELECT CURRENT_USER(), CURRENT_ROLE(), CURRENT_ACCOUNT(), CURRENT_WAREHOUSE(),
 * CURRENT_DATABASE(), CURRENT_SCHEMA()} answered; the last three are null when the session has none.
 */
public record SessionIdentity(String user, String role, String account, String warehouse, String database,
        String schema) {
}
