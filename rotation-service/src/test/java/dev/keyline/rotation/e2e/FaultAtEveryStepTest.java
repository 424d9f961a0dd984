package dev.keyline.rotation.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import dev.keyline.emulators.snowflake.ExecutedStatement;
import dev.keyline.emulators.snowflake.RequestHold;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * A fault at every step of a rotation, with the real services: connection-service (child process,
 * real Snowflake JDBC driver), the Snowflake emulator, both Vault emulators and PostgreSQL.
 *
 * <p>Each scenario stops its run inside one step by holding that step's Snowflake request in the
 * emulator ({@link StepHold}), injects the fault while the run is held there (a Snowflake error,
 * a sealed Vault, connection-service killed with SIGKILL), lets the request go and repairs the
 * fault once the run has logged the failure in the expected step. Then the invariant: the run ended
 * DONE or ROLLED_BACK, the stored key logs in through connection-service's /test, exactly the
 * stored key is registered (no orphan in the other slot), and no pending key is left in Vault.
 *
 * <p>An uninterrupted execution does not read the key slots again in VERIFY and SWAP (it uses what
 * REGISTER's SET was answered with), so those steps meet DESC USER only when resumed: their scenarios
 * hold the step's own request (the new key's login), and where the run resumes in the step the test
 * checks that the resumed step read DESC USER itself ({@code readsIn}). Every DESC USER of the user
 * that Snowflake failed must have run inside the step that logged the fault.
 *
 * <p>The rotation-service process itself dying mid-run is in {@code TwoInstancesIT} (real
 * processes) and {@link RestartMidRunTest}.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class FaultAtEveryStepTest extends OnRotationStack {

    static final Duration STEP_TIMEOUT = Duration.ofSeconds(60);

    @AfterEach
    void repair() {
        stack.snowflake().clearFaults();
        stack.rotationVault().clearFaults();
        stack.connectionVault().clearFaults();
        if (!stack.connectionService().alive()) {
            stack.connectionService().restart();
        }
    }

    /** What a scenario's fault does while the run is held, and how it is repaired afterwards. */
    interface Fault {
        /** Called while the run's request is held in the scenario's step; returns the repair. */
        Runnable inject(FaultAtEveryStepTest test, E2e.Svc svc);
    }

    /**
     * @param holdIn the step in which the run is stopped
     * @param holdOn the Snowflake request held there (fragments of the SQL text or login), per user
     * @param failsIn the step whose log shows the fault (RETRY, or FAILED when it rolls back)
     * @param end DONE or ROLLED_BACK
     * @param note a step-log detail that shows how the resumed run found the world (or null)
     * @param prepare a fault armed before the run starts (or null), for a scenario whose held step
     *     is only reached through an earlier failure
     * @param readsIn a step that is resumed after the fault and must then read the key slots itself:
     *     its successful execution ran a DESC USER of the user (or null)
     */
    record Scenario(String name, String holdIn, Function<String, String[]> holdOn, Fault fault, String failsIn,
            String outcome, String end, String gracePeriod, String note, Fault prepare, String readsIn) {

        Scenario(String name, String holdIn, Function<String, String[]> holdOn, Fault fault, String failsIn,
                String outcome, String end, String gracePeriod, String note) {
            this(name, holdIn, holdOn, fault, failsIn, outcome, end, gracePeriod, note, null, null);
        }

        /** The same scenario, checking that the resumed {@code step} read the key slots itself. */
        Scenario readingIn(String step) {
            return new Scenario(name, holdIn, holdOn, fault, failsIn, outcome, end, gracePeriod, note, prepare, step);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Function<String, String[]> desc() {
        return user -> new String[] { "DESC USER", user };
    }

    static Stream<Scenario> scenarios() {
        Fault descFails = (t, svc) -> {
            // connection-service's client retries a key-slot read twice: three failures reach the step.
            for (int i = 0; i < 3; i++) {
                t.stack.snowflake().failNextStatement("000603", "DESC USER", svc.user());
            }
            return () -> {
            };
        };
        Fault connectionServiceKilled = (t, svc) -> {
            t.stack.connectionService().kill();
            return t.stack.connectionService()::restart;
        };
        Fault rotationVaultSealed = (t, svc) -> {
            t.stack.rotationVault().setSealed(true);
            return () -> t.stack.rotationVault().setSealed(false);
        };
        Fault connectionVaultSealed = (t, svc) -> {
            t.stack.connectionVault().setSealed(true);
            return () -> t.stack.connectionVault().setSealed(false);
        };
        Fault alterFails = (t, svc) -> {
            // The client retries the idempotent PUT of a slot once: two failures reach the step.
            t.stack.snowflake().failNextStatement("000603", "SET RSA_PUBLIC_KEY_2", svc.user());
            t.stack.snowflake().failNextStatement("000603", "SET RSA_PUBLIC_KEY_2", svc.user());
            return () -> {
            };
        };
        Fault newKeyRefused = (t, svc) -> {
            t.stack.snowflake().failNextLoginOf(svc.user(), "390144");
            return () -> {
            };
        };
        Fault unsetFails = (t, svc) -> {
            t.stack.snowflake().failNextStatement("000603", "UNSET RSA_PUBLIC_KEY", svc.user());
            return () -> {
            };
        };
        Fault killedThenDescFails = (t, svc) -> {
            // Armed while the run is held in VERIFY's login: only the resumed VERIFY reads DESC USER.
            descFails.inject(t, svc);
            return connectionServiceKilled.inject(t, svc);
        };
        Function<String, String[]> alter = user -> new String[] { "SET RSA_PUBLIC_KEY_2", user };
        Function<String, String[]> login = user -> new String[] { "LOGIN", E2e.ACCOUNT, user };
        Function<String, String[]> unset = user -> new String[] { "UNSET RSA_PUBLIC_KEY", user };
        return Stream.of(
                new Scenario("PLAN: Snowflake fails DESC USER", "PLAN", desc(), descFails, "PLAN", "RETRY", "DONE", null, null),
                new Scenario("PLAN: connection-service killed", "PLAN", desc(), connectionServiceKilled, "PLAN", "RETRY",
                        "DONE", null, null),
                new Scenario("GENERATE: Vault sealed", "PLAN", desc(), rotationVaultSealed, "GENERATE", "RETRY", "DONE",
                        null, null),
                new Scenario("REGISTER: Snowflake fails the ALTER", "REGISTER", alter, alterFails, "REGISTER", "RETRY",
                        "DONE", null, null),
                new Scenario("REGISTER: connection-service killed with the ALTER in flight", "REGISTER", alter,
                        connectionServiceKilled, "REGISTER", "RETRY", "DONE", null, "slot 2 already holds the new key"),
                // REGISTER, VERIFY and SWAP use the pending key held since GENERATE (HeldPendingKeys): a
                // Vault sealed meanwhile is first met when DONE deletes the key, and retried there.
                new Scenario("REGISTER: Vault sealed", "REGISTER", desc(), rotationVaultSealed, "RETIRE", "RETRY",
                        "DONE", null, null),
                // VERIFY and SWAP: the run is held in the new key's login (the step's own Snowflake
                // request); a resumed VERIFY or SWAP must read the slots again.
                new Scenario("VERIFY: connection-service killed, then Snowflake fails the resumed VERIFY's DESC USER",
                        "VERIFY", login, killedThenDescFails, "VERIFY", "RETRY", "DONE", null, null).readingIn("VERIFY"),
                new Scenario("VERIFY: connection-service killed during the new key's login", "VERIFY", login,
                        connectionServiceKilled, "VERIFY", "RETRY", "DONE", null, null).readingIn("VERIFY"),
                new Scenario("VERIFY: Snowflake refuses the new key's login", "VERIFY", login, newKeyRefused, "VERIFY",
                        "FAILED", "ROLLED_BACK", null, "slot 2 unset"),
                new Scenario("SWAP: Snowflake refuses the new key", "SWAP", login, newKeyRefused, "SWAP", "FAILED",
                        "ROLLED_BACK", null, "slot 2 unset"),
                new Scenario("SWAP: connection-service killed during the new key's login", "SWAP", login,
                        connectionServiceKilled, "SWAP", "RETRY", "DONE", null, null).readingIn("SWAP"),
                new Scenario("SWAP: connection-service's Vault sealed", "SWAP", login, connectionVaultSealed, "SWAP",
                        "RETRY", "DONE", null, null).readingIn("SWAP"),
                new Scenario("SWAP: rotation-service's Vault sealed", "SWAP", login, rotationVaultSealed, "RETIRE",
                        "RETRY", "DONE", null, null),
                new Scenario("DRAIN: connection-service killed while draining", "DRAIN", null, connectionServiceKilled,
                        "RETIRE", "RETRY", "DONE", "PT4S", null),
                new Scenario("DRAIN: Vault sealed while draining", "DRAIN", null, rotationVaultSealed, "RETIRE", "RETRY",
                        "DONE", "PT4S", null),
                new Scenario("RETIRE: Snowflake fails the UNSET", "RETIRE", unset, unsetFails, "RETIRE", "RETRY", "DONE",
                        null, null),
                new Scenario("RETIRE: connection-service killed with the UNSET in flight", "RETIRE", unset,
                        connectionServiceKilled, "RETIRE", "RETRY", "DONE", null,
                        "slot 1 no longer holds the old key; left as is"),
                // The rollback's own UNSET in flight when connection-service dies: it lands, and the
                // resumed rollback finds the slot already empty.
                new Scenario("ROLLING_BACK: connection-service killed with the UNSET in flight", "ROLLING_BACK",
                        user -> new String[] { "UNSET RSA_PUBLIC_KEY_2", user }, connectionServiceKilled, "ROLLING_BACK",
                        "RETRY", "ROLLED_BACK", null, "slot 2 left as is", newKeyRefused, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void faultInStepThenTheInvariantHolds(Scenario s) {
        E2e.Svc svc = e2e.newConnection("fault");
        Map<String, Object> policy = new LinkedHashMap<>();
        policy.put("maxAttempts", 50); // room for the retries while a process restarts
        policy.put("gracePeriod", s.gracePeriod() == null ? "PT0S" : s.gracePeriod());
        e2e.createPolicy(svc.id(), policy);
        if (s.prepare() != null) {
            s.prepare().inject(this, svc);
        }
        StepHold hold = s.holdOn() == null ? null : StepHold.arm(stack.snowflake(), s.holdOn().apply(svc.user()));
        String runId = e2e.start(svc.id(), false);

        Runnable repair;
        if (hold != null) {
            RequestHold held = hold.at(e2e, runId, s.holdIn(), STEP_TIMEOUT);
            repair = s.fault().inject(this, svc);
            held.release(); // after a kill the request still runs in Snowflake, its caller is gone
        } else {
            e2e.awaitState(runId, s.holdIn(), STEP_TIMEOUT);
            repair = s.fault().inject(this, svc);
        }
        try {
            e2e.awaitStepOutcome(runId, s.failsIn(), s.outcome(), STEP_TIMEOUT);
        } finally {
            repair.run();
        }

        JsonPath end = e2e.waitForEnd(runId, Duration.ofSeconds(120));
        assertThat(end.getString("state")).as("%s: %s", s.name(), end.prettify()).isEqualTo(s.end());
        if (s.outcome().equals("RETRY")) {
            assertThat(end.getInt("attempts")).as("the retries are counted on the run").isPositive();
        }
        if (s.note() != null) {
            assertThat(end.getList("steps.detail", String.class)).as("step log").contains(s.note());
        }
        // In the step under test, whatever that attempt's outcome: the client's own retries and its circuit
        // breaker decide how many of the armed failures one attempt meets, so the last one may fall in the
        // attempt that then succeeds (seen once in CI: two failures in a RETRY row, the third in the OK row).
        List<Instant[]> failedStepRows = rows(end, s.failsIn(), null);
        assertThat(descUser(svc.user(), false)).as("every DESC USER Snowflake failed ran in %s", s.failsIn())
                .allMatch(at -> within(at, failedStepRows));
        if (s.readsIn() != null) {
            List<Instant[]> ok = rows(end, s.readsIn(), "OK");
            assertThat(descUser(svc.user(), true)).as("the resumed %s read the key slots itself: %s", s.readsIn(),
                    end.prettify()).anyMatch(at -> within(at, ok));
        }
        String newFp = end.getString("newFingerprint");
        if (s.end().equals("DONE")) {
            e2e.assertRotated(svc, svc.initialFingerprint(), newFp, 2);
        } else {
            e2e.assertRolledBack(svc, newFp);
        }
        assertThat(stack.rotationVault().secretPaths()).as("no pending key left in Vault")
                .noneMatch(p -> p.contains(runId));
        System.out.println("[FaultAtEveryStepTest] " + s.name() + " -> " + end.getString("state") + " after "
                + end.getInt("attempts") + " attempts; steps " + end.getList("steps.step") + " "
                + end.getList("steps.outcome"));
    }

    /** When the DESC USER statements of {@code user} that succeeded (or failed) ran. */
    private List<Instant> descUser(String user, boolean succeeded) {
        return stack.snowflake().statements("DESC USER").stream()
                .filter(st -> st.succeeded() == succeeded && st.sql().toUpperCase(Locale.ROOT).contains(user.toUpperCase(Locale.ROOT)))
                .map(ExecutedStatement::at).toList();
    }

    /** The [started, finished] intervals of the run's step-log rows of {@code step} with {@code outcome} (null: any). */
    private static List<Instant[]> rows(JsonPath run, String step, String outcome) {
        List<String> steps = run.getList("steps.step", String.class);
        List<String> outcomes = run.getList("steps.outcome", String.class);
        List<String> started = run.getList("steps.startedAt", String.class);
        List<String> finished = run.getList("steps.finishedAt", String.class);
        List<Instant[]> rows = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).equals(step) && (outcome == null || outcomes.get(i).equals(outcome))) {
                rows.add(new Instant[] { Instant.parse(started.get(i)), Instant.parse(finished.get(i)) });
            }
        }
        return rows;
    }

    private static boolean within(Instant at, List<Instant[]> rows) {
        return rows.stream().anyMatch(r -> !at.isBefore(r[0]) && !at.isAfter(r[1]));
    }
}
