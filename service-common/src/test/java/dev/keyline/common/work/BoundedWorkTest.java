package dev.keyline.common.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class BoundedWorkTest {

    @Test
    void aFullPoolRefusesAtOnceWithRetryAfterAndIsSaturatedUntilATaskLeavesTheQueue() throws Exception {
        try (BoundedWork pool = new BoundedWork("keys", "key parsing", 1, 1, false, 7, Duration.ZERO)) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            FutureTask<String> first = pool.submit(() -> {
                running.countDown();
                release.await();
                return "first";
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            FutureTask<String> queued = pool.submit(() -> "queued");
            assertThat(pool.load().queued()).isEqualTo(1);

            assertThatThrownBy(() -> pool.submit(() -> "refused")).isInstanceOfSatisfying(WorkRejectedException.class, e -> {
                assertThat(e.status()).isEqualTo(503);
                assertThat(e.slug()).isEqualTo("busy");
                assertThat(e.retryAfterSeconds()).isEqualTo(7);
                assertThat(e.pool()).isEqualTo("keys");
            });
            assertThat(pool.load().rejected()).isEqualTo(1);
            Thread.sleep(2); // the window is zero: any time at all with a full queue is saturation
            assertThat(pool.saturated()).isTrue();

            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
            assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo("queued");
            assertThat(pool.saturated()).isFalse();
            assertThat(pool.call(() -> "again")).isEqualTo("again");
        }
    }

    @Test
    void cancellingAQueuedTaskFreesItsSlotAndARunningOneIsInterrupted() throws Exception {
        try (BoundedWork pool = new BoundedWork("snowflake", "Snowflake sessions", 1, 1, true, 1, Duration.ofMinutes(1))) {
            CountDownLatch running = new CountDownLatch(1);
            CountDownLatch interrupted = new CountDownLatch(1);
            FutureTask<Void> blocked = pool.submit(() -> {
                running.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                }
                return null;
            });
            assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
            FutureTask<String> queued = pool.submit(() -> "never");
            pool.cancel(queued);
            assertThat(pool.load().queued()).isZero();
            FutureTask<String> next = pool.submit(() -> "next");

            pool.cancel(blocked);
            assertThat(interrupted.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(next.get(10, TimeUnit.SECONDS)).isEqualTo("next");
            assertThat(queued.isCancelled()).isTrue();
        }
    }

    @Test
    void aTasksOwnExceptionReachesTheCallerUnchanged() {
        try (BoundedWork pool = new BoundedWork("keys", "key parsing", 1, 0, false, 1, Duration.ofSeconds(5))) {
            IllegalArgumentException thrown = new IllegalArgumentException("bad key");
            assertThatThrownBy(() -> pool.call(() -> {
                throw thrown;
            })).isSameAs(thrown);
        }
    }
}
