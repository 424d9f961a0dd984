package dev.keyline.rotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.keyline.common.work.BoundedWork;
import dev.keyline.rotation.ConnectionInfo;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.client.ConnectionServiceClient;
import dev.keyline.rotation.persistence.JdbcRunStore;
import dev.keyline.rotation.service.Backoff;
import dev.keyline.rotation.service.RotationEngine;
import dev.keyline.rotation.service.steps.KeyReserve;
import dev.keyline.rotation.service.steps.StepContext;
import dev.keyline.rotation.vault.PendingKeyVault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A rotation whose GENERATE takes a key from the {@link KeyReserve}, against the real
 * connection-service, Vault and Snowflake emulators: the run's new key is one the reserve held
 * (and no longer holds), and the rotation completes as with a key generated on demand (the key is
 * registered, the stored credential logs in with it, the old key is refused). The tests' profile
 * runs the app without a reserve, so this engine is a second replica ("replica-r", its own lease
 * owner) with its own reserve on the same database and services, as in {@link RestartMidRunTest}.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class ReservedKeyRotationTest extends OnRotationStack {

    @Inject
    ConnectionServiceClient connections;

    @Inject
    PendingKeyVault vault;

    @Inject
    DataSource dataSource;

    BoundedWork keyWork;
    KeyReserve reserve;

    @BeforeEach
    void setUp() {
        keyWork = new BoundedWork("keys", "key generation", 1, 4, false, 1, Duration.ofSeconds(5));
        reserve = new KeyReserve(2, 2048, 1000, keyWork);
    }

    @AfterEach
    void tearDown() {
        reserve.close();
        keyWork.close();
    }

    @Test
    void aRunTakesAReservedKeyAndTheRotationCompletes() {
        assertThat(reserve.fillOne()).isEqualTo(KeyReserve.Fill.ADDED);
        assertThat(reserve.fillOne()).isEqualTo(KeyReserve.Fill.ADDED);
        List<String> reserved = reserve.readyFingerprints();

        E2e.Svc svc = e2e.newConnection("reserved-key");
        ConnectionInfo info = connections.connection(UUID.fromString(svc.id()));
        JdbcRunStore replicaStore = new JdbcRunStore(dataSource);
        // Inserted already leased by replica-r, so this app's worker leaves it alone.
        RotationRun run = E2e.insertLeasedRun(replicaStore, svc, info, "replica-r", Duration.ofMinutes(2),
                "reserved-key-test");

        RotationEngine replica = new RotationEngine(
                new StepContext(connections, vault, replicaStore, Clock.systemUTC(), reserve),
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)), RotationEngine.Listener.NONE);
        for (int i = 0; i < 20 && !run.state.terminal(); i++) {
            replica.execute(run);
            if (!run.state.terminal()) {
                E2e.sleep(Math.max(0, Duration.between(Instant.now(), run.nextAttemptAt).toMillis()));
            }
        }

        assertThat(run.state).as("ended after %s (%s)", run.lastErrorType, run.lastErrorDetail).isEqualTo(RunState.DONE);
        assertThat(reserved).as("the run's key came from the reserve").contains(run.newFingerprint);
        assertThat(reserve.taken()).isEqualTo(1);
        assertThat(reserve.readyFingerprints()).as("taken out: never handed out again")
                .doesNotContain(run.newFingerprint).hasSize(1);
        assertThat(replicaStore.find(run.id).orElseThrow().newFingerprint).isEqualTo(run.newFingerprint);
        e2e.assertRotated(svc, svc.initialFingerprint(), run.newFingerprint, 2);
        assertThat(stack.rotationVault().secretPaths()).noneMatch(p -> p.contains(run.id.toString()));
    }
}
