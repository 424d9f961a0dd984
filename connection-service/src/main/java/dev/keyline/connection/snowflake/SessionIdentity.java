package dev.keyline.connection.snowflake;

/** What {@code SELECT CURRENT_USER(), CURRENT_ROLE(), CURRENT_ACCOUNT()} answered. */
public record SessionIdentity(String user, String role, String account) {
}
