package dev.keyline.connection;

import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.keyline.connection.snowflake.SessionIdentity;

/**
 * A successful connection test. Snowflake tests fill user, role, account, the session's warehouse,
 * database and schema (each left out when the session has none), keyFingerprint and endpoint; API
 * tests fill baseUrl, certificateId, httpStatus, matchedRule and tlsProtocol.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TestResult(boolean ok, long latencyMillis, String user, String role, String account, String warehouse,
        String database, String schema, String keyFingerprint, String endpoint, String baseUrl, UUID certificateId,
        Integer httpStatus, String matchedRule, String tlsProtocol) {

    public static TestResult snowflake(long latencyMillis, SessionIdentity session, String keyFingerprint,
            String endpoint) {
        return new TestResult(true, latencyMillis, session.user(), session.role(), session.account(),
                session.warehouse(), session.database(), session.schema(), keyFingerprint, endpoint, null, null, null,
                null, null);
    }

    public static TestResult api(long latencyMillis, String baseUrl, UUID certificateId, int httpStatus,
            String matchedRule, String tlsProtocol) {
        return new TestResult(true, latencyMillis, null, null, null, null, null, null, null, null, baseUrl,
                certificateId, httpStatus, matchedRule, tlsProtocol);
    }
}
