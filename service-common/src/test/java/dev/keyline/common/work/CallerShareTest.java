package dev.keyline.common.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** A pool's per-caller share: one caller cannot hold more than its share, others keep their room. */
class CallerShareTest {

    private final AtomicReference<String> caller = new AtomicReference<>();

    private BoundedWork pool(int perCaller) {
        return new BoundedWork("keys", "key parsing", 1, 8, false, 3, Duration.ofMinutes(1), perCaller, caller::get);
    }

    @Test
    void aCallerPastItsShareGets429WhileAnotherIsServed() throws Exception {
        try (BoundedWork pool = pool(2)) {
            CountDownLatch release = new CountDownLatch(1);
            caller.set("mallory");
            FutureTask<String> running = pool.submit(() -> {
                release.await();
                return "m1";
            });
            FutureTask<String> waiting = pool.submit(() -> "m2");
            assertThat(pool.heldBy("mallory")).isEqualTo(2);

            assertThatThrownBy(() -> pool.submit(() -> "m3")).isInstanceOfSatisfying(CallerShareExceededException.class,
                    e -> {
                        assertThat(e.status()).isEqualTo(429);
                        assertThat(e.slug()).isEqualTo("too-many-requests");
                        assertThat(e.retryAfterSeconds()).isEqualTo(3);
                    });
            assertThat(pool.callerRefused()).isEqualTo(1);
            assertThat(pool.load().rejected()).as("not a full pool").isZero();
            assertThat(pool.heldBy("mallory")).as("the refused task holds nothing").isEqualTo(2);
            FutureTask<String> stored = new FutureTask<>(() -> pool.callUncounted(() -> "stored key"));
            Thread.ofVirtual().start(stored);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (pool.load().queued() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5); // queued while the caller is still mallory, past her share
            }
            assertThat(pool.load().queued()).isEqualTo(2);

            caller.set("alice");
            FutureTask<String> alices = pool.submit(() -> "a1");
            release.countDown();
            assertThat(running.get(10, TimeUnit.SECONDS)).isEqualTo("m1");
            assertThat(waiting.get(10, TimeUnit.SECONDS)).isEqualTo("m2");
            assertThat(alices.get(10, TimeUnit.SECONDS)).isEqualTo("a1");
            assertThat(stored.get(10, TimeUnit.SECONDS)).as("work not counted to the share is not refused").isEqualTo("stored key");
            awaitHeld(pool, "mallory", 0);
            awaitHeld(pool, "alice", 0);

            caller.set("mallory");
            assertThat(pool.call(() -> "m4")).as("a finished task gives its place back").isEqualTo("m4");
        }
    }

    @Test
    void aCancelledOrFailedTaskGivesItsPlaceBack() throws Exception {
        try (BoundedWork pool = pool(1)) {
            CountDownLatch release = new CountDownLatch(1);
            caller.set("bob");
            FutureTask<String> blocking = pool.submit(() -> {
                release.await();
                return "b1";
            });
            assertThatThrownBy(() -> pool.submit(() -> "b2")).isInstanceOf(CallerShareExceededException.class);
            pool.cancel(blocking);
            awaitHeld(pool, "bob", 0);

            assertThatThrownBy(() -> pool.call(() -> {
                throw new IllegalStateException("bad key");
            })).hasMessage("bad key");
            awaitHeld(pool, "bob", 0);
            assertThat(pool.call(() -> "b3")).isEqualTo("b3");
            release.countDown();
        }
    }

    @Test
    void workOfNoCallerAndAPoolWithoutShareAreLimitedOnlyByThePoolsSize() throws Exception {
        try (BoundedWork shared = pool(1); BoundedWork unlimited = pool(0)) {
            CountDownLatch release = new CountDownLatch(1);
            caller.set(null);
            shared.submit(() -> release.await(10, TimeUnit.SECONDS));
            FutureTask<String> second = shared.submit(() -> "service's own");
            caller.set("carol");
            unlimited.submit(() -> release.await(10, TimeUnit.SECONDS));
            FutureTask<String> carols = unlimited.submit(() -> "carol's second");
            release.countDown();
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("service's own");
            assertThat(carols.get(10, TimeUnit.SECONDS)).isEqualTo("carol's second");
        }
    }

    @Test
    void aFullPoolStillAnswers503AndTheRefusedTaskHoldsNothing() throws Exception {
        try (BoundedWork pool = new BoundedWork("keys", "key parsing", 1, 0, false, 1, Duration.ofMinutes(1), 5,
                caller::get)) {
            CountDownLatch release = new CountDownLatch(1);
            caller.set("dave");
            pool.submit(() -> release.await(10, TimeUnit.SECONDS));
            assertThatThrownBy(() -> pool.submit(() -> "no room")).isInstanceOf(WorkRejectedException.class);
            assertThat(pool.heldBy("dave")).isEqualTo(1);
            release.countDown();
            awaitHeld(pool, "dave", 0);
        }
    }

    /** done() runs on the pool's thread right after the task; the caller's get() may return first. */
    private static void awaitHeld(BoundedWork pool, String caller, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.heldBy(caller) != expected && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(pool.heldBy(caller)).isEqualTo(expected);
    }

    @Test
    void aCallerWithAShareOfItsOwnHoldsThatManyAndOthersTheDefault() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (BoundedWork pool = new BoundedWork("snowflake", "sessions", 1, 8, false, 3, Duration.ofMinutes(1), 1,
                caller::get, () -> "rotation".equals(caller.get()) ? 3 : 1)) {
            pool.submit(() -> release.await(60, TimeUnit.SECONDS));
            caller.set("rotation");
            pool.submit(() -> "r1");
            pool.submit(() -> "r2");
            pool.submit(() -> "r3");
            assertThat(pool.heldBy("rotation")).isEqualTo(3);
            assertThatThrownBy(() -> pool.submit(() -> "r4")).isInstanceOf(CallerShareExceededException.class)
                    .hasMessageContaining("You already have 3 requests");
            caller.set("alice");
            pool.submit(() -> "a1");
            assertThatThrownBy(() -> pool.submit(() -> "a2")).isInstanceOf(CallerShareExceededException.class)
                    .hasMessageContaining("You already have 1 requests");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aDefaultShareIsAFractionOfThePoolAndAtLeastOne() {
        assertThat(WorkPools.fractionOf(16, 4, java.util.OptionalInt.empty())).isEqualTo(4);
        assertThat(WorkPools.fractionOf(8, 2, java.util.OptionalInt.empty())).isEqualTo(4);
        assertThat(WorkPools.fractionOf(1, 4, java.util.OptionalInt.empty())).isEqualTo(1);
        assertThat(WorkPools.fractionOf(16, 4, java.util.OptionalInt.of(0))).as("configured: no limit").isZero();
        assertThat(WorkPools.fractionOf(16, 4, java.util.OptionalInt.of(16))).isEqualTo(16);
    }
}
