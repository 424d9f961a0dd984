package dev.keyline.certificate.persistence;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.jdbc.NameFilteredPage;
import dev.keyline.common.jdbc.RowRead;

/**
 * The reads behind {@code GET /api/v1/certificates} and {@code GET /api/v1/certificates/{id}}: each
 * certificate with its consumers, in one SQL statement (one PostgreSQL round trip) instead of one
 * for the rows, one for the total and one for the consumers.
 *
 * <p>
 * Why one statement: the page, its total ({@code count(*) over ()}, computed before the offset and
 * limit apply, so it counts every matching row) and the consumers of exactly the page's rows (a left
 * join on the {@code (certificate_id, consumer_id)} index) are one statement only in SQL (a page past
 * the end, which has no row to carry the total, counts in a second: {@link NameFilteredPage}).
 *
 * <p>
 * Why plain JDBC and not a Hibernate native query with the entities' mappings: in a JFR profile of
 * {@code GET /certificates/{id}} (bench/README.md) Hibernate's work around this one statement (a
 * result-set mapping resolved anew for every dynamic native query, the session, hydrating each
 * column through its type descriptors) was 236 of the request thread's 263 samples. These requests
 * change nothing, so the rows are mapped here into detached entities that no session knows. The
 * column list is therefore written twice (the entities' annotations and {@link #CERTIFICATE_COLUMNS});
 * {@code CertificateReadsTest} compares every persistent field of both readings of the same rows, so
 * a column added to an entity and not here fails the build.
 */
@ApplicationScoped
public class CertificateReads {

    /** A certificate and who uses it (ordered by name, then consumer id). */
    public record WithConsumers(CertificateEntity certificate, List<CertificateConsumerEntity> consumers) {
    }

    /** One page, and how many rows match in all. */
    public record Page(List<WithConsumers> items, long total) {
    }

    static final String CERTIFICATE_COLUMNS = "c.id, c.name, c.name_key, c.description, c.authorized_domains, "
            + "c.subject, c.issuer, c.serial_number, c.not_before, c.not_after, c.sha256_fingerprint, "
            + "c.key_algorithm, c.key_size_bits, c.chain_length, c.has_passphrase, c.ca_subject, c.vault_path, "
            + "c.vault_version, c.created_at, c.created_by, c.updated_at, c.updated_by, c.version";
    private static final int CERTIFICATE_COLUMN_COUNT = 23;
    static final String CONSUMER_COLUMNS = "k.id, k.certificate_id, k.consumer_id, k.name, k.service, "
            + "k.registered_at, k.registered_by";
    private static final int CONSUMER_COLUMN_COUNT = 7;
    private static final String CONSUMERS = " left join certificate_consumer k on k.certificate_id = c.id";

    private static final String BY_ID = "select " + CERTIFICATE_COLUMNS + ", " + CONSUMER_COLUMNS
            + " from certificate c" + CONSUMERS + " where c.id = ? order by k.name, k.consumer_id";

    @Inject
    DataSource dataSource;

    /** The certificate {@code id} with its consumers, if it exists. */
    public Optional<WithConsumers> byId(UUID id) {
        Page found = RowRead.all(dataSource, BY_ID, rs -> group(rs, false), "certificate " + id, id);
        return found.items().isEmpty() ? Optional.empty() : Optional.of(found.items().get(0));
    }

    /**
     * Certificates ordered by name from {@code offset}, at most {@code limit}, with the consumers of
     * those rows only; {@code likePattern} (for {@code lower(name) like …}, backslash escapes) or null for all.
     */
    public Page page(String likePattern, long offset, int limit) {
        NameFilteredPage filter = new NameFilteredPage(likePattern);
        String sql = "with c as (select *, count(*) over () as total from certificate" + filter.where()
                + " order by name offset ? limit ?)"
                + " select " + CERTIFICATE_COLUMNS + ", " + CONSUMER_COLUMNS + ", c.total from c" + CONSUMERS
                + " order by c.name, k.name, k.consumer_id";
        Page found = RowRead.all(dataSource, sql, rs -> group(rs, true), "certificates", filter.parameters(offset, limit));
        return found.items().isEmpty() ? new Page(List.of(), filter.count(dataSource, "certificate")) : found;
    }

    /**
     * Rows of (certificate, consumer or nulls[, total]) in order, one certificate per run of rows; the
     * total is the last column's when {@code withTotal}, else the number of certificates.
     */
    private static Page group(ResultSet rs, boolean withTotal) throws SQLException {
        Map<UUID, WithConsumers> byId = new LinkedHashMap<>();
        long total = 0;
        while (rs.next()) {
            UUID id = rs.getObject(1, UUID.class);
            WithConsumers w = byId.get(id);
            if (w == null) {
                w = new WithConsumers(certificate(rs), new ArrayList<>());
                byId.put(id, w);
            }
            if (rs.getObject(CERTIFICATE_COLUMN_COUNT + 1) != null) {
                w.consumers().add(consumer(rs, CERTIFICATE_COLUMN_COUNT + 1));
            }
            if (withTotal) {
                total = rs.getLong(CERTIFICATE_COLUMN_COUNT + CONSUMER_COLUMN_COUNT + 1);
            }
        }
        return new Page(List.copyOf(byId.values()), withTotal ? total : byId.size());
    }

    static CertificateEntity certificate(ResultSet rs) throws SQLException {
        CertificateEntity e = new CertificateEntity();
        e.id = rs.getObject(1, UUID.class);
        e.name = rs.getString(2);
        e.nameKey = rs.getString(3);
        e.description = rs.getString(4);
        e.authorizedDomains = RowRead.texts(rs, 5);
        e.subject = rs.getString(6);
        e.issuer = rs.getString(7);
        e.serialNumber = rs.getString(8);
        e.notBefore = RowRead.instant(rs, 9);
        e.notAfter = RowRead.instant(rs, 10);
        e.sha256Fingerprint = rs.getString(11);
        e.keyAlgorithm = rs.getString(12);
        e.keySizeBits = rs.getInt(13);
        e.chainLength = rs.getInt(14);
        e.hasPassphrase = rs.getBoolean(15);
        e.caSubject = rs.getString(16);
        e.vaultPath = rs.getString(17);
        e.vaultVersion = rs.getInt(18);
        e.createdAt = RowRead.instant(rs, 19);
        e.createdBy = rs.getString(20);
        e.updatedAt = RowRead.instant(rs, 21);
        e.updatedBy = rs.getString(22);
        e.version = rs.getLong(23);
        return e;
    }

    static CertificateConsumerEntity consumer(ResultSet rs, int first) throws SQLException {
        CertificateConsumerEntity k = new CertificateConsumerEntity();
        k.id = rs.getObject(first, UUID.class);
        k.certificateId = rs.getObject(first + 1, UUID.class);
        k.consumerId = rs.getString(first + 2);
        k.name = rs.getString(first + 3);
        k.service = rs.getString(first + 4);
        k.registeredAt = RowRead.instant(rs, first + 5);
        k.registeredBy = rs.getString(first + 6);
        return k;
    }

}
