package dev.keyline.connection.persistence;

import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.jdbc.RowRead;
import dev.keyline.connection.ConnectionType;

/**
 * Reads a Snowflake connection's login settings with one plain JDBC query, for the connection test.
 *
 * <p>
 * Why not {@code ConnectionEntity.findById}: loading the entity (a Hibernate session, hydration, the
 * session's clean-up at the end of the request) was the largest item on the test's worker thread in
 * a JFR profile (bench/README.md), for a row that is only read. The row is still read from
 * PostgreSQL on every test, never cached: a delete or a credential swap committed through any
 * replica is seen by the next test, and the parsed-key cache is keyed by the Vault version read here.
 */
@ApplicationScoped
public class SnowflakeRows {

    private static final String SELECT = "select name, version, credential_version, vault_version, key_fingerprint, "
            + "account, host, snowflake_user, role, warehouse, database_name, schema_name, timeout_secs "
            + "from connection where id = ? and type = ?";

    @Inject
    DataSource dataSource;

    /** The row of Snowflake connection {@code id}; null when there is none (absent, or another type). */
    public SnowflakeRow find(UUID id) {
        return RowRead.first(dataSource, SELECT,
                rs -> new SnowflakeRow(id, rs.getString(1), rs.getLong(2), rs.getInt(3), rs.getInt(4), rs.getString(5),
                        rs.getString(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                        rs.getString(11), rs.getString(12), rs.getInt(13)),
                "connection " + id, id, ConnectionType.SNOWFLAKE.wire());
    }
}
