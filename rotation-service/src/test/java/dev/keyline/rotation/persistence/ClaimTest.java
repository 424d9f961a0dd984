package dev.keyline.rotation.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.RunStore;

/**
 * Two workers (two stores, as two replicas would have) on one real PostgreSQL: every due run is
 * claimed exactly once; a crashed worker's run is claimable again only after its lease expired,
 * and resumes from its persisted state; saves by a worker that lost its lease are refused; the
 * database allows one active run per Snowflake user.
 */
class ClaimTest {

    @RegisterExtension
    static final RunDatabase db = new RunDatabase();

    static RotationRun run(String user) {
        RotationRun r = RotationRun.create(UUID.randomUUID(), "acme", user, Instant.now().minusSeconds(1));
        return r;
    }

    @Test
    void twoWorkersClaimEachDueRunExactlyOnce() throws Exception {
        JdbcRunStore a = db.store();
        JdbcRunStore b = db.store();
        Set<UUID> created = new HashSet<>();
        for (int i = 0; i < 60; i++) {
            RotationRun r = run("claim_" + i + "_" + UUID.randomUUID());
            a.insert(r);
            created.add(r.id);
        }
        List<UUID> claimed = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> futures = new ArrayList<>();
        for (int w = 0; w < 4; w++) {
            JdbcRunStore store = w % 2 == 0 ? a : b;
            String owner = "worker-" + w;
            futures.add(pool.submit(() -> {
                go.await();
                for (int round = 0; round < 30; round++) {
                    for (RotationRun r : store.claimDue(owner, 3)) {
                        if (created.contains(r.id)) {
                            claimed.add(r.id);
                        }
                    }
                }
                return null;
            }));
        }
        go.countDown();
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertThat(claimed).hasSize(created.size());
        assertThat(new HashSet<>(claimed)).isEqualTo(created);
    }

    @Test
    void aCrashedWorkersRunIsResumedAfterItsLeaseExpires() throws Exception {
        JdbcRunStore a = db.store();
        JdbcRunStore b = db.store();
        a.leaseDuration(Duration.ofMillis(1500));
        b.leaseDuration(Duration.ofMillis(1500));
        RotationRun r = run("lease_" + UUID.randomUUID());
        a.insert(r);
        RotationRun mine = db.claim(a, "A", r.id);
        assertThat(mine).isNotNull();
        mine.state = RunState.REGISTER;
        mine.newFingerprint = "SHA256:new=";
        a.save(mine);
        // worker A dies here without releasing
        assertThat(db.claim(b, "B", r.id)).as("lease still held").isNull();
        Thread.sleep(1700);
        RotationRun resumed = db.claim(b, "B", r.id);
        assertThat(resumed).isNotNull();
        assertThat(resumed.state).isEqualTo(RunState.REGISTER);
        assertThat(resumed.newFingerprint).isEqualTo("SHA256:new=");
        // A comes back and tries to write: fenced off
        mine.state = RunState.VERIFY;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.save(mine))
                .isInstanceOf(RunStore.LeaseLostException.class);
        b.save(resumed);
        b.release(r.id, "B");
    }

    @Test
    void oneActiveRunPerSnowflakeUser() {
        JdbcRunStore a = db.store();
        String user = "one_" + UUID.randomUUID();
        a.insert(run(user));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> a.insert(run(user.toUpperCase())))
                .isInstanceOf(JdbcRunStore.ActiveRunExistsException.class);
    }

    @Test
    void aKeyKnownUnderOneSpellingOfTheUserIsKnownUnderAnother() {
        JdbcRunStore a = db.store();
        String user = "Svc_" + UUID.randomUUID().toString().substring(0, 8);
        String fingerprint = "SHA256:" + UUID.randomUUID();
        a.recordKey("ACME", user.toUpperCase(), fingerprint, UUID.randomUUID(), "REGISTERED");
        assertThat(a.isKnownKey("acme", user.toLowerCase(), fingerprint)).isTrue();
        assertThat(a.isKnownKey("Acme", user, fingerprint)).isTrue();
        assertThat(a.isKnownKey("acme", user + "x", fingerprint)).as("another user").isFalse();
        assertThat(a.isKnownKey("acme", user, fingerprint + "x")).as("another key").isFalse();
    }

    @Test
    void aRunKeepsTheNamesAsGiven() {
        JdbcRunStore a = db.store();
        RotationRun r = RotationRun.create(UUID.randomUUID(), "ACME", "SVC_" + UUID.randomUUID().toString()
                .substring(0, 8).toUpperCase(), Instant.now());
        a.insert(r);
        RotationRun read = a.find(r.id).orElseThrow();
        assertThat(read.account).isEqualTo("ACME");
        assertThat(read.snowflakeUser).isEqualTo(r.snowflakeUser);
    }
}
