package dev.keyline.connection.rest;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.keyline.connection.LoginCheck;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.snowflake.SnowflakeEndpoint;

/** What the API tells about a connection: metadata and the key's fingerprint, never key material. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionView(UUID id, String name, String description, int timeoutSecs, boolean useFriendlyNames,
        Details details,
        Instant createdAt, String createdBy, Instant updatedAt, String updatedBy, long version, LoginCheck testLogin) {

    /** Snowflake fields or API fields, by type. {@code useOauth} is always false: key pairs only. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Details(String type, String account, String host, String endpoint, String user, String role,
            String warehouse, String database, String schema, String authType, String keyFingerprint,
            Integer keySizeBits, Boolean hasPassphrase, UUID keyAdminConnectionId, List<String> managesUsers,
            Integer credentialVersion, Boolean useOauth, String baseUrl, UUID certificateId) {
    }

    public static ConnectionView of(ConnectionEntity e) {
        return of(e, null);
    }

    public static ConnectionView of(ConnectionEntity e, LoginCheck testLogin) {
        Details details = e.isSnowflake()
                ? new Details(e.type, e.account, e.host, endpoint(e), e.user, e.role, e.warehouse, e.database, e.schema,
                        e.authType, e.keyFingerprint, e.keySizeBits, e.hasPassphrase, e.keyAdminConnectionId,
                        e.managedUsers(), e.credentialVersion, false, null, null)
                : new Details(e.type, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                        null, null, e.baseUrl, e.certificateId);
        return new ConnectionView(e.id, e.name, e.description, e.timeoutSecs, e.useFriendlyNames, details, e.createdAt, e.createdBy,
                e.updatedAt, e.updatedBy, e.version, testLogin);
    }

    /** Where the driver connects; shown even if the current policy would refuse it (the test then says so). */
    private static String endpoint(ConnectionEntity e) {
        try {
            return SnowflakeEndpoint.resolve(e.account, e.host, true).url();
        } catch (IllegalArgumentException ex) {
            return e.host;
        }
    }
}
