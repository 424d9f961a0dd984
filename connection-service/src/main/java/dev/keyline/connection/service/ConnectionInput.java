package dev.keyline.connection.service;

import java.util.UUID;

import dev.keyline.connection.ConnectionType;
import dev.keyline.connection.snowflake.SnowflakeEndpoint;

/**
 * A validated create or replace request. For Snowflake connections {@code key} is null on replace
 * (keys change through the credentials endpoint only).
 */
public record ConnectionInput(String name, String description, int timeoutSecs, ConnectionType type, String account,
        SnowflakeEndpoint endpoint, String hostOverride, String user, String role, String warehouse, String database,
        String schema, String authType, ValidatedKey key, UUID keyAdminConnectionId, String baseUrl,
        UUID certificateId) {

    public boolean isSnowflake() {
        return type == ConnectionType.SNOWFLAKE;
    }

    @Override
    public String toString() {
        return "ConnectionInput[name=" + name + ", type=" + type + ", material=masked]";
    }
}
