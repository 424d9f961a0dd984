package dev.keyline.common.work;

import dev.keyline.common.problem.ProblemException;

/**
 * A {@link BoundedWork} pool's threads are busy and its queue is full: 503 problem+json with
 * {@code Retry-After}. Refusing at once is the point: a queue without end would make every later
 * request of the service wait behind the heavy ones, and the client could not tell a stall from a
 * slow answer.
 */
public class WorkRejectedException extends ProblemException {

    private final String pool;
    private final int retryAfterSeconds;

    public WorkRejectedException(String pool, String what, int retryAfterSeconds) {
        super(503, "busy", "Busy", "This service is at its limit for " + what + " (pool '" + pool
                + "'); nothing was changed. Retry in " + retryAfterSeconds + " s.");
        this.pool = pool;
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public String pool() {
        return pool;
    }

    @Override
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
