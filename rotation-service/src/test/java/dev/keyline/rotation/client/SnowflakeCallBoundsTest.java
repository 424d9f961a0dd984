package dev.keyline.rotation.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.ws.rs.NotFoundException;

import org.junit.jupiter.api.Test;

import dev.keyline.rotation.service.MutableClock;

import io.smallrye.mutiny.Uni;

/** The bound a Snowflake-reaching call is awaited for, from the connection's and its key-admin's timeouts. */
class SnowflakeCallBoundsTest {

    static final Duration MARGIN = Duration.ofSeconds(30);
    static final Duration CAP = Duration.ofSeconds(630);

    final Map<UUID, Uni<ConnectionServiceApi.Connection>> answers = new HashMap<>();
    final List<UUID> reads = new ArrayList<>();
    final MutableClock clock = new MutableClock();
    final SnowflakeCallBounds bounds = new SnowflakeCallBounds(id -> {
        reads.add(id);
        return answers.getOrDefault(id, Uni.createFrom().failure(new NotFoundException()));
    }, MARGIN, CAP, clock);

    static ConnectionServiceApi.Connection connection(UUID id, Integer timeoutSecs, UUID keyAdmin) {
        return new ConnectionServiceApi.Connection(id, "c", timeoutSecs,
                new ConnectionServiceApi.Details("snowflake", "ACC", "U", "key-pair", null, 1, keyAdmin));
    }

    @Test
    void twiceTheTimeoutPlusTheGatewaysGraceAndTheMarginAtMostTheReadTimeout() {
        assertThat(SnowflakeCallBounds.bound(30, MARGIN, CAP)).isEqualTo(Duration.ofMillis(91_500));
        assertThat(SnowflakeCallBounds.bound(1, MARGIN, CAP)).isEqualTo(Duration.ofMillis(33_500));
        assertThat(SnowflakeCallBounds.bound(600, MARGIN, CAP)).isEqualTo(CAP);
        assertThat(SnowflakeCallBounds.bound(Integer.MAX_VALUE, MARGIN, CAP)).isEqualTo(CAP);
    }

    @Test
    void theLongerOfTheConnectionsAndItsKeyAdminsTimeoutCounts() {
        UUID id = UUID.randomUUID();
        UUID admin = UUID.randomUUID();
        answers.put(id, Uni.createFrom().item(connection(id, 10, admin)));
        answers.put(admin, Uni.createFrom().item(connection(admin, 40, null)));
        assertThat(bounds.of(id)).isEqualTo(Duration.ofMillis(111_500));

        // Another connection of the same key-admin within the minute: the key-admin is not read again.
        UUID other = UUID.randomUUID();
        answers.put(other, Uni.createFrom().item(connection(other, 10, admin)));
        assertThat(bounds.of(other)).isEqualTo(Duration.ofMillis(111_500));
        assertThat(reads).containsExactly(id, admin, other);

        // A minute later both are read anew.
        clock.advance(Duration.ofSeconds(61));
        answers.put(admin, Uni.createFrom().item(connection(admin, 5, null)));
        assertThat(bounds.of(other)).isEqualTo(Duration.ofMillis(51_500));
        assertThat(reads).containsExactly(id, admin, other, other, admin);
    }

    @Test
    void readOnceAMinutePerConnection() {
        UUID id = UUID.randomUUID();
        answers.put(id, Uni.createFrom().item(connection(id, 20, null)));
        assertThat(bounds.of(id)).isEqualTo(Duration.ofMillis(71_500));
        answers.put(id, Uni.createFrom().item(connection(id, 60, null)));
        clock.advance(Duration.ofSeconds(59));
        assertThat(bounds.of(id)).isEqualTo(Duration.ofMillis(71_500));
        assertThat(reads).hasSize(1);
        clock.advance(Duration.ofSeconds(2));
        assertThat(bounds.of(id)).isEqualTo(Duration.ofMillis(151_500));
        assertThat(reads).hasSize(2);
    }

    @Test
    void anUnknownTimeoutOrAnUnreadableKeyAdminWaitsTheLongest() {
        UUID old = UUID.randomUUID();
        answers.put(old, Uni.createFrom().item(connection(old, null, null)));
        assertThat(bounds.of(old)).isEqualTo(CAP);

        UUID orphan = UUID.randomUUID();
        answers.put(orphan, Uni.createFrom().item(connection(orphan, 10, UUID.randomUUID())));
        assertThat(bounds.of(orphan)).isEqualTo(CAP);
    }

    @Test
    void aConnectionThatCannotBeReadFailsTheCallAsTheCallWould() {
        assertThatThrownBy(() -> bounds.of(UUID.randomUUID())).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aPeerThatDoesNotAnswerTheReadFailsWithinTheReadBound() {
        // Uni.nothing() never answers; the clock of atMost is the real one, so the read bound is shortened here.
        assertThat(SnowflakeCallBounds.READ_BOUND).isLessThanOrEqualTo(Duration.ofSeconds(30));
        SnowflakeCallBounds silent = new SnowflakeCallBounds(id -> Uni.createFrom().nothing(), MARGIN, CAP, clock,
                Duration.ofMillis(200));
        assertThatThrownBy(() -> silent.of(UUID.randomUUID())).isInstanceOf(io.smallrye.mutiny.TimeoutException.class);
    }
}
