package dev.keyline.rotation.service;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.keyline.rotation.PolicyRepository;
import dev.keyline.rotation.PolicyRepository.Upcoming;
import dev.keyline.rotation.service.steps.KeyReserve;
import io.quarkus.runtime.configuration.DurationConverter;

/**
 * What falls due soon, read on every scheduler round (one indexed query). Two uses:
 * <ul>
 * <li>The key reserve is sized to the scheduled rotations due within {@code work.key-reserve-ahead},
 * so a burst of them (say every connection's policy firing at 02:00) takes keys made in the idle
 * minutes before it instead of spending the burst on RSA generations: in the bench, generation was
 * a third of the stack's CPU in a burst of 100 (bench/README.md).
 * <li>The worker is woken at the next due time when that comes before its next poll, so a due
 * rotation starts when it is due rather than up to one poll interval later.
 * </ul>
 * Called from the worker's tick only, which never runs twice at once.
 */
final class ScheduleLookAhead {

    /** {@link PolicyRepository#upcoming}. */
    @FunctionalInterface
    interface UpcomingPolicies {
        Upcoming upcoming(Instant now, Instant until, int keySize);
    }

    private final UpcomingPolicies policies;
    private final KeyReserve reserve;
    private final Duration ahead;
    private final Duration poll;
    private final Runnable wake;
    /** The due time a wake-up is set for, if one is; only the tick thread sets it. */
    private volatile Instant wakeAt;

    ScheduleLookAhead(UpcomingPolicies policies, KeyReserve reserve, Duration ahead, Duration poll, Runnable wake) {
        this.policies = policies;
        this.reserve = reserve;
        this.ahead = ahead;
        this.poll = poll;
        this.wake = wake;
    }

    /**
     * {@code worker.poll} as a duration. quarkus-scheduler also takes {@code off} / {@code disabled}
     * there (no polling): then zero, so no wake-up is ever set and due rotations wait for whatever
     * else starts a round, as without this class.
     */
    static Duration pollInterval(String poll) {
        try {
            return DurationConverter.parseDuration(poll);
        } catch (IllegalArgumentException e) {
            return Duration.ZERO;
        }
    }

    void update(Instant now) {
        Upcoming upcoming = policies.upcoming(now, now.plus(ahead), reserve.keySize());
        reserve.expect(ahead.isZero() ? 0 : upcoming.dueBy());
        upcoming.nextAfterNow().filter(due -> due.isBefore(now.plus(poll))).ifPresent(due -> wakeAt(due, now));
    }

    private void wakeAt(Instant due, Instant now) {
        Instant set = wakeAt;
        if (set != null && set.isAfter(now) && !set.isAfter(due)) {
            return; // a wake-up at or before this due time is coming
        }
        wakeAt = due;
        // A millisecond late rather than early: a tick before the due time would find nothing due.
        long delay = Duration.between(now, due).toMillis() + 1;
        CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(wake);
    }
}
