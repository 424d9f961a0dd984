package dev.keyline.common.work;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import dev.keyline.common.logging.MdcHandover;

/**
 * A pool for one kind of heavy work (key derivation, RSA generation, Snowflake sessions): a fixed
 * number of threads and a bounded queue. When both are taken a submission is refused at once with
 * {@link WorkRejectedException} (503 + {@code Retry-After}) instead of waiting without end.
 *
 * <p>
 * Why: work that one request can make expensive (a KDF, a login to an endpoint that never answers)
 * must not be able to take every thread of the service; with its own small pool it can only fill
 * that pool, and cheap requests (lists, reads, health) keep their threads.
 *
 * <p>
 * Saturation is tracked as "the queue has been full, without a task leaving it, since …", so a
 * readiness check can turn DOWN when a pool is stuck rather than merely busy ({@link #saturated}).
 *
 * <p>
 * A pool may also limit what one caller holds of it (running and waiting, {@code perCaller}): past
 * that the caller gets {@link CallerShareExceededException} (429). Why: the queue is first come,
 * first served, so without a share one caller sending costly work (keys at the KDF ceiling) could
 * fill it and make every other caller's key work wait behind all of it, or be refused.
 */
public final class BoundedWork implements AutoCloseable {

    /** A snapshot of the pool's load, for readiness data and gauges. */
    public record Load(String pool, int threads, int active, int queued, int queueCapacity, long rejected,
            Duration fullFor) {
    }

    private final String name;
    private final String what;
    private final int threads;
    private final int queueCapacity;
    private final int retryAfterSeconds;
    private final Duration saturatedAfter;
    private final ThreadPoolExecutor executor;
    private final AtomicLong rejected = new AtomicLong();
    private final CallerShare share;
    private final Supplier<String> currentCaller;
    /** The current caller's share, asked on the submitting thread (a service account's may be larger). */
    private final IntSupplier currentShare;
    /** System.nanoTime() when the queue was last seen full with no task taken since; 0 when not full. */
    private final AtomicLong fullSince = new AtomicLong();

    /**
     * @param name              short pool name ({@code keys}, {@code snowflake}): thread names, metrics, health
     * @param what              what the pool does, for the 503 detail ("key parsing")
     * @param threads           at least 1
     * @param queue             waiting tasks beyond the running ones, at least 0
     * @param virtualThreads    virtual threads: blocking socket I/O on them is interrupted by
     *                          {@link java.util.concurrent.Future#cancel(boolean) cancel(true)}, which
     *                          closes the socket (how a Snowflake attempt past its deadline is stopped)
     * @param retryAfterSeconds the {@code Retry-After} a refused client is told
     * @param saturatedAfter    how long the queue must stay full before {@link #saturated} says so
     */
    public BoundedWork(String name, String what, int threads, int queue, boolean virtualThreads, int retryAfterSeconds,
            Duration saturatedAfter) {
        this(name, what, threads, queue, virtualThreads, retryAfterSeconds, saturatedAfter, 0, () -> null);
    }

    /**
     * A pool that limits each caller's share; the other parameters as {@link #BoundedWork(String, String, int,
     * int, boolean, int, Duration) above}.
     *
     * @param perCaller     tasks one caller may have running or waiting at once; 0 for no limit
     * @param currentCaller who is submitting, asked on the submitting thread; null for work of no caller
     *                      (the service's own), which only the pool's size limits
     */
    public BoundedWork(String name, String what, int threads, int queue, boolean virtualThreads, int retryAfterSeconds,
            Duration saturatedAfter, int perCaller, Supplier<String> currentCaller) {
        this(name, what, threads, queue, virtualThreads, retryAfterSeconds, saturatedAfter, perCaller, currentCaller,
                () -> perCaller);
    }

    /**
     * As above, with the share of the submitting caller asked per submission ({@code currentShare}, on the
     * submitting thread; 0 for no limit): a configured service account may hold more than a person.
     */
    public BoundedWork(String name, String what, int threads, int queue, boolean virtualThreads, int retryAfterSeconds,
            Duration saturatedAfter, int perCaller, Supplier<String> currentCaller, IntSupplier currentShare) {
        if (threads < 1 || queue < 0 || perCaller < 0) {
            throw new IllegalArgumentException("pool " + name + " needs at least 1 thread and a queue of at least 0");
        }
        this.name = name;
        this.what = what;
        this.threads = threads;
        this.queueCapacity = queue;
        this.retryAfterSeconds = retryAfterSeconds;
        this.saturatedAfter = saturatedAfter;
        this.share = new CallerShare(name, what, perCaller, retryAfterSeconds);
        this.currentCaller = currentCaller;
        this.currentShare = currentShare;
        BlockingQueue<Runnable> q = queue == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(queue);
        ThreadFactory factory = virtualThreads ? Thread.ofVirtual().name(name + "-", 0).factory()
                : Thread.ofPlatform().daemon().name(name + "-", 0).factory();
        executor = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, q, factory,
                new ThreadPoolExecutor.AbortPolicy()) {
            @Override
            protected void beforeExecute(Thread t, Runnable r) {
                // A task left the queue (or went straight to a thread): the queue is not stuck.
                fullSince.set(0);
                super.beforeExecute(t, r);
            }
        };
        executor.allowCoreThreadTimeOut(true);
    }

    public String name() {
        return name;
    }

    /**
     * Queues {@code task}; the returned future runs it on a pool thread, in the caller's trace
     * context (so a Snowflake login on the pool is a child of the request that asked for it) and
     * with the caller's log context (its lines name the request's subject and trace).
     *
     * @throws WorkRejectedException when every thread is busy and the queue is full
     * @throws CallerShareExceededException when the caller already holds its share of the pool
     */
    public <T> FutureTask<T> submit(Callable<T> task) {
        if (!share.limited()) {
            return submit(task, null, 0);
        }
        return submit(task, currentCaller.get(), currentShare.getAsInt());
    }

    /**
     * Runs {@code task} on the pool and waits, not counted to the caller's share: for work whose cost
     * the caller did not choose (a key this service stored, whose cost was accepted when it was
     * stored, parsed once and cached), so that a burst of cheap reads is never refused with 429.
     *
     * @throws WorkRejectedException when the pool is full
     */
    public <T> T callUncounted(Callable<T> task) {
        return join(submit(task, null, 0));
    }

    private <T> FutureTask<T> submit(Callable<T> task, String caller, int callerShare) {
        share.take(caller, callerShare);
        FutureTask<T> future = new FutureTask<>(
                MdcHandover.wrap(io.opentelemetry.context.Context.current().wrap(task))) {
            @Override
            protected void done() {
                // Ran, failed or was cancelled (a queued task too): its place is the caller's again.
                share.giveBack(caller);
            }
        };
        try {
            executor.execute(future);
        } catch (RejectedExecutionException e) {
            share.giveBack(caller); // never queued, so never done
            rejected.incrementAndGet();
            markFull();
            throw new WorkRejectedException(name, what, retryAfterSeconds);
        }
        if (queueCapacity > 0 && executor.getQueue().remainingCapacity() == 0) {
            markFull();
        }
        return future;
    }

    /**
     * Runs {@code task} on the pool and waits for it. Its unchecked exceptions (a 400 problem, say)
     * reach the caller unchanged.
     *
     * @throws WorkRejectedException when the pool is full
     */
    public <T> T call(Callable<T> task) {
        return join(submit(task));
    }

    /**
     * Waits for a task {@link #submit submitted} earlier, so the caller can do other work meanwhile.
     * Its unchecked exceptions reach the caller unchanged; an interrupted wait cancels it.
     */
    public <T> T join(FutureTask<T> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            cancel(future);
            Thread.currentThread().interrupt();
            throw new CancellationException("interrupted while waiting for pool " + name);
        } catch (ExecutionException e) {
            throw unwrap(e);
        }
    }

    /**
     * Stops a task: a queued one is removed (its slot frees at once), a running one is interrupted
     * (on a virtual thread that closes a socket it is blocked on).
     */
    public void cancel(FutureTask<?> future) {
        future.cancel(true);
        if (executor.remove(future)) {
            fullSince.set(0);
        }
    }

    /** The cause of a failed task as an unchecked exception, unchanged when it is one. */
    public static RuntimeException unwrap(ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IllegalStateException("work failed: " + (cause == null ? "?" : cause.getClass().getName()), cause);
    }

    /** The {@code Retry-After} a refused client is told. */
    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }

    /**
     * Counts a task that was accepted into the queue but never got a thread before its submitter's
     * deadline (and was dropped): a refusal for lack of room as much as one at submission
     * ({@code keyline_work_rejected_total}).
     */
    public void countRejected() {
        rejected.incrementAndGet();
    }

    /** Tasks {@code caller} has running or waiting in this pool now. */
    public int heldBy(String caller) {
        return share.heldBy(caller);
    }

    /** Submissions refused with 429 because their caller held its share ({@code perCaller}). */
    public long callerRefused() {
        return share.refused();
    }

    /** Whether the queue has been full, with no task leaving it, for longer than the saturation window. */
    public boolean saturated() {
        return fullFor().compareTo(saturatedAfter) > 0;
    }

    public Duration saturatedAfter() {
        return saturatedAfter;
    }

    public Load load() {
        return new Load(name, threads, executor.getActiveCount(), executor.getQueue().size(), queueCapacity,
                rejected.get(), fullFor());
    }

    private Duration fullFor() {
        long since = fullSince.get();
        if (since == 0) {
            return Duration.ZERO;
        }
        if (queueCapacity > 0 && executor.getQueue().remainingCapacity() > 0) {
            // Cancelled tasks were removed, or tasks left: not full any more.
            fullSince.compareAndSet(since, 0);
            return Duration.ZERO;
        }
        if (queueCapacity == 0 && executor.getActiveCount() < threads) {
            fullSince.compareAndSet(since, 0);
            return Duration.ZERO;
        }
        return Duration.ofNanos(System.nanoTime() - since);
    }

    private void markFull() {
        long now = System.nanoTime();
        fullSince.compareAndSet(0, now == 0 ? 1 : now);
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }

    @Override
    public String toString() {
        return "BoundedWork[" + name + ", threads=" + threads + ", queue=" + queueCapacity + "]";
    }
}
