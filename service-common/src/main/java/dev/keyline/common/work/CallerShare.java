package dev.keyline.common.work;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * How many of one kind of task each caller (token subject) holds at once, and the refusal past its
 * share: {@link CallerShareExceededException}, a 429. Why: work that is first come, first served
 * (a pool's queue, the request threads) is otherwise taken by whoever asks most, and everyone else
 * waits behind it.
 */
public final class CallerShare {

    private final String name;
    private final String what;
    private final int perCaller;
    private final int retryAfterSeconds;
    /** Tasks held per caller; a caller without any has no entry. */
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();

    /**
     * @param name              short name ({@code keys}, {@code exchanges}) for the 429 detail and metrics
     * @param what              what the tasks do, for the 429 detail ("key parsing")
     * @param perCaller         tasks one caller may hold at once; 0 for no limit
     * @param retryAfterSeconds the {@code Retry-After} a refused caller is told
     */
    public CallerShare(String name, String what, int perCaller, int retryAfterSeconds) {
        if (perCaller < 0) {
            throw new IllegalArgumentException("share " + name + " must not be negative");
        }
        this.name = name;
        this.what = what;
        this.perCaller = perCaller;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** The share of a caller without a share of its own. */
    public int perCaller() {
        return perCaller;
    }

    /** Whether there is a limit at all. */
    public boolean limited() {
        return perCaller > 0;
    }

    /**
     * Counts one more task for {@code caller}; every successful take needs one {@link #giveBack}.
     * A null caller (the service's own work) and an unlimited share are not counted.
     *
     * @throws CallerShareExceededException when the caller already holds its share
     */
    public void take(String caller) {
        take(caller, perCaller);
    }

    /**
     * As {@link #take(String)}, with the share this caller has ({@code limit}, 0 for no limit) instead of
     * the default one: a pool may give a configured service account (one identity serving every replica
     * of a peer service) a larger share than a person's.
     */
    public void take(String caller, int limit) {
        if (caller == null || perCaller == 0 || limit == 0) {
            return;
        }
        boolean[] taken = { false };
        held.compute(caller, (c, n) -> {
            int now = n == null ? 0 : n;
            if (now >= limit) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            refused.incrementAndGet();
            throw new CallerShareExceededException(name, what, limit, retryAfterSeconds);
        }
    }

    /** One task of {@code caller} ended; null and an unlimited share are ignored, as in {@link #take}. */
    public void giveBack(String caller) {
        if (caller == null || perCaller == 0) {
            return;
        }
        held.computeIfPresent(caller, (c, n) -> n <= 1 ? null : n - 1);
    }

    /**
     * Runs {@code work} counted to {@code caller}'s share, given back however it ends.
     *
     * @throws CallerShareExceededException when the caller already holds its share (work not run)
     */
    public <T> T call(String caller, Supplier<T> work) {
        take(caller);
        try {
            return work.get();
        } finally {
            giveBack(caller);
        }
    }

    /** Tasks {@code caller} holds now. */
    public int heldBy(String caller) {
        return held.getOrDefault(caller, 0);
    }

    /** Takes refused with 429 because the caller held its share. */
    public long refused() {
        return refused.get();
    }
}
