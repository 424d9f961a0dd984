package dev.keyline.rotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.security.KeyPair;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyline.keys.RsaKeys;
import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.client.ConnectionServiceClient;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A connection-service that accepts a call and never answers (paused with SIGSTOP) no longer holds a rotation
 * worker for the REST client's read-timeout (630 s, three times over with the retries): a call that reaches
 * Snowflake is given up at its connection's bound (twice its {@code timeoutSecs} + 1.5 s + the 30 s margin:
 * 33.5 s for a connection of 1 s), as unavailable, which a run retries later.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class HungConnectionServiceTest extends OnRotationStack {

    @Inject
    ConnectionServiceClient client;

    @Test
    void aCallThatReachesSnowflakeIsGivenUpAtItsConnectionsBoundNotAtTheReadTimeout() {
        String user = "SVC_" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
        KeyPair key = RsaKeys.generate(2048);
        stack.snowflake().account(E2e.ACCOUNT).user(user).role("LOADER").rsaPublicKey(key.getPublic());
        // No key-admin connection, whose own timeout (20 s in these tests) would count too.
        Map<String, Object> body = e2e.connectionBody("hung-" + user, user, key.getPrivate(), null);
        body.put("timeoutSecs", 1);
        UUID id = UUID.fromString(e2e.createConnection(body));
        // While connection-service answers, the bound is read (and kept for a minute); the call itself is refused
        // (no key-admin connection to change slots with), which does not matter here.
        catchThrowableOfType(ConnectionServiceException.class, () -> client.keySlots(id));

        stack.connectionService().pause();
        try {
            long start = System.nanoTime();
            // Without the bound this waited 630 s; the preemptive timeout makes such a wait a failure, not a hang.
            ConnectionServiceException e = assertTimeoutPreemptively(Duration.ofSeconds(90),
                    () -> catchThrowableOfType(ConnectionServiceException.class, () -> client.unsetKeySlot(id, 2, null)));
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(e).as("the call's failure").isNotNull();
            assertThat(e.problemType()).isEqualTo(ConnectionServiceException.UNAVAILABLE);
            assertThat(e.transientFailure()).isTrue();
            assertThat(e.getMessage()).contains("did not answer within 33 s").contains("Retry later");
            assertThat(took).as("given up at the bound, not before").isGreaterThanOrEqualTo(Duration.ofSeconds(33));
        } finally {
            stack.connectionService().resume();
        }
    }
}
