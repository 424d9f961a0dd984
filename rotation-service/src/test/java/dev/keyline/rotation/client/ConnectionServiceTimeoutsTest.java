package dev.keyline.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.Properties;
import java.util.Set;

import org.eclipse.microprofile.faulttolerance.Timeout;
import org.junit.jupiter.api.Test;

/**
 * A call that reaches Snowflake must wait longer than connection-service's own deadline for it, so that a slow
 * Snowflake reaches a run as connection-service's clear 504 {@code snowflake-timeout}, not as a timeout of ours
 * (a REGISTER used to log {@code RETRY TimeoutException} after 30 s while connection-service's deadline was the
 * connection's {@code timeoutSecs} + 1.5 s, 31.5 s by default).
 */
class ConnectionServiceTimeoutsTest {

    /** connection-service: a connection's timeoutSecs is 1-600; SnowflakeGateway adds 1.5 s to it. */
    static final Duration LONGEST_SNOWFLAKE_DEADLINE = Duration.ofSeconds(600).plusMillis(1500);

    static final Set<String> REACH_SNOWFLAKE = Set.of("keySlots", "setKeySlot", "unsetKeySlot", "checkKey",
            "swapCredentials", "test");

    static final Set<String> STAY_IN_CONNECTION_SERVICE = Set.of("connection", "manageable", "keyHolders");

    @Test
    void callsThatReachSnowflakeOutlastConnectionServicesDeadline() throws Exception {
        Duration readTimeout = readTimeout();
        assertThat(readTimeout).as("the REST client's read-timeout").isGreaterThan(LONGEST_SNOWFLAKE_DEADLINE);
        for (String name : REACH_SNOWFLAKE) {
            Method m = method(name);
            Timeout t = m.getAnnotation(Timeout.class);
            if (t != null) {
                assertThat(Duration.of(t.value(), t.unit())).as("@Timeout of %s", name)
                        .isGreaterThan(LONGEST_SNOWFLAKE_DEADLINE);
            }
        }
    }

    @Test
    void callsThatStayInConnectionServiceKeepAShortBound() throws Exception {
        Duration readTimeout = readTimeout();
        for (String name : STAY_IN_CONNECTION_SERVICE) {
            Timeout t = method(name).getAnnotation(Timeout.class);
            assertThat(t).as("@Timeout of %s", name).isNotNull();
            assertThat(Duration.of(t.value(), t.unit())).isLessThanOrEqualTo(Duration.ofSeconds(30))
                    .isLessThan(readTimeout);
        }
    }

    private static Method method(String name) {
        return Arrays.stream(ConnectionServiceCalls.class.getDeclaredMethods()).filter(m -> m.getName().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no method " + name));
    }

    private static Duration readTimeout() throws Exception {
        Properties p = new Properties();
        try (InputStream in = ConnectionServiceTimeoutsTest.class.getResourceAsStream("/application.properties")) {
            p.load(in);
        }
        return Duration.ofMillis(Long.parseLong(p.getProperty("quarkus.rest-client.connection-service.read-timeout")));
    }
}
