package dev.keyline.rotation.service;

import dev.keyline.common.problem.ProblemException;

/**
 * 503 {@code connection-service-unavailable} with {@code Retry-After}, as every 503 of the project: connection-service
 * did not answer, answered 5xx, or its circuit breaker is open (it is not even called for {@value #RETRY_AFTER_SECONDS}
 * s, the breaker's delay).
 */
class ConnectionServiceUnavailable extends ProblemException {

    static final int RETRY_AFTER_SECONDS = 5;

    ConnectionServiceUnavailable(String detail) {
        super(503, "connection-service-unavailable", "connection-service unavailable", detail);
    }

    @Override
    public Integer retryAfterSeconds() {
        return RETRY_AFTER_SECONDS;
    }
}
