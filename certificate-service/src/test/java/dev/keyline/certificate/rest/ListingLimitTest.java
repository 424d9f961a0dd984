package dev.keyline.certificate.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import dev.keyline.common.work.WorkRejectedException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/** Lists beyond the bound are refused at once (503 busy, Retry-After), and every permit comes back. */
class ListingLimitTest {

    @Test
    void aListBeyondTheBoundIsRefusedAtOnceAndCounted() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        ListingLimit limit = new ListingLimit();
        limit.limit(2, 3, meters);
        CountDownLatch inside = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try {
            Future<String> first = threads.submit(() -> limit.call(() -> hold(inside, release)));
            Future<String> second = threads.submit(() -> limit.call(() -> hold(inside, release)));
            assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> limit.call(() -> "third"))
                    .isInstanceOfSatisfying(WorkRejectedException.class, e -> {
                        assertThat(e.status()).isEqualTo(503);
                        assertThat(e.slug()).isEqualTo("busy");
                        assertThat(e.retryAfterSeconds()).isEqualTo(3);
                    });
            assertThat(meters.counter("keyline.certificate.list.refused").count()).isEqualTo(1.0);

            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("held");
            assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo("held");
            assertThat(limit.call(() -> "after")).isEqualTo("after");
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aFailingListGivesItsPermitBack() {
        ListingLimit limit = new ListingLimit();
        limit.limit(1, 2, new SimpleMeterRegistry());
        assertThatThrownBy(() -> limit.call(() -> {
            throw new IllegalStateException("database down");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(limit.call(() -> "next")).isEqualTo("next");
    }

    private static String hold(CountDownLatch inside, CountDownLatch release) {
        inside.countDown();
        try {
            release.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "held";
    }
}
