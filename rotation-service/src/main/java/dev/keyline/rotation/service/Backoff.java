package dev.keyline.rotation.service;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Capped exponential backoff with "equal jitter": half fixed, half random. */
public record Backoff(Duration base, Duration max) {

    /** Delay before attempt number {@code failures + 1}, {@code failures >= 1}. */
    public Duration delay(int failures) {
        long baseMs = Math.max(1, base.toMillis());
        long exp = baseMs << Math.min(Math.max(failures - 1, 0), 20);
        long capped = Math.min(exp, max.toMillis());
        long half = capped / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
