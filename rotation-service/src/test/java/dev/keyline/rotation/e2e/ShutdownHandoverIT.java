package dev.keyline.rotation.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import dev.keyline.common.testing.OtlpReceiver;
import dev.keyline.emulators.snowflake.RequestHold;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

/**
 * Issue #16 with two real rotation-service processes (the packaged jar) on one database, the real
 * connection-service, and tracing on in all three, exporting to an OTLP receiver in the test:
 * <ol>
 * <li>one rotation forms one trace across rotation-service and connection-service (the W3C
 * {@code traceparent} the REST client sends), its step spans carry the run id, and the run's audit
 * events carry that trace id;
 * <li>SIGTERM to the replica that holds a run in the middle of a step: it turns not-ready at once,
 * brings the run to the end of that step, saves it and releases the lease, so the other replica
 * continues the run within 10 s, long before the 60 s lease could expire; the run ends DONE and the
 * stored key logs in (the invariant).
 * </ol>
 * Run by failsafe after {@code package}; needs connection-service packaged as well.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ShutdownHandoverIT {

    static final Duration LEASE = Duration.ofSeconds(60);

    static OtlpReceiver otlp;
    static RotationStack stackResource;
    static RotationStack.Handles stack;
    static Map<String, String> config;
    static Replica a;
    static Replica b;
    static E2e e2e;

    @BeforeAll
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    static void startEverything() throws IOException {
        Replica.packagedJar();
        otlp = new OtlpReceiver();
        RotationStack.CONNECTION_SERVICE_ENV.putAll(otlp.serviceEnv());
        stackResource = new RotationStack();
        config = stackResource.start();
        stack = stackResource.handles();
        a = replica("handover-a");
        a.start();
        b = replica("handover-b");
        b.start();
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = a.httpPort;
        e2e = new E2e(stack);
    }

    /** Tracing on, and a lease no test waits out: a hand-over within seconds is the SIGTERM path's doing. */
    static Replica replica(String name) {
        Map<String, String> settings = new HashMap<>(otlp.serviceEnv());
        settings.put("ROTATION_SERVICE_WORKER_LEASE", LEASE.getSeconds() + "S");
        return new Replica(name, config, settings);
    }

    @AfterAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    static void stopEverything() {
        try {
            for (Replica r : new Replica[] { a, b }) {
                if (r != null) {
                    r.kill();
                }
            }
        } finally {
            RestAssured.reset();
            RotationStack.CONNECTION_SERVICE_ENV.clear();
            if (stackResource != null) {
                stackResource.stop();
            }
            if (otlp != null) {
                otlp.close();
            }
        }
    }

    @Test
    @Order(1)
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void oneRotationIsOneTraceAcrossRotationAndConnectionService() {
        E2e.Svc svc = e2e.newConnection("traced");
        JsonPath done = e2e.rotateAndWait(svc.id());
        assertThat(done.getString("state")).isEqualTo("DONE");
        String runId = done.getString("id");

        // The execution span and each step span carry the run id; with no retry and no drain the
        // whole run is one execution, so one trace.
        List<OtlpReceiver.Span> runSpans = awaitSpans(s -> runId.equals(s.attributes().get("keyline.rotation.run_id"))
                && s.name().equals("rotation step RETIRE"));
        String traceId = runSpans.get(0).traceId();
        List<OtlpReceiver.Span> trace = awaitTrace(traceId, t -> t.stream().anyMatch(s -> s.service().equals("connection-service")
                && s.name().contains("credentials")));
        Set<String> steps = trace.stream().filter(s -> s.name().startsWith("rotation step "))
                .map(s -> s.name().substring("rotation step ".length())).collect(Collectors.toSet());
        assertThat(steps).as("step spans in trace %s", traceId)
                .contains("PLAN", "GENERATE", "REGISTER", "VERIFY", "SWAP", "DRAIN", "RETIRE");
        assertThat(trace).filteredOn(s -> s.name().startsWith("rotation step "))
                .allMatch(s -> runId.equals(s.attributes().get("keyline.rotation.run_id")));
        Set<String> services = trace.stream().map(OtlpReceiver.Span::service).collect(Collectors.toSet());
        assertThat(services).as("services in trace %s", traceId).contains("rotation-service", "connection-service");
        // connection-service's server spans are children of rotation-service's client spans (traceparent).
        Set<String> rotationSpanIds = trace.stream().filter(s -> s.service().equals("rotation-service"))
                .map(OtlpReceiver.Span::spanId).collect(Collectors.toSet());
        assertThat(trace).filteredOn(s -> s.service().equals("connection-service") && rotationSpanIds.contains(s.parentSpanId()))
                .as("connection-service spans whose parent is a rotation-service span").isNotEmpty();
        // Its Snowflake work and its Vault calls are in the same trace, without SQL text.
        assertThat(trace).filteredOn(s -> s.name().equals("snowflake statement"))
                .isNotEmpty().allMatch(s -> !s.attributes().toString().contains("RSA_PUBLIC_KEY"));
        assertThat(trace).filteredOn(s -> s.name().startsWith("vault kv ")).isNotEmpty();
        // Operators go from the audit trail to the trace.
        List<String> auditTraceIds = given().header("Authorization", E2e.READER).when()
                .get("/api/v1/audit-events?resourceId=" + runId).then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.action != 'rotation.started' }.traceId", String.class);
        assertThat(auditTraceIds).isNotEmpty().containsOnly(traceId);
        System.out.println("[ShutdownHandoverIT] run " + runId + ": trace " + traceId + " with " + trace.size()
                + " spans from " + services);
    }

    @Test
    @Order(2)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void sigtermToTheOwnerMidStepHandsTheRunOverAtOnce() throws Exception {
        E2e.Svc svc = e2e.newConnection("handover");
        // The run is stopped inside REGISTER: its ALTER … SET RSA_PUBLIC_KEY_2 is held in Snowflake.
        StepHold hold = StepHold.arm(stack.snowflake(), "SET RSA_PUBLIC_KEY_2", svc.user());
        String runId;
        Replica owner;
        Replica survivor;
        long sigtermAt;
        try {
            runId = e2e.start(svc.id(), false);
            RequestHold held = hold.at(e2e, runId, "REGISTER", Duration.ofSeconds(60));
            owner = a.name.equals(runRow(runId)[2]) ? a : b;
            survivor = owner == a ? b : a;
            RestAssured.port = survivor.httpPort;
            sigtermAt = System.nanoTime();
            owner.terminate();
            // Not ready first, while it still runs (quarkus.shutdown.delay keeps it serving meanwhile).
            assertThat(owner.awaitNotReady(Duration.ofSeconds(4))).as("%s reports not ready after SIGTERM", owner.name)
                    .isTrue();
            assertThat(owner.alive()).as("%s still finishing its step", owner.name).isTrue();
            assertThat(runRow(runId)[2]).as("the run is still held by the stopping owner mid-step").isEqualTo(owner.name);
            // The step's request completes; the owner saves the step and releases the lease.
            held.release();
        } finally {
            stack.snowflake().clearFaults();
        }
        String[] row = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            row = runRow(runId);
            if (survivor.name.equals(row[2]) || List.of("DONE").contains(row[1])) {
                break;
            }
            E2e.sleep(50);
        }
        long handoverMillis = Duration.ofNanos(System.nanoTime() - sigtermAt).toMillis();
        assertThat(survivor.name.equals(row[2]) || "DONE".equals(row[1]))
                .as("the survivor continued run %s within 10 s of SIGTERM (lease %s): %s", runId, LEASE, String.join(",", row))
                .isTrue();
        JsonPath end = e2e.waitForEnd(runId, Duration.ofSeconds(90));
        assertThat(end.getString("state")).isEqualTo("DONE");
        // The owner saved REGISTER before leaving: the survivor went on from VERIFY, not REGISTER again.
        assertThat(end.getList("steps.step", String.class)).containsSubsequence("REGISTER", "VERIFY");
        assertThat(end.getList("steps.detail", String.class)).doesNotContain("slot 2 already holds the new key");
        e2e.assertRotated(svc, svc.initialFingerprint(), end.getString("newFingerprint"), 2);
        assertThat(owner.process.waitFor(60, TimeUnit.SECONDS)).as("%s exited after SIGTERM", owner.name).isTrue();
        assertThat(owner.process.exitValue()).as("exit code of %s after SIGTERM", owner.name).isIn(0, 143);
        String log = Files.readString(owner.log);
        assertThat(log).contains("every held run was saved and released");
        System.out.println("[ShutdownHandoverIT] SIGTERM to " + owner.name + " holding run " + runId + " in REGISTER; "
                + survivor.name + " continued after " + handoverMillis + " ms; steps " + end.getList("steps.step"));
    }

    // ---------------------------------------------------------------------------------------------

    interface SpanCondition {
        boolean test(OtlpReceiver.Span span);
    }

    static List<OtlpReceiver.Span> awaitSpans(SpanCondition condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<OtlpReceiver.Span> found = otlp.spans().stream().filter(condition::test).toList();
            if (!found.isEmpty()) {
                return found;
            }
            E2e.sleep(200);
        }
        throw new AssertionError("no such span among " + otlp.spans().size() + " received: "
                + otlp.spans().stream().map(s -> s.service() + ":" + s.name()).distinct().toList());
    }

    static List<OtlpReceiver.Span> awaitTrace(String traceId, java.util.function.Predicate<List<OtlpReceiver.Span>> complete) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            List<OtlpReceiver.Span> trace = otlp.trace(traceId);
            if (complete.test(trace)) {
                return trace;
            }
            E2e.sleep(200);
        }
        throw new AssertionError("trace " + traceId + " incomplete: "
                + otlp.trace(traceId).stream().map(s -> s.service() + ":" + s.name()).toList());
    }

    static String[] runRow(String runId) {
        return Replica.runRow(config, runId);
    }
}
