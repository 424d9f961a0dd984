package dev.keyline.common.audit;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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

    /** occurred_at is the database's clock at the insert, the same clock for every writer. */
    private static final String INSERT = "insert into audit_event (id, occurred_at, actor, via, action, resource_type, "
            + "resource_id, outcome, fingerprints, detail, trace_id) values (?, clock_timestamp(), ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final int ACTOR_MAX = 200;
    private static final int VIA_MAX = 100;
    private static final int FINGERPRINTS_MAX = 1000;
    /** Below the column's 2000, so a cut detail still fits with room to spare. */
    private static final int DETAIL_MAX = 1900;

    /** Inserts this row on {@code c}; values longer than their column are cut, never refused. */
    public void insert(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(INSERT)) {
            ps.setObject(1, UUID.randomUUID());
            ps.setString(2, cut(actor, ACTOR_MAX));
            ps.setString(3, cut(via, VIA_MAX));
            ps.setString(4, action);
            ps.setString(5, resourceType);
            ps.setString(6, resourceId);
            ps.setString(7, outcome.name());
            ps.setString(8, cut(fingerprints, FINGERPRINTS_MAX));
            ps.setString(9, cut(detail, DETAIL_MAX));
            // The trace of the work being audited (null when tracing is off): operators go from an
            // event to its request or rotation step in the tracing tool.
            ps.setString(10, Spans.currentTraceId());
            ps.executeUpdate();
        }
    }

    private static String cut(String value, int max) {
        return value == null || value.length() <= max ? value : value.substring(0, max);
    }
}
