package dev.keyline.common.work;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SingleFlightTest {

    /** One thread per caller: the common pool may have a single thread on a small machine. */
    private static final ExecutorService THREADS = Executors.newVirtualThreadPerTaskExecutor();

    @Test
    void concurrentCallersOfOneKeyShareOneExecutionAndOtherKeysRunTheirOwn() throws Exception {
        SingleFlight<String> flights = new SingleFlight<>();
        AtomicInteger executions = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CompletableFuture<String> leader = CompletableFuture.supplyAsync(() -> flights.run("c1:v1:test", () -> {
            executions.incrementAndGet();
            started.countDown();
            await(release);
            return "result";
        }), THREADS);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<String> joiner = CompletableFuture.supplyAsync(() -> flights.run("c1:v1:test", () -> {
            executions.incrementAndGet();
            return "own";
        }), THREADS);
        while (flights.waiting() < 1) {
            Thread.sleep(1);
        }
        assertThat(flights.run("c1:v2:test", () -> "other version")).isEqualTo("other version");

        release.countDown();
        assertThat(leader.get(10, TimeUnit.SECONDS)).isEqualTo("result");
        assertThat(joiner.get(10, TimeUnit.SECONDS)).isEqualTo("result");
        assertThat(executions).hasValue(1);
        // Finished: the next call runs again.
        assertThat(flights.run("c1:v1:test", () -> "fresh")).isEqualTo("fresh");
    }

    @Test
    void aJoinerGetsTheLeadersException() throws Exception {
        SingleFlight<String> flights = new SingleFlight<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        IllegalStateException failure = new IllegalStateException("timeout");
        CompletableFuture<Object> leader = CompletableFuture.supplyAsync(() -> flights.run("k", () -> {
            started.countDown();
            await(release);
            throw failure;
        }), THREADS);
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<Object> joiner = CompletableFuture.supplyAsync(() -> flights.run("k", () -> "own"), THREADS);
        while (flights.waiting() < 1) {
            Thread.sleep(1);
        }
        release.countDown();
        assertThatThrownBy(joiner::join).hasCause(failure);
        assertThatThrownBy(leader::join).hasCause(failure);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
