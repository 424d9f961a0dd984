package dev.keyline.common.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

class ReadinessWarmUpTest {

    @Test
    void callsTheCheckOnceAndDiscardsItsAnswer() {
        AtomicInteger calls = new AtomicInteger();
        assertThat(ReadinessWarmUp.call(() -> {
            calls.incrementAndGet();
            return HealthCheckResponse.down("vault");
        })).isTrue();
        assertThat(calls).hasValue(1);
    }

    @Test
    void aCheckThatThrowsDoesNotStopTheWarmUp() {
        assertThat(ReadinessWarmUp.call(() -> {
            throw new IllegalStateException("vault unreachable");
        })).isFalse();
    }
}
