package dev.keyline.common.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import dev.keyline.common.security.Caller;
import dev.keyline.common.tracing.Spans;

/**
 * The one writer of {@code audit_event} rows: every service's {@link AuditTrail} and rotation-service's
 * JDBC stores insert through it, on the caller's connection and so inside the caller's transaction.
 * The column list and the column limits live here only (the table: service-common's migration
 * {@code db/common}); a new column is added here once.
 */
public record AuditRow(String actor, String via, String action, String resourceType, String resourceId, Outcome outcome,
        String fingerprints, String detail) {

    /**
     * occurred_at is the database's clock at the insert, the same clock for every writer; a row written
     * later ({@link #insertAll}) carries the service's clock at the event instead, so a delayed write
     * does not move the event in time.
     */
    private static final String INSERT = "insert into audit_event (id, occurred_at, actor, via, action, resource_type, "
            + "resource_id, outcome, fingerprints, detail, trace_id) values (?, clock_timestamp(), ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    /**
     * For rows written after the fact ({@link AuditOutbox}): the time and trace of the event itself;
     * {@link #insertAll} repeats {@link #STAMPED_VALUES} once per row.
     */
    private static final String INSERT_STAMPED = "insert into audit_event (id, actor, via, action, resource_type, "
            + "resource_id, outcome, fingerprints, detail, trace_id, occurred_at) values ";
    private static final String STAMPED_VALUES = "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int STAMPED_COLUMNS = 11;
    /** The most rows {@link #insertAll} writes in one statement: PostgreSQL binds at most 65,535 parameters. */
    public static final int MAX_ROWS_PER_INSERT = 65_535 / STAMPED_COLUMNS;
    private static final int ACTOR_MAX = Caller.MAX_NAME_LENGTH;
    private static final int VIA_MAX = 100;
    private static final int FINGERPRINTS_MAX = 1000;
    /** Below the column's 2000, so a cut detail still fits with room to spare. */
    private static final int DETAIL_MAX = 1900;

    /**
     * Inserts this row on {@code c}; values longer than their column are cut and characters the
     * column cannot hold replaced, never refused.
     */
    public void insert(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            // The trace of the work being audited (null when tracing is off): operators go from an
            // event to its request or rotation step in the tracing tool.
            bind(ps, Spans.currentTraceId());
            ps.executeUpdate();
        }
    }

    /** This row as it was when the event happened: its time and trace, for a write made later. */
    public Stamped stamped() {
        return new Stamped(this, Instant.now(), Spans.currentTraceId());
    }

    /** A row with the time and trace of its event, captured where the event happened. */
    public record Stamped(AuditRow row, Instant occurredAt, String traceId) {
    }

    /**
     * Inserts {@code rows} on {@code c}, each with its own time and trace, as ONE multi-row INSERT:
     * one round trip, and atomic on its own (all rows or none) even on an autocommitted connection,
     * so a writer needs no transaction around it. At most {@link #MAX_ROWS_PER_INSERT} rows.
     */
    public static void insertAll(Connection c, List<Stamped> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        if (rows.size() > MAX_ROWS_PER_INSERT) {
            throw new IllegalArgumentException(rows.size() + " audit rows in one INSERT; at most " + MAX_ROWS_PER_INSERT);
        }
        StringBuilder sql = new StringBuilder(INSERT_STAMPED.length() + rows.size() * (STAMPED_VALUES.length() + 2))
                .append(INSERT_STAMPED);
        for (int i = 0; i < rows.size(); i++) {
            sql.append(i == 0 ? "" : ", ").append(STAMPED_VALUES);
        }
        try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
            int offset = 0;
            for (Stamped s : rows) {
                s.row().bind(ps, offset, s.traceId());
                ps.setObject(offset + 11, s.occurredAt().atOffset(ZoneOffset.UTC));
                offset += STAMPED_COLUMNS;
            }
            ps.executeUpdate();
        }
    }

    private void bind(PreparedStatement ps, String traceId) throws SQLException {
        bind(ps, 0, traceId);
    }

    /** Binds this row's ten columns from parameter {@code offset + 1} on. */
    private void bind(PreparedStatement ps, int offset, String traceId) throws SQLException {
        ps.setObject(offset + 1, UUID.randomUUID());
        ps.setString(offset + 2, text(actor, ACTOR_MAX));
        ps.setString(offset + 3, text(via, VIA_MAX));
        ps.setString(offset + 4, text(action, Integer.MAX_VALUE));
        ps.setString(offset + 5, text(resourceType, Integer.MAX_VALUE));
        ps.setString(offset + 6, text(resourceId, Integer.MAX_VALUE));
        ps.setString(offset + 7, outcome.name());
        ps.setString(offset + 8, text(fingerprints, FINGERPRINTS_MAX));
        ps.setString(offset + 9, text(detail, DETAIL_MAX));
        ps.setString(offset + 10, traceId);
    }

    /**
     * {@code value} cut to {@code max} characters, with every character PostgreSQL text cannot hold
     * (U+0000, and a surrogate without its pair, which a cut may also leave) replaced by U+FFFD:
     * an audit event carries what the caller sent (a request path, a name) and must never fail for it.
     */
    static String text(String value, int max) {
        if (value == null) {
            return null;
        }
        String cut = value.length() <= max ? value : value.substring(0, max);
        StringBuilder sb = null;
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            boolean pairStart = Character.isHighSurrogate(c) && i + 1 < cut.length()
                    && Character.isLowSurrogate(cut.charAt(i + 1));
            if (pairStart) {
                if (sb != null) {
                    sb.append(c).append(cut.charAt(i + 1));
                }
                i++;
                continue;
            }
            boolean unstorable = c == 0 || Character.isSurrogate(c);
            if (unstorable && sb == null) {
                sb = new StringBuilder(cut.length()).append(cut, 0, i);
            }
            if (sb != null) {
                sb.append(unstorable ? '\uFFFD' : c);
            }
        }
        return sb == null ? cut : sb.toString();
    }
}
