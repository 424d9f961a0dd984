package dev.keyline.emulators.snowflake;

import java.time.Instant;

/**
 * One call of {@code /session/v1/login-request}, for assertions and debugging.
 *
 * @param account the ACCOUNT_NAME of the request, as typed by the client
 * @param user the LOGIN_NAME of the request, as typed by the client
 * @param fingerprint the key fingerprint named in the JWT's {@code iss}, if it could be read
 * @param slot the key slot (1 or 2) that verified the JWT, or 0
 * @param role the session's role on success
 * @param errorCode {@code null} on success
 * @param reason why the login failed, in plain words (never sent to the client: Snowflake only
 *     says "JWT token is invalid")
 */
public record LoginAttempt(
    Instant at,
    String account,
    String user,
    String fingerprint,
    int slot,
    String role,
    boolean succeeded,
    String errorCode,
    String reason) {}
