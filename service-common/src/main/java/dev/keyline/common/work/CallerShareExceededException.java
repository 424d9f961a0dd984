package dev.keyline.common.work;

import dev.keyline.common.problem.ProblemException;

/**
 * One caller already has its share of a {@link BoundedWork} pool running or waiting: 429
 * problem+json with {@code Retry-After}. Not a 503: the service has room for others, it is this
 * caller that is asking for more than its turn.
 */
public class CallerShareExceededException extends ProblemException {

    /**
     * The problem's slug. A refusal before any work is counted ({@code keyline_work_caller_refused_total})
     * but not audited row by row: see {@link dev.keyline.common.audit.AuditTrail#audited}.
     */
    public static final String SLUG = "too-many-requests";

    private final int retryAfterSeconds;

    public CallerShareExceededException(String pool, String what, int share, int retryAfterSeconds) {
        super(429, SLUG, "Too many requests", "You already have " + share + " requests for " + what
                + " running or waiting (pool '" + pool + "'), as many as one caller may, so that others get their turn; "
                + "nothing was changed. Retry in " + retryAfterSeconds + " s.");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    @Override
    public Integer retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
