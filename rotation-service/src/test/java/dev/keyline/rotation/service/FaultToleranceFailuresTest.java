package dev.keyline.rotation.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.junit.jupiter.api.Test;

import dev.keyline.rotation.ConnectionInfo;
import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.KeyHolder;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.SlotsView;
import dev.keyline.rotation.client.ConnectionServiceCalls;
import dev.keyline.rotation.client.ConnectionServiceClient;
import dev.keyline.rotation.service.steps.StepContext;

/**
 * What the connection-service client's fault-tolerance guard throws itself (breaker open, its timeout, a full
 * bulkhead) is the same problem as a peer that does not answer: {@code connection-service-unavailable}, retried,
 * in the run's lastError and step log. It used to end runs with {@code internal-error} /
 * {@code CircuitBreakerOpenException}.
 */
class FaultToleranceFailuresTest {

    static final String INITIAL = "SHA256:initial-key-uploaded-by-a-human=";

    /** connection-service's calls answered by the fake, except {@code op}, whose guard throws {@code failure}. */
    static final class GuardedFake extends ConnectionServiceCalls {
        final FakeConnectionService cs;
        final String op;
        final Supplier<FaultToleranceException> failure;

        GuardedFake(FakeConnectionService cs, String op, Supplier<FaultToleranceException> failure) {
            this.cs = cs;
            this.op = op;
            this.failure = failure;
        }

        private void guard(String name) {
            if (name.equals(op)) {
                throw failure.get();
            }
        }

        @Override
        public ConnectionInfo connection(UUID id) {
            guard("connection");
            return cs.connection(id);
        }

        @Override
        public ConnectionInfo manageable(UUID id, String callerToken) {
            guard("manageable");
            return cs.connection(id);
        }

        @Override
        public SlotsView keySlots(UUID id) {
            guard("keySlots");
            return cs.keySlots(id);
        }

        @Override
        public List<KeyHolder> keyHolders(UUID id) {
            guard("keyHolders");
            return cs.keyHolders(id);
        }

        @Override
        public SlotsView setKeySlot(UUID id, int slot, String publicKeyPem, String expectedFingerprint) {
            guard("setKeySlot");
            return cs.setKeySlot(id, slot, publicKeyPem, expectedFingerprint);
        }

        @Override
        public void unsetKeySlot(UUID id, int slot, String expectedFingerprint) {
            guard("unsetKeySlot");
            cs.unsetKeySlot(id, slot, expectedFingerprint);
        }

        @Override
        public void checkKey(UUID id, String privateKeyPem, String passphrase) {
            guard("checkKey");
            cs.checkKey(id, privateKeyPem, passphrase);
        }

        @Override
        public void swapCredentials(UUID id, String privateKeyPem, String passphrase, int expectedCredentialVersion) {
            guard("swapCredentials");
            cs.swapCredentials(id, privateKeyPem, passphrase, expectedCredentialVersion);
        }
    }

    @Test
    void everyGuardFailureIsConnectionServiceUnavailable() {
        FakeConnectionService cs = new FakeConnectionService(new Faults(), INITIAL);
        List<Supplier<FaultToleranceException>> failures = List.of(() -> new CircuitBreakerOpenException("open"),
                () -> new TimeoutException("timed out"), () -> new BulkheadException("full"));
        for (Supplier<FaultToleranceException> failure : failures) {
            for (String op : List.of("connection", "manageable", "keySlots", "keyHolders", "setKeySlot",
                    "unsetKeySlot", "checkKey", "swapCredentials")) {
                ConnectionServiceClient client = new ConnectionServiceClient(new GuardedFake(cs, op, failure));
                ConnectionServiceException e = catchThrowableOfType(ConnectionServiceException.class, () -> {
                    switch (op) {
                        case "connection" -> client.connection(cs.id);
                        case "manageable" -> client.manageable(cs.id, "token");
                        case "keySlots" -> client.keySlots(cs.id);
                        case "keyHolders" -> client.keyHolders(cs.id);
                        case "setKeySlot" -> client.setKeySlot(cs.id, 2, "pem", null);
                        case "unsetKeySlot" -> client.unsetKeySlot(cs.id, 2, "SHA256:x");
                        case "checkKey" -> client.checkKey(cs.id, "pem", null);
                        default -> client.swapCredentials(cs.id, "pem", null, 1);
                    }
                });
                String name = failure.get().getClass().getSimpleName();
                assertThat(e).as("%s in %s", name, op).isNotNull();
                assertThat(e.problemType()).isEqualTo(ConnectionServiceException.UNAVAILABLE);
                assertThat(e.status()).isZero();
                assertThat(e.transientFailure()).isTrue();
                assertThat(e.getMessage()).contains(name).contains("Retry later");
            }
        }
    }

    @Test
    void anOpenBreakerInRegisterRollsTheRunBackAsConnectionServiceUnavailable() {
        Faults faults = new Faults();
        FakeConnectionService cs = new FakeConnectionService(faults, INITIAL);
        ConnectionServiceClient client = new ConnectionServiceClient(
                new GuardedFake(cs, "setKeySlot", () -> new CircuitBreakerOpenException("open")));
        InMemoryRunStore store = new InMemoryRunStore();
        MutableClock clock = new MutableClock();
        RotationEngine engine = new RotationEngine(
                new StepContext(client, new HeldPendingKeys(new InMemoryPendingKeys(faults)), store, clock, 1000,
                        RotationEngineTest.KEY_WORK),
                new Backoff(Duration.ofSeconds(5), Duration.ofMinutes(5)), r -> {
                });
        RotationRun run = RotationRun.create(cs.id, "acme", "SVC", clock.instant());
        store.save(run);
        for (int i = 0; i < 50 && !store.load(run.id).state.terminal(); i++) {
            RotationRun current = store.load(run.id);
            if (current.nextAttemptAt != null && current.nextAttemptAt.isAfter(clock.instant())) {
                clock.now = current.nextAttemptAt;
            }
            engine.execute(current);
        }
        RotationRun end = store.load(run.id);
        assertThat(end.state).isEqualTo(RunState.ROLLED_BACK);
        assertThat(end.lastErrorType).isEqualTo(ConnectionServiceException.UNAVAILABLE);
        assertThat(end.lastErrorDetail).contains("circuit breaker is open").contains("Retry later");
        assertThat(store.stepDetails).filteredOn(s -> s.startsWith("REGISTER:RETRY")).hasSize(5)
                .allSatisfy(s -> assertThat(s).contains("circuit breaker is open"));
        assertThat(store.stepDetails).noneMatch(s -> s.endsWith(" CircuitBreakerOpenException"));
        assertThat(cs.stored).isEqualTo(INITIAL);
    }
}
