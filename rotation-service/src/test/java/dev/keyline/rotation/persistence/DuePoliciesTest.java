package dev.keyline.rotation.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.keyline.rotation.PolicyRepository;
import dev.keyline.rotation.RotationPolicy;
import dev.keyline.rotation.RotationRun;

/**
 * The scheduler first looks at the policies due at an instant (to disable those whose connection
 * was deleted) and then makes runs of the policies due at that same instant. A policy that falls
 * due in between must wait for the next round: otherwise it becomes a run without its connection
 * having been looked up (seen in CI: a run started for a deleted connection).
 */
class DuePoliciesTest {

    @RegisterExtension
    static final RunDatabase db = new RunDatabase();

    @Test
    void aPolicyDueOnlyAfterTheCallersInstantStartsNoRun() {
        JdbcPolicyStore store = store();
        Instant checkedAt = Instant.now().minusSeconds(30);
        RotationPolicy later = policy(checkedAt.plusSeconds(10)); // due now, by the database's clock
        RotationPolicy earlier = policy(checkedAt.minusSeconds(10));
        assertThat(store.insert(later)).isTrue();
        assertThat(store.insert(earlier)).isTrue();

        assertThat(store.due(checkedAt, 50)).extracting(p -> p.id).containsExactly(earlier.id);
        List<RotationRun> started = store.startDueRuns(checkedAt, 50);

        assertThat(started).extracting(r -> r.connectionId).containsExactly(earlier.connectionId);
        assertThat(store.find(later.id).orElseThrow().nextDueAt).isEqualTo(later.nextDueAt);
        assertThat(store.startDueRuns(Instant.now(), 50)).extracting(r -> r.connectionId)
                .containsExactly(later.connectionId);
    }

    /**
     * What the scheduler's look-ahead reads: the policies of one key size due by a horizon (overdue
     * ones too: they need keys as much), and the next due time of any enabled policy.
     */
    @Test
    void upcomingCountsAKeySizesPoliciesDueByTheHorizonAndFindsTheNextDueTime() {
        JdbcPolicyStore store = store();
        // Far from the other test's policies, which are all due long before it.
        Instant now = Instant.parse("2100-01-01T00:00:00Z");
        Instant horizon = now.plusSeconds(600);
        assertThat(store.insert(policy(now.minusSeconds(60), 4096))).isTrue();
        assertThat(store.insert(policy(now.plusSeconds(30), 4096))).isTrue();
        assertThat(store.insert(policy(horizon, 4096))).isTrue();
        assertThat(store.insert(policy(horizon.plusSeconds(1), 4096))).isTrue();
        assertThat(store.insert(policy(now.plusSeconds(20), 3072))).isTrue();
        RotationPolicy disabled = policy(now.plusSeconds(10), 4096);
        disabled.enabled = false;
        assertThat(store.insert(disabled)).isTrue();

        PolicyRepository.Upcoming upcoming = store.upcoming(now, horizon, 4096);

        assertThat(upcoming.dueBy()).as("overdue, within, at the horizon; not beyond, disabled or 3072").isEqualTo(3);
        assertThat(upcoming.nextAfterNow()).as("any key size; not the disabled one").contains(now.plusSeconds(20));
        assertThat(store.upcoming(Instant.parse("2200-01-01T00:00:00Z"), Instant.parse("2200-01-01T00:10:00Z"), 2048)
                .nextAfterNow()).isEmpty();
    }

    private static RotationPolicy policy(Instant due, int keySize) {
        RotationPolicy p = policy(due);
        p.keySize = keySize;
        return p;
    }

    private static JdbcPolicyStore store() {
        JdbcPolicyStore store = new JdbcPolicyStore();
        store.dataSource = db.dataSource();
        store.runs = db.store();
        return store;
    }

    private static RotationPolicy policy(Instant due) {
        RotationPolicy p = new RotationPolicy();
        p.id = UUID.randomUUID();
        p.connectionId = UUID.randomUUID();
        p.account = "acme";
        p.snowflakeUser = "due_" + UUID.randomUUID().toString().substring(0, 8);
        p.schedule = "P90D";
        p.nextDueAt = due.truncatedTo(ChronoUnit.MILLIS);
        p.createdAt = Instant.now();
        p.createdBy = "test";
        p.updatedAt = p.createdAt;
        p.updatedBy = "test";
        return p;
    }
}
