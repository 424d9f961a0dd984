package dev.keyline.certificate.persistence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.persistence.Query;

import org.hibernate.query.NativeQuery;
import org.hibernate.type.StandardBasicTypes;

import io.quarkus.hibernate.orm.panache.Panache;

/**
 * The reads behind {@code GET /api/v1/certificates} and {@code GET /api/v1/certificates/{id}}: each
 * certificate with its consumers, in one SQL statement (one PostgreSQL round trip) instead of one
 * for the rows, one for the total and one for the consumers.
 *
 * <p>
 * Why a native statement: the page, its total ({@code count(*) over ()}, computed before the
 * offset and limit apply, so it counts every matching row) and the consumers of exactly the page's
 * rows (a left join on the {@code (certificate_id, consumer_id)} index) are one statement only in
 * SQL (a page past the end, which has no row to carry the total, counts in a second). The
 * columns are still mapped by the entities' own annotations ({@code {c.*}}, {@code {k.*}}), so
 * there is no second mapping to keep in step. The entities are loaded read-only (no snapshot
 * for dirty checking): these requests change nothing. Ordering is the same as before: by name, a
 * certificate's consumers by name then consumer id.
 */
public final class CertificateReads {

    private CertificateReads() {
    }

    /** A certificate and who uses it (ordered by name, then consumer id). */
    public record WithConsumers(CertificateEntity certificate, List<CertificateConsumerEntity> consumers) {
    }

    /** One page, and how many rows match in all. */
    public record Page(List<WithConsumers> items, long total) {
    }

    private static final String CONSUMERS = " left join certificate_consumer k on k.certificate_id = c.id";

    /** The certificate {@code id} with its consumers, if it exists. */
    public static Optional<WithConsumers> byId(UUID id) {
        List<Object[]> rows = query("select {c.*}, {k.*} from certificate c" + CONSUMERS
                + " where c.id = :id order by k.name, k.consumer_id")
                .setParameter("id", id).getResultList();
        List<WithConsumers> found = group(rows);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
    }

    /**
     * Certificates ordered by name from {@code offset}, at most {@code limit}, with the consumers of
     * those rows only; {@code likePattern} (for {@code lower(name) like …}, backslash escapes) or null for all.
     */
    public static Page page(String likePattern, long offset, int limit) {
        String where = likePattern == null ? "" : " where lower(name) like :pattern";
        NativeQuery<Object[]> q = query("with c as (select *, count(*) over () as total from certificate" + where
                + " order by name offset :offset limit :limit)"
                + " select {c.*}, {k.*}, c.total as total from c" + CONSUMERS
                + " order by c.name, k.name, k.consumer_id")
                .addScalar("total", StandardBasicTypes.LONG);
        List<Object[]> rows = withPattern(q, likePattern).setParameter("offset", offset).setParameter("limit", limit)
                .getResultList();
        if (!rows.isEmpty()) {
            return new Page(group(rows), (Long) rows.get(0)[2]);
        }
        // A page past the end has no row to carry the total: count in a second statement.
        Number total = (Number) withPattern(Panache.getEntityManager()
                .createNativeQuery("select count(*) from certificate" + where), likePattern).getSingleResult();
        return new Page(List.of(), total.longValue());
    }

    private static <Q extends Query> Q withPattern(Q q, String likePattern) {
        if (likePattern != null) {
            q.setParameter("pattern", likePattern);
        }
        return q;
    }

    @SuppressWarnings("unchecked")
    private static NativeQuery<Object[]> query(String sql) {
        return ((NativeQuery<Object[]>) Panache.getEntityManager().createNativeQuery(sql).unwrap(NativeQuery.class))
                .addEntity("c", CertificateEntity.class)
                .addEntity("k", CertificateConsumerEntity.class)
                .setReadOnly(true);
    }

    /** Rows of (certificate, consumer or null[, total]) in order, one certificate per run of rows. */
    private static List<WithConsumers> group(List<Object[]> rows) {
        Map<UUID, WithConsumers> byId = new LinkedHashMap<>();
        for (Object[] row : rows) {
            CertificateEntity c = (CertificateEntity) row[0];
            WithConsumers w = byId.computeIfAbsent(c.id, x -> new WithConsumers(c, new ArrayList<>()));
            if (row[1] != null) {
                w.consumers().add((CertificateConsumerEntity) row[1]);
            }
        }
        return List.copyOf(byId.values());
    }
}
