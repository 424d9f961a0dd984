package dev.keyline.rotation.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.keyline.common.work.BoundedWork;
import dev.keyline.rotation.PolicyRepository.Upcoming;
import dev.keyline.rotation.service.steps.KeyReserve;

/**
 * The scheduler's look-ahead: the key reserve's target follows the rotations due within the
 * horizon (never when the horizon is zero), and the worker is woken at a due time that comes
 * before its next poll, not before it, and not for one after the poll.
 */
class ScheduleLookAheadTest {

    private final BoundedWork pool = new BoundedWork("keys", "key generation", 1, 4, false, 1, Duration.ofSeconds(5));
    private final KeyReserve reserve = new KeyReserve(2, 64, 2048, 1000, pool);
    private final List<Instant> woken = new CopyOnWriteArrayList<>();
    private final List<Instant[]> asked = new ArrayList<>();

    @AfterEach
    void close() {
        reserve.close();
        pool.close();
    }

    private ScheduleLookAhead lookAhead(Duration ahead, Duration poll, int dueBy, Instant next) {
        return new ScheduleLookAhead((now, until, keySize) -> {
            assertThat(keySize).isEqualTo(2048);
            asked.add(new Instant[] { now, until });
            return new Upcoming(dueBy, Optional.ofNullable(next));
        }, reserve, ahead, poll, () -> woken.add(Instant.now()));
    }

    @Test
    void theReserveIsSizedToTheRotationsDueWithinTheHorizon() {
        Instant now = Instant.now();
        lookAhead(Duration.ofMinutes(15), Duration.ofSeconds(5), 100, null).update(now);
        assertThat(asked).singleElement().satisfies(a -> {
            assertThat(a[0]).isEqualTo(now);
            assertThat(a[1]).isEqualTo(now.plus(Duration.ofMinutes(15)));
        });
        assertThat(reserve.target()).as("size 2 + 100 due, at most 64").isEqualTo(64);

        lookAhead(Duration.ofMinutes(15), Duration.ofSeconds(5), 5, null).update(now);
        assertThat(reserve.target()).isEqualTo(7);

        lookAhead(Duration.ZERO, Duration.ofSeconds(5), 5, null).update(now);
        assertThat(reserve.target()).as("no horizon: its size alone").isEqualTo(2);
    }

    @Test
    void wakesTheWorkerAtADueTimeBeforeTheNextPollNotBefore() throws Exception {
        Instant now = Instant.now();
        Instant due = now.plusMillis(1500);
        ScheduleLookAhead lookAhead = lookAhead(Duration.ofMinutes(15), Duration.ofSeconds(5), 1, due);
        lookAhead.update(now);
        lookAhead.update(now); // a second round before it fires sets no second wake-up
        waitUntil(() -> !woken.isEmpty());
        assertThat(woken.get(0)).as("not before the due time").isAfterOrEqualTo(due);
        TimeUnit.MILLISECONDS.sleep(500);
        assertThat(woken).hasSize(1);
    }

    @Test
    void aDueTimeAfterTheNextPollIsLeftToThePoll() throws Exception {
        Instant now = Instant.now();
        lookAhead(Duration.ofMinutes(15), Duration.ofSeconds(1), 1, now.plusMillis(1500)).update(now);
        TimeUnit.MILLISECONDS.sleep(2500);
        assertThat(woken).isEmpty();
    }

    @Test
    void aSchedulerPollTurnedOffSetsNoWakeUp() throws Exception {
        assertThat(ScheduleLookAhead.pollInterval("5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(ScheduleLookAhead.pollInterval("PT1M")).isEqualTo(Duration.ofMinutes(1));
        assertThat(ScheduleLookAhead.pollInterval("off")).isZero();
        assertThat(ScheduleLookAhead.pollInterval("disabled")).isZero();
        Instant now = Instant.now();
        lookAhead(Duration.ofMinutes(15), ScheduleLookAhead.pollInterval("off"), 1, now.plusMillis(300)).update(now);
        TimeUnit.MILLISECONDS.sleep(1000);
        assertThat(woken).isEmpty();
        assertThat(reserve.target()).as("the reserve is still sized").isEqualTo(3);
    }

    private static void waitUntil(BooleanSupplier condition) throws InterruptedException {
        // A generous guard for a shared machine, not a timing assertion.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("woken within 30 s").isLessThan(deadline);
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
