package dev.keyline.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.List;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.junit.jupiter.api.Test;

import dev.keyline.rotation.ConnectionServiceException;

/**
 * connection-service's answers about Snowflake (504 snowflake-timeout, 502 snowflake-unreachable) are retried
 * but never open a circuit breaker: the breakers are about connection-service itself, and one account with a
 * slow Snowflake used to open them for every connection's runs ("circuit breaker is open").
 */
class SnowflakeSideFailureTest {

    @Test
    void snowflakeProblemsAreSnowflakeSideAndStillRetried() {
        ConnectionServiceException timeout = ConnectionServiceCalls.classify(504,
                "urn:keyline:problem:snowflake-timeout", "no answer from Snowflake");
        assertThat(timeout).isInstanceOf(ConnectionServiceCalls.SnowflakeSideFailure.class)
                .isInstanceOf(ConnectionServiceCalls.RetriableException.class);
        assertThat(ConnectionServiceCalls.classify(502, "urn:keyline:problem:snowflake-unreachable", "x"))
                .isInstanceOf(ConnectionServiceCalls.SnowflakeSideFailure.class);
    }

    @Test
    void connectionServicesOwnFailuresStillCount() {
        for (String type : new String[] { "urn:keyline:problem:internal-error", "urn:keyline:problem:busy",
                "urn:keyline:problem:database-unavailable", null }) {
            assertThat(ConnectionServiceCalls.classify(503, type, "x"))
                    .isInstanceOf(ConnectionServiceCalls.RetriableException.class)
                    .isNotInstanceOf(ConnectionServiceCalls.SnowflakeSideFailure.class);
        }
        // A refusal about Snowflake's content (422) is no outage at all.
        assertThat(ConnectionServiceCalls.classify(422, "urn:keyline:problem:snowflake-role-not-granted", "x"))
                .isNotInstanceOf(ConnectionServiceCalls.RetriableException.class);
    }

    @Test
    void everyCircuitBreakerSkipsSnowflakeSideFailures() {
        List<Method> guarded = Arrays.stream(ConnectionServiceCalls.class.getDeclaredMethods())
                .filter(m -> m.isAnnotationPresent(CircuitBreaker.class)).toList();
        assertThat(guarded).isNotEmpty();
        for (Method m : guarded) {
            assertThat(m.getAnnotation(CircuitBreaker.class).skipOn()).as(m.getName())
                    .contains(ConnectionServiceCalls.SnowflakeSideFailure.class);
        }
    }
}
