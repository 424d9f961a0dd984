package dev.keyline.certificate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyline.common.audit.AuditRow;
import dev.keyline.common.audit.Outcome;
import io.quarkus.test.junit.QuarkusTest;

/**
 * service-common's AuditOutbox writes a batch of deferred events as one multi-row INSERT on an
 * autocommitted connection (no transaction around it), against this service's real audit_event
 * table: every row keeps its own time, trace and values, and a batch with one bad row stores none.
 */
@QuarkusTest
class AuditRowBatchTest {

    @Inject
    DataSource dataSource;

    @Test
    void aBatchIsStoredWholeWithEachRowsOwnTimeAndValues() throws Exception {
        String resource = UUID.randomUUID().toString();
        Instant first = Instant.parse("2026-01-02T03:04:05.123456Z");
        List<AuditRow.Stamped> rows = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            rows.add(new AuditRow.Stamped(new AuditRow("actor-" + i, i % 2 == 0 ? null : "connection-service",
                    "test.batch", "certificate", resource, i % 3 == 0 ? Outcome.DENIED : Outcome.SUCCESS, "fp-" + i,
                    "row " + i), first.plus(i, ChronoUnit.SECONDS), i == 7 ? "trace-7" : null));
        }
        try (Connection c = dataSource.getConnection()) {
            assertThat(c.getAutoCommit()).isTrue();
            AuditRow.insertAll(c, rows);
        }
        List<String> stored = stored(resource);
        assertThat(stored).hasSize(250);
        assertThat(stored.get(0)).isEqualTo("2026-01-02T03:04:05.123456Z actor-0 null DENIED fp-0 row 0 null");
        assertThat(stored.get(7)).isEqualTo("2026-01-02T03:04:12.123456Z actor-7 connection-service SUCCESS fp-7 row 7 trace-7");
        assertThat(stored.get(249)).startsWith("2026-01-02T03:08:14.123456Z actor-249 connection-service DENIED fp-249 ");
    }

    @Test
    void aBatchWithOneBadRowStoresNone() throws Exception {
        String resource = UUID.randomUUID().toString();
        AuditRow good = new AuditRow("alice", null, "test.batch", "certificate", resource, Outcome.SUCCESS, null, "good");
        AuditRow bad = new AuditRow("alice", null, null, "certificate", resource, Outcome.SUCCESS, null, "no action");
        try (Connection c = dataSource.getConnection()) {
            assertThatThrownBy(() -> AuditRow.insertAll(c, List.of(good.stamped(), good.stamped(), bad.stamped())))
                    .isInstanceOf(SQLException.class);
        }
        assertThat(stored(resource)).isEmpty();
    }

    private List<String> stored(String resource) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select occurred_at, actor, via, outcome, fingerprints, detail, "
                        + "trace_id from audit_event where resource_id = ? order by occurred_at")) {
            ps.setString(1, resource);
            try (ResultSet rs = ps.executeQuery()) {
                List<String> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(rs.getObject(1, java.time.OffsetDateTime.class).toInstant() + " " + rs.getString(2) + " "
                            + rs.getString(3) + " " + rs.getString(4) + " " + rs.getString(5) + " " + rs.getString(6)
                            + " " + rs.getString(7));
                }
                return out;
            }
        }
    }
}
