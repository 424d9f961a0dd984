package dev.keyline.rotation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.RunStore;
import dev.keyline.rotation.persistence.JdbcRunStore;
import dev.keyline.rotation.persistence.RunDatabase;
import dev.keyline.rotation.service.steps.StepContext;

/**
 * The lease fence on real PostgreSQL: a replica whose lease another replica took over writes
 * nothing more for that run (neither its state nor a step-log row nor an audit event), and a
 * replica that is still working on a step keeps its lease however long the step takes.
 */
class LeaseFenceTest {

    @RegisterExtension
    static final RunDatabase db = new RunDatabase();

    @Test
    void aReplicaThatLostItsLeaseWritesNeitherStateNorStepLog() throws Exception {
        JdbcRunStore a = db.store();
        JdbcRunStore b = db.store();
        FakeConnectionService cs = new FakeConnectionService(new Faults(), RotationEngineTest.INITIAL);
        RotationRun created = RotationRun.create(cs.id, "acme", "FENCE_" + UUID.randomUUID(), Instant.now().minusSeconds(1));
        a.insert(created);
        RotationRun mine = db.claim(a, "A", created.id);
        assertThat(mine).isNotNull();

        // A stalls; its lease runs out and replica B takes the run over.
        db.update("update rotation_run set lease_until = now() - interval '1 second' where id = ?", created.id);
        RotationRun theirs = db.claim(b, "B", created.id);
        assertThat(theirs).as("B takes over the expired lease").isNotNull();

        // A wakes up and finishes its step (PLAN succeeds against connection-service): fenced off.
        RotationEngine engine = new RotationEngine(
                new StepContext(cs, new InMemoryPendingKeys(new Faults()), a, Clock.systemUTC(), 1000, RotationEngineTest.KEY_WORK),
                new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5)), RotationEngine.Listener.NONE);
        assertThatThrownBy(() -> engine.execute(mine)).isInstanceOf(RunStore.LeaseLostException.class);

        assertThat(db.count("select count(*) from rotation_step where run_id = ?", created.id))
                .as("step-log rows written by the replica that lost its lease").isZero();
        assertThat(db.count("select count(*) from audit_event where resource_id = ?", created.id.toString())).isZero();
        RotationRun stored = a.find(created.id).orElseThrow();
        assertThat(stored.state).isEqualTo(RunState.PLAN);
        assertThat(stored.leaseOwner).isEqualTo("B");
        assertThat(stored.startedAt).as("nothing of A's copy was saved").isNull();
    }

    @Test
    void aStepOutlastingTheLeaseKeepsItWhileTheHeartbeatRuns() throws Exception {
        Duration lease = Duration.ofSeconds(3);
        JdbcRunStore a = db.store();
        JdbcRunStore b = db.store();
        a.leaseDuration(lease);
        b.leaseDuration(lease);
        RotationRun created = RotationRun.create(UUID.randomUUID(), "acme", "BEAT_" + UUID.randomUUID(),
                Instant.now().minusSeconds(1));
        a.insert(created);
        assertThat(db.claim(a, "A", created.id)).isNotNull();
        try (LeaseKeeper keeper = new LeaseKeeper(a, lease)) {
            try (LeaseKeeper.Held held = keeper.hold(created.id, "A")) {
                // A step of A's takes more than two leases.
                Thread.sleep(lease.toMillis() * 2 + 1000);
                assertThat(db.claim(b, "B", created.id)).as("renewed while the step runs").isNull();
            }
            // A's heartbeat stopped (as when A dies): the run is B's one lease later.
            Thread.sleep(lease.toMillis() + 1000);
            assertThat(db.claim(b, "B", created.id)).isNotNull();
            assertThat(a.renewLease(created.id, "A")).as("A cannot renew what B holds").isFalse();
        }
    }

    @Test
    void aStepsLogRowsAreSavedWithTheStateTheyLedTo() throws Exception {
        JdbcRunStore a = db.store();
        RotationRun created = RotationRun.create(UUID.randomUUID(), "acme", "LOG_" + UUID.randomUUID(),
                Instant.now().minusSeconds(1));
        a.insert(created);
        RotationRun mine = db.claim(a, "A", created.id);
        mine.state = RunState.GENERATE;
        Instant t = Instant.now();
        a.save(mine, List.of(new RunStore.StepLog("PLAN", "OK", t, t, "slot 1 current")),
                List.of(new RunStore.AuditNote("rotation.test", "SUCCESS", null, null)));
        assertThat(steps(created.id)).containsExactly("PLAN:OK");
        assertThat(a.find(created.id).orElseThrow().state).isEqualTo(RunState.GENERATE);
        assertThat(db.count("select count(*) from audit_event where resource_id = ?", created.id.toString())).isOne();
    }

    static List<String> steps(UUID runId) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("select step, outcome from rotation_step where run_id = ? order by id")) {
            ps.setObject(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
        }
        return out;
    }
}
