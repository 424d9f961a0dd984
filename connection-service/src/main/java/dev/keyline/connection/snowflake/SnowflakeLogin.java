package dev.keyline.connection.snowflake;

import java.security.PrivateKey;
import java.time.Duration;

/**
 * Everything one key-pair login needs. The key is the parsed JDK object (an
 * {@code RSAPrivateCrtKey}), handed to the driver as it is: no key file is ever written.
 */
public record SnowflakeLogin(SnowflakeEndpoint endpoint, String account, String user, String role, String warehouse,
        String database, String schema, PrivateKey privateKey, Duration timeout) {

    @Override
    public String toString() {
        return "SnowflakeLogin[" + account + "/" + user + " at " + endpoint.url() + ", key=masked]";
    }
}
