package dev.keyline.common.work;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Concurrent calls with the same key share one execution: the first runs it, the others wait for
 * its result (or its exception). Why: ten people pressing "test" on one connection, or a dashboard
 * polling it, must cost one Snowflake login, not ten sessions in the pool.
 *
 * <p>
 * The key must name everything the result depends on (for a connection: its id, its credential
 * version and the operation), so a caller never receives an answer computed for other input. Joiners
 * wait as long as the leader, which is bounded by the leader's own deadline.
 */
public final class SingleFlight<K> {

    private final ConcurrentHashMap<K, CompletableFuture<Object>> inFlight = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();

    @SuppressWarnings("unchecked")
    public <T> T run(K key, Supplier<T> work) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            waiting.incrementAndGet();
            try {
                return (T) running.join();
            } catch (CompletionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException r) {
                    throw r;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw e;
            } finally {
                waiting.decrementAndGet();
            }
        }
        try {
            T result = work.get();
            mine.complete(result);
            return result;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(key, mine);
        }
    }

    /** Callers currently waiting for another caller's execution (for tests and gauges). */
    public int waiting() {
        return waiting.get();
    }
}
