package dev.keyline.rotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyline.common.work.BoundedWork;
import dev.keyline.rotation.ConnectionInfo;
import dev.keyline.rotation.ConnectionPort;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.SlotsView;
import dev.keyline.rotation.client.ConnectionServiceClient;
import dev.keyline.rotation.persistence.JdbcRunStore;
import dev.keyline.rotation.service.Backoff;
import dev.keyline.rotation.service.RotationEngine;
import dev.keyline.rotation.service.steps.StepContext;
import dev.keyline.rotation.vault.PendingKeyVault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A rotation-service replica dying between a remote change and its save, with the real services
 * (connection-service killed at every step is in {@link FaultAtEveryStepTest}, real rotation-service
 * processes killed in {@code TwoInstancesIT}):
 * <ul>
 * <li>a rotation-service replica ("replica-a", its own lease owner, engine and store on the same
 * database, connection-service and Vault) dies right after REGISTER took effect in Snowflake but
 * before it persisted the step; this app's worker (another lease owner) takes the run over once
 * the lease expired and resumes from the persisted step.
 * </ul>
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class RestartMidRunTest extends OnRotationStack {

    @Inject
    ConnectionServiceClient connections;

    @Inject
    PendingKeyVault vault;

    @Inject
    DataSource dataSource;

    /** A process death: not a RuntimeException, so the engine neither saves nor retries. */
    static final class ReplicaDied extends Error {
        ReplicaDied() {
            super("replica-a died");
        }
    }

    @Test
    void replicaDiedAfterRegisterAnotherReplicaResumesAfterTheLeaseExpired() {
        E2e.Svc svc = e2e.newConnection("replica-crash");
        ConnectionInfo info = connections.connection(UUID.fromString(svc.id()));
        JdbcRunStore replicaStore = new JdbcRunStore(dataSource);
        // Inserted already leased by replica-a, so this app's worker does not claim it first.
        RotationRun run = E2e.insertLeasedRun(replicaStore, svc, info, "replica-a", Duration.ofSeconds(3),
                "replica-crash-test");

        ConnectionPort dyingAfterRegister = new ConnectionPort() {
            @Override
            public ConnectionInfo connection(UUID id) {
                return connections.connection(id);
            }

            @Override
            public SlotsView keySlots(UUID id) {
                return connections.keySlots(id);
            }

            @Override
            public java.util.List<dev.keyline.rotation.KeyHolder> keyHolders(UUID id) {
                return connections.keyHolders(id);
            }

            @Override
            public SlotsView setKeySlot(UUID id, int slot, String publicKeyPem, String expectedFingerprint) {
                connections.setKeySlot(id, slot, publicKeyPem, expectedFingerprint);
                throw new ReplicaDied(); // the ALTER took effect; the step's result is never saved
            }

            @Override
            public void unsetKeySlot(UUID id, int slot, String expectedFingerprint) {
                throw new AssertionError("replica-a must not get this far");
            }

            @Override
            public void checkKey(UUID id, String privateKeyPem, String passphrase) {
                throw new AssertionError("replica-a must not get this far");
            }

            @Override
            public void swapCredentials(UUID id, String privateKeyPem, String passphrase, int expectedVersion) {
                throw new AssertionError("replica-a must not get this far");
            }
        };
        BoundedWork keyWork = new BoundedWork("keys", "key generation", 1, 4, false, 1, Duration.ofSeconds(5));
        RotationEngine replicaA = new RotationEngine(
                new StepContext(dyingAfterRegister, vault, replicaStore, Clock.systemUTC(), 1000, keyWork),
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(2)), RotationEngine.Listener.NONE);
        assertThatThrownBy(() -> replicaA.execute(run)).isInstanceOf(ReplicaDied.class);

        // Snowflake has the new key in slot 2; the database says REGISTER (the last saved step).
        RotationRun persisted = replicaStore.find(run.id).orElseThrow();
        assertThat(persisted.state).isEqualTo(RunState.REGISTER);
        assertThat(persisted.leaseOwner).isEqualTo("replica-a");
        assertThat(stack.snowflake().keySlots(E2e.ACCOUNT, svc.user()).fingerprint(2)).isEqualTo(persisted.newFingerprint);

        JsonPath done = e2e.waitForEnd(run.id.toString(), Duration.ofSeconds(90));
        assertThat(done.getString("state")).isEqualTo("DONE");
        assertThat(done.getString("newFingerprint")).isEqualTo(persisted.newFingerprint);
        List<String> log = done.getList("steps.detail", String.class);
        assertThat(log).as("the other replica found the ALTER done and did not repeat it")
                .contains("slot 2 already holds the new key");
        RotationRun after = replicaStore.find(run.id).orElseThrow();
        assertThat(after.leaseOwner).isNotEqualTo("replica-a");
        e2e.assertRotated(svc, svc.initialFingerprint(), persisted.newFingerprint, 2);
        assertThat(stack.rotationVault().secretPaths()).noneMatch(p -> p.contains(run.id.toString()));
    }
}
