package dev.keyline.emulators.snowflake;

import java.time.Instant;

/**
 * One statement the emulator answered, for assertions.
 *
 * @param sql the SQL text as received
 * @param role the session's role when the statement ran
 * @param describeOnly the driver only asked for result metadata (prepared statements)
 * @param errorCode {@code null} on success, else the Snowflake error code returned
 */
public record ExecutedStatement(
    Instant at,
    String queryId,
    String account,
    String user,
    String role,
    String sql,
    boolean describeOnly,
    boolean succeeded,
    String errorCode,
    String errorMessage) {}
