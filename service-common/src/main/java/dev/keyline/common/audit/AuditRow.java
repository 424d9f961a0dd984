package dev.keyline.common.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

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
    /** For rows written after the fact ({@link AuditOutbox}): the time and trace of the event itself. */
    private static final String INSERT_STAMPED = "insert into audit_event (id, actor, via, action, resource_type, "
            + "resource_id, outcome, fingerprints, detail, trace_id, occurred_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int ACTOR_MAX = 200;
    private static final int VIA_MAX = 100;
    private static final int FINGERPRINTS_MAX = 1000;
    /** Below the column's 2000, so a cut detail still fits with room to spare. */
    private static final int DETAIL_MAX = 1900;

    /** Inserts this row on {@code c}; values longer than their column are cut, never refused. */
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

    /** Inserts {@code rows} on {@code c} as one JDBC batch (one round trip), each with its own time and trace. */
    public static void insertAll(Connection c, List<Stamped> rows) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT_STAMPED)) {
            for (Stamped s : rows) {
                s.row().bind(ps, s.traceId());
                ps.setObject(11, s.occurredAt().atOffset(ZoneOffset.UTC));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private void bind(PreparedStatement ps, String traceId) throws SQLException {
        ps.setObject(1, UUID.randomUUID());
        ps.setString(2, cut(actor, ACTOR_MAX));
        ps.setString(3, cut(via, VIA_MAX));
        ps.setString(4, action);
        ps.setString(5, resourceType);
        ps.setString(6, resourceId);
        ps.setString(7, outcome.name());
        ps.setString(8, cut(fingerprints, FINGERPRINTS_MAX));
        ps.setString(9, cut(detail, DETAIL_MAX));
        ps.setString(10, traceId);
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
