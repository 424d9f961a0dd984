package dev.keyline.connection.service;

import java.util.List;
import java.util.UUID;

import dev.keyline.connection.ConnectionType;
import dev.keyline.connection.snowflake.SnowflakeEndpoint;

/**
 * A validated create or replace request. On replace {@code key} is the key the caller presented
 * again (null if none): keys change through the credentials endpoint only, but moving a connection
 * that holds a key to another account, host or user needs the key. {@code managesUsers} is empty
 * unless the connection is a key-admin. {@code useFriendlyNames} is Sigma's display option, kept as given.
 * {@code generateKeyBits} is the size of the key pair the service is asked to generate (0: the caller
 * gave the key); {@code registeredSlot} the key slot the generated key was registered in (0: none yet).
 */
public record ConnectionInput(String name, String description, int timeoutSecs, boolean useFriendlyNames,
        ConnectionType type, String account,
        SnowflakeEndpoint endpoint, String hostOverride, String user, String role, String warehouse, String database,
        String schema, String authType, ValidatedKey key, UUID keyAdminConnectionId, List<String> managesUsers,
        String baseUrl, UUID certificateId, int generateKeyBits, int registeredSlot) {

    public boolean isSnowflake() {
        return type == ConnectionType.SNOWFLAKE;
    }

    /** Whether the service generates this connection's key pair. */
    public boolean generatesKey() {
        return generateKeyBits > 0;
    }

    /** This input with the generated key, registered in {@code slot} of the user. */
    public ConnectionInput withGeneratedKey(ValidatedKey generated, int slot) {
        return new ConnectionInput(name, description, timeoutSecs, useFriendlyNames, type, account, endpoint, hostOverride,
                user, role, warehouse, database, schema, authType, generated, keyAdminConnectionId, managesUsers, baseUrl,
                certificateId, generateKeyBits, slot);
    }

    @Override
    public String toString() {
        return "ConnectionInput[name=" + name + ", type=" + type + ", material=masked]";
    }
}
