package dev.keyline.common.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Singleton;

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
    void onlyInstancesMadeForTheWarmUpAreDestroyed() {
        assertThat(ReadinessWarmUp.createdForTheWarmUp(Dependent.class)).isTrue();
        assertThat(ReadinessWarmUp.createdForTheWarmUp(ApplicationScoped.class)).isFalse();
        assertThat(ReadinessWarmUp.createdForTheWarmUp(Singleton.class)).isFalse();
    }

    @Test
    void aCheckThatThrowsDoesNotStopTheWarmUp() {
        assertThat(ReadinessWarmUp.call(() -> {
            throw new IllegalStateException("vault unreachable");
        })).isFalse();
    }
}
