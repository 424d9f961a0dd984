package dev.keyline.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Callers that wait at the same time, for the tests of the bounded work pools and per-caller shares:
 * each call on a virtual thread of its own, all of them stopped after the test class. A test class
 * registers one as a static {@code @RegisterExtension} field.
 */
public final class ConcurrentClients implements AfterAllCallback {

    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    /** {@code call} on a thread of its own; its answer when it has one. */
    public <T> CompletableFuture<T> send(Supplier<T> call) {
        return CompletableFuture.supplyAsync(call, threads);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        threads.shutdownNow();
    }

    /** Waits until {@code condition} holds, looking every 10 ms; fails after 30 s. */
    public static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in 30 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
