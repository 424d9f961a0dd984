package dev.keyline.connection.snowflake;

import java.util.List;
import java.util.Map;

/**
 * The statements the services run, on one live session. Identifiers are quoted here, values are
 * base64 produced by us: callers never build SQL.
 */
public interface SnowflakeSession {

    SessionIdentity identity();

    /** {@code DESC USER}: property name to value, for the user named by a connection's {@code user}. */
    Map<String, String> describeUser(String user);

    /** {@code ALTER USER … SET RSA_PUBLIC_KEY[_2]='<base64 SPKI DER>'}. */
    void setPublicKey(String user, int slot, String base64SpkiDer);

    /** {@code ALTER USER … UNSET RSA_PUBLIC_KEY[_2]}. */
    void unsetPublicKey(String user, int slot);

    /** {@code SHOW DATABASES}: names in Snowflake's order. */
    List<String> databases();

    /** {@code SHOW SCHEMAS IN DATABASE "<name>"}: names in Snowflake's order. */
    List<String> schemas(String database);
}
