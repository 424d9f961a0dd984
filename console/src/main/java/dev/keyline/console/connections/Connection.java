package dev.keyline.console.connections;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

import io.quarkus.qute.TemplateData;

/** connection-service's view of a connection: metadata and the key's fingerprint, never key material. */
@TemplateData
@JsonIgnoreProperties(ignoreUnknown = true)
public record Connection(String id, String name, String description, Integer timeoutSecs, Details details,
        Instant createdAt, String createdBy, Instant updatedAt, String updatedBy, long version, LoginCheck testLogin) {

    @TemplateData
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Details(String type, String account, String host, String endpoint, String user, String role,
            String warehouse, String database, String schema, String authType, String keyFingerprint,
            Integer keySizeBits, Boolean hasPassphrase, String keyAdminConnectionId, java.util.List<String> managesUsers,
            Integer credentialVersion, String baseUrl, String certificateId) {
    }

    /** The login tried when the connection was created (the key need not be registered yet). */
    @TemplateData
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record LoginCheck(boolean ok, String code, String type, String detail, Long latencyMillis) {
    }

    public boolean snowflake() {
        return details != null && "snowflake".equals(details.type());
    }

    /** A Snowflake connection that manages other users' keys: one another connection may name as its key admin. */
    public boolean keyAdmin() {
        return snowflake() && details.managesUsers() != null && !details.managesUsers().isEmpty();
    }

    public boolean api() {
        return details != null && "api".equals(details.type());
    }
}
