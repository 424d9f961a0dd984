package dev.keyline.connection.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.jdbc.NameFilteredPage;
import dev.keyline.common.jdbc.RowRead;

/**
 * The reads behind {@code GET /api/v1/connections} and {@code GET /api/v1/connections/{id}}, with
 * plain JDBC into detached entities.
 *
 * <p>
 * Why: in a JFR profile of the connection bench (bench/README.md) {@code ConnectionEntity.findById}
 * was 211 samples of the plain GET's worker thread, nearly all of it Hibernate around one indexed
 * SELECT (the session, hydration of every column, the clean-up) — as for certificate-service's
 * {@code CertificateReads}. These requests change nothing. Everything that changes a connection still
 * loads it through Hibernate ({@code ConnectionStore}). The column list is therefore written twice;
 * {@code ConnectionReadsTest} compares every persistent field of both readings of the same row and
 * the column list with the entity's mappings, so a column added to the entity and not here fails the build.
 */
@ApplicationScoped
public class ConnectionReads {

    /** One page, and how many rows match in all. */
    public record Page(List<ConnectionEntity> items, long total) {
    }

    static final String COLUMNS = "id, name, name_key, description, type, timeout_secs, use_friendly_names, account, "
            + "host, snowflake_user, role, warehouse, database_name, schema_name, auth_type, key_fingerprint, "
            + "key_size_bits, has_passphrase, key_admin_connection_id, manages_users, credential_version, vault_path, "
            + "vault_version, base_url, certificate_id, created_at, created_by, updated_at, updated_by, version";
    private static final int COLUMN_COUNT = 30;

    @Inject
    DataSource dataSource;

    /** The connection {@code id}, or null. */
    public ConnectionEntity byId(UUID id) {
        return RowRead.first(dataSource, "select " + COLUMNS + " from connection where id = ?", ConnectionReads::entity,
                "connection " + id, id);
    }

    /**
     * Connections ordered by name from {@code offset}, at most {@code limit}, and how many match;
     * {@code likePattern} (for {@code lower(name) like …}, backslash escapes) or null for all.
     */
    public Page page(String likePattern, long offset, int limit) {
        NameFilteredPage filter = new NameFilteredPage(likePattern);
        // The total is computed before offset and limit apply, so it counts every matching row.
        Page found = RowRead.all(dataSource, "select " + COLUMNS + ", count(*) over () from connection" + filter.where()
                + " order by name offset ? limit ?", rows -> {
                    List<ConnectionEntity> items = new ArrayList<>();
                    long total = 0;
                    while (rows.next()) {
                        items.add(entity(rows));
                        total = rows.getLong(COLUMN_COUNT + 1);
                    }
                    return new Page(List.copyOf(items), total);
                }, "connections", filter.parameters(offset, limit));
        // A page past the end has no row to carry the total.
        return found.items().isEmpty() ? new Page(List.of(), filter.count(dataSource, "connection")) : found;
    }

    private static ConnectionEntity entity(ResultSet rs) throws SQLException {
        ConnectionEntity e = new ConnectionEntity();
        e.id = rs.getObject(1, UUID.class);
        e.name = rs.getString(2);
        e.nameKey = rs.getString(3);
        e.description = rs.getString(4);
        e.type = rs.getString(5);
        e.timeoutSecs = rs.getInt(6);
        e.useFriendlyNames = rs.getBoolean(7);
        e.account = rs.getString(8);
        e.host = rs.getString(9);
        e.user = rs.getString(10);
        e.role = rs.getString(11);
        e.warehouse = rs.getString(12);
        e.database = rs.getString(13);
        e.schema = rs.getString(14);
        e.authType = rs.getString(15);
        e.keyFingerprint = rs.getString(16);
        e.keySizeBits = rs.getObject(17, Integer.class);
        e.hasPassphrase = rs.getBoolean(18);
        e.keyAdminConnectionId = rs.getObject(19, UUID.class);
        e.managesUsers = rs.getString(20);
        e.credentialVersion = rs.getInt(21);
        e.vaultPath = rs.getString(22);
        e.vaultVersion = rs.getInt(23);
        e.baseUrl = rs.getString(24);
        e.certificateId = rs.getObject(25, UUID.class);
        e.createdAt = RowRead.instant(rs, 26);
        e.createdBy = rs.getString(27);
        e.updatedAt = RowRead.instant(rs, 28);
        e.updatedBy = rs.getString(29);
        e.version = rs.getLong(30);
        return e;
    }
}
