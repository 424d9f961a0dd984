package dev.keyline.connection.persistence;

import java.util.UUID;

/**
 * The columns of a Snowflake connection's row that a login with its stored key needs: its settings,
 * the versions that name the key ({@code vaultVersion}) and what the test reports. Read with one
 * plain JDBC query on the test's path ({@link SnowflakeRows}), or taken from an entity already
 * loaded elsewhere.
 */
public record SnowflakeRow(UUID id, String name, long rowVersion, int credentialVersion, int vaultVersion,
        String keyFingerprint, String account, String host, String user, String role, String warehouse, String database,
        String schema, int timeoutSecs) {

    public static SnowflakeRow of(ConnectionEntity e) {
        return new SnowflakeRow(e.id, e.name, e.version, e.credentialVersion, e.vaultVersion, e.keyFingerprint, e.account,
                e.host, e.user, e.role, e.warehouse, e.database, e.schema, e.timeoutSecs);
    }
}
