package dev.keyline.rotation.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;

import java.net.URI;
import java.net.URL;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import dev.keyline.common.testing.AuthorizationMatrix;
import dev.keyline.emulators.snowflake.RequestHold;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Two real rotation-service processes (the packaged {@code target/quarkus-app/quarkus-run.jar}) on
 * one PostgreSQL schema, one Vault, one connection-service (child process, see {@link RotationStack})
 * and the Snowflake emulator:
 * <ol>
 * <li>six connections with a policy each, all due at the same second (a Quartz cron naming one second
 * of this year; a period schedule is first due one period after creation): each connection is
 * rotated by exactly one run, each user's slot 2 gets exactly one ALTER, both instances hold
 * leases on some of the runs, and no second run appears afterwards;
 * <li>a run whose lease owner is killed with SIGKILL while its ALTER is held in flight (the ALTER
 * lands after the owner died): the other instance takes the run over after the lease expired, finds
 * the key registered and finishes the run while the killed one is started again; the stored key logs in and the other slot holds no orphan key;
 * <li>one instance with seven runs, each stopped inside a different step (PLAN, REGISTER, VERIFY,
 * SWAP, DRAIN, RETIRE, ROLLING_BACK: its Snowflake request held by the emulator, see
 * {@link StepHold}), is killed with SIGKILL and started again: every run resumes from its persisted
 * step, finds what its in-flight request did, and ends DONE (or ROLLED_BACK) with the invariant
 * holding.
 * </ol>
 * Run by failsafe after {@code package}; needs connection-service packaged as well.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoInstancesIT {

    static final int N = 6;
    static final Duration LEASE = Duration.ofSeconds(10);

    static RotationStack stackResource;
    static RotationStack.Handles stack;
    static Map<String, String> config;
    static Replica a;
    static Replica b;
    static E2e e2e;
    static LeaseObserver observer;

    @BeforeAll
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    static void startEverything() {
        Replica.packagedJar();
        Runtime.getRuntime().addShutdownHook(new Thread(TwoInstancesIT::killAll));
        stackResource = new RotationStack();
        config = stackResource.start();
        stack = stackResource.handles();
        assertThat(stack).isNotNull();
        // A first, then B: both migrate the same schema (Flyway's lock) and share everything.
        a = replica("it-a");
        a.start();
        b = replica("it-b");
        b.start();
        RestAssured.baseURI = "http://127.0.0.1";
        RestAssured.port = a.httpPort;
        e2e = new E2e(stack);
        observer = new LeaseObserver();
        observer.start();
    }

    @AfterAll
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    static void stopEverything() {
        try {
            if (observer != null) {
                observer.stop();
            }
            killAll();
        } finally {
            RestAssured.reset();
            if (stackResource != null) {
                stackResource.stop();
            }
        }
    }

    /** Three runs at a time, and a lease short enough for the take-over test to wait out. */
    static Replica replica(String name) {
        return new Replica(name, config, Map.of("ROTATION_SERVICE_WORKER_LEASE", LEASE.getSeconds() + "S",
                "ROTATION_SERVICE_WORKER_CONCURRENCY", "3"));
    }

    static synchronized void killAll() {
        for (Replica i : new Replica[] { a, b }) {
            if (i != null) {
                i.kill();
            }
        }
    }

    /**
     * The packaged jar serves its OpenAPI document with the jwt scheme on every /api operation: there,
     * unlike in {@code @QuarkusTest}s, service-common's DeferredOpenApiDocuments builds it on this first
     * request, so this is where a deferred build that lost the security filter or the paths would show.
     * (That the build was deferred is shown by the start-up profile in bench/README.md, not here.)
     */
    @Test
    @Order(0)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void packagedJarServesTheJwtSecuredOpenApiDocument() throws Exception {
        URL openapi = URI.create("http://127.0.0.1:" + a.managementPort + "/q/openapi").toURL();
        AuthorizationMatrix.verifyJwtSecured(openapi);
        given().when().get(openapi).then().statusCode(200).body(containsString("/api/v1/rotation-policies:"));
    }

    @Test
    @Order(1)
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void duePoliciesOnTwoInstancesRotateEachConnectionExactlyOnce() {
        List<E2e.Svc> svcs = new ArrayList<>();
        for (int i = 0; i < N; i++) {
            svcs.add(e2e.newConnection("two-inst"));
        }
        // Slow statements keep runs in flight for a few seconds, so one instance cannot take all
        // six (concurrency 3 each) before the other's next poll.
        try {
            // A period schedule is first due one period after creation, so each policy gets a Quartz
            // cron naming one second of this year: all six fall due at the same moment, exactly once.
            // 20 s ahead: six creates, each asking connection-service about its connection, took over 8 s on a
            // loaded machine (a CI run) and the last one named a second already past (400).
            String once = E2e.onceAt(Instant.now().plusSeconds(20));
            for (int i = 0; i < N; i++) {
                Replica via = i % 2 == 0 ? a : b;
                JsonPath p = createPolicy(via, svcs.get(i).id(), Map.of("schedule", once, "maxAttempts", 10,
                        "gracePeriod", "PT0S"));
                assertThat(Instant.parse(p.getString("nextDueAt"))).isBefore(Instant.now().plusSeconds(21));
            }
            stack.snowflake().setLatency(Duration.ofMillis(300));
            Map<String, String> runIds = new LinkedHashMap<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            int k = 0;
            while (runIds.size() < N || !allDone(runIds.values(), k)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("not all rotated: " + runIds + "; leases seen " + observer.owners);
                }
                for (E2e.Svc s : svcs) {
                    if (!runIds.containsKey(s.id())) {
                        List<Map<String, Object>> list = list(k++ % 2 == 0 ? a : b, s.id());
                        if (!list.isEmpty()) {
                            runIds.put(s.id(), (String) list.get(0).get("id"));
                        }
                    }
                }
                E2e.sleep(250);
            }
        } finally {
            stack.snowflake().setLatency(Duration.ZERO);
        }
        // Several polls of both instances later: still one run per connection (the policy moved on 90 days).
        E2e.sleep(4000);
        Set<String> runs = new LinkedHashSet<>();
        for (E2e.Svc s : svcs) {
            for (Replica via : new Replica[] { a, b }) {
                List<Map<String, Object>> list = list(via, s.id());
                assertThat(list).as("runs of connection %s seen by %s", s.id(), via.name).hasSize(1);
                assertThat(list.get(0).get("state")).isEqualTo("DONE");
                assertThat(list.get(0).get("trigger")).isEqualTo("schedule");
                runs.add((String) list.get(0).get("id"));
            }
            JsonPath run = run(a, runIdOf(s));
            assertThat(run.getInt("oldSlot")).isEqualTo(1);
            assertThat(run.getInt("slot")).isEqualTo(2);
            String user = s.user().toUpperCase();
            assertThat(stack.snowflake().statements()).as("exactly one successful SET RSA_PUBLIC_KEY_2 for %s", user)
                    .filteredOn(st -> st.succeeded() && st.sql().toUpperCase().contains(user)
                            && st.sql().toUpperCase().contains("SET RSA_PUBLIC_KEY_2"))
                    .hasSize(1);
            e2e.assertRotated(s, s.initialFingerprint(), run.getString("newFingerprint"), 2);
        }
        assertThat(runs).hasSize(N);
        assertThat(countRuns(svcs)).as("rows in rotation_run for these connections").isEqualTo(N);
        Map<String, Set<String>> owners = new HashMap<>();
        for (String r : runs) {
            owners.put(r, observer.owners(r));
        }
        System.out.println("[TwoInstancesIT] lease owners per run: " + owners);
        owners.forEach((r, o) -> {
            if (o.size() > 1) {
                JsonPath taken = run(a, r);
                // Why a run changed hands (a step's RETRY and its detail), for a failure's report.
                System.out.println("[TwoInstancesIT] run " + r + " steps " + taken.getList("steps.step") + " "
                        + taken.getList("steps.outcome") + " " + taken.getList("steps.detail"));
            }
        });
        Set<String> all = new LinkedHashSet<>();
        owners.values().forEach(all::addAll);
        assertThat(all).as("both instances executed runs (lease owners seen)").containsExactlyInAnyOrder("it-a", "it-b");
        assertThat(owners.values()).as("no run was taken over by the other instance").allMatch(o -> o.size() == 1);
    }

    @Test
    @Order(2)
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void ownerKilledMidRegisterOtherInstanceFinishesTheRun() {
        E2e.Svc svc = e2e.newConnection("two-inst-kill");
        Replica killed;
        Replica survivor;
        String runId;
        // The owner's ALTER is held in Snowflake while the owner dies; it lands afterwards, so the
        // survivor finds the key registered by a run that never saved it.
        StepHold hold = StepHold.arm(stack.snowflake(), "SET RSA_PUBLIC_KEY_2", svc.user());
        try {
            createPolicy(b, svc.id(), Map.of("schedule", E2e.onceAt(Instant.now().plusSeconds(10)), "maxAttempts", 50,
                    "gracePeriod", "PT0S"));
            String[] row = null;
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (row == null && System.nanoTime() < deadline) {
                row = leaseOf(svc.id());
                E2e.sleep(100);
            }
            assertThat(row).as("the policy for %s started a run", svc.id()).isNotNull();
            runId = row[0];
            RequestHold held = hold.at(e2e, runId, "REGISTER", Duration.ofSeconds(60));
            String owner = runRow(runId)[2];
            killed = a.name.equals(owner) ? a : b;
            survivor = killed == a ? b : a;
            killed.kill();
            assertThat(killed.alive()).isFalse();
            held.release();
        } finally {
            stack.snowflake().clearFaults();
        }
        long killedAt = System.nanoTime();
        // The survivor claims the run once the dead owner's lease expired.
        String owner = null;
        long deadline = System.nanoTime() + LEASE.plusSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            String[] now = runRow(runId);
            owner = now[2];
            if (survivor.name.equals(owner) || "DONE".equals(now[1])) {
                break;
            }
            E2e.sleep(100);
        }
        long takeoverMillis = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
        for (int i = 0; i < 40 && !observer.owners(runId).contains(survivor.name); i++) {
            E2e.sleep(50); // the observer polls every 50 ms
        }
        assertThat(observer.owners(runId)).as("lease owners of run %s", runId).contains(killed.name, survivor.name);
        // The killed process starts again while the run is (or was just) being finished by the other.
        killed.start();
        JsonPath done = waitForEnd(survivor, runId, Duration.ofSeconds(120));
        assertThat(done.getString("state")).isEqualTo("DONE");
        assertThat(done.getInt("slot")).isEqualTo(2);
        System.out.println("[TwoInstancesIT] killed " + killed.name + " holding run " + runId + " in REGISTER; "
                + survivor.name + " took it over after " + takeoverMillis + " ms; steps: "
                + done.getList("steps.detail"));
        Set<String> owners = observer.owners(runId);
        assertThat(owners).as("only the killed owner and the survivor ever held run %s", runId)
                .containsExactlyInAnyOrder(killed.name, survivor.name);
        e2e.assertRotated(svc, svc.initialFingerprint(), done.getString("newFingerprint"), 2);
        assertThat(list(killed, svc.id())).as("one run, seen by the restarted instance too").hasSize(1);
        assertThat(stack.rotationVault().secretPaths()).noneMatch(p -> p.contains(runId));
        String user = svc.user().toUpperCase();
        assertThat(stack.snowflake().statements()).filteredOn(st -> st.succeeded()
                && st.sql().toUpperCase().contains(user) && st.sql().toUpperCase().contains("SET RSA_PUBLIC_KEY_2"))
                .as("the new key was registered once (the survivor found it there)").hasSize(1);
        assertThat(done.getList("steps.detail", String.class)).contains("slot 2 already holds the new key");
    }

    /** One run of the restart test: where it is stopped and what the resumed run must find. */
    record Stop(String step, E2e.Svc svc, StepHold hold, String note, String end) {
    }

    @Test
    @Order(3)
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void processKilledWithRunsInEveryStepAndStartedAgainFinishesThemAll() {
        // One instance only, with room for every held run at once: all seven are carol's, so her share
        // of the workers (half by default) is lifted too.
        b.kill();
        a.kill();
        a.set("ROTATION_SERVICE_WORKER_CONCURRENCY", "10");
        a.set("ROTATION_SERVICE_WORKER_CONCURRENCY_PER_OWNER", "0");
        a.start();
        List<Stop> stops = new ArrayList<>();
        Map<Stop, String> runIds = new LinkedHashMap<>();
        try {
            stops.add(stop("PLAN", user -> new String[] { "DESC USER", user }, null, "DONE", "PT0S", false));
            stops.add(stop("REGISTER", user -> new String[] { "SET RSA_PUBLIC_KEY_2", user },
                    "slot 2 already holds the new key", "DONE", "PT0S", false));
            // VERIFY's own request is the new key's login (the slots come with REGISTER's answer).
            stops.add(stop("VERIFY", user -> new String[] { "LOGIN", E2e.ACCOUNT, user }, null, "DONE", "PT0S", false));
            stops.add(stop("SWAP", user -> new String[] { "LOGIN", E2e.ACCOUNT, user }, "already swapped", "DONE", "PT0S",
                    false));
            stops.add(stop("DRAIN", null, null, "DONE", "PT20S", false));
            stops.add(stop("RETIRE", user -> new String[] { "UNSET RSA_PUBLIC_KEY", user },
                    "slot 1 no longer holds the old key; left as is", "DONE", "PT0S", false));
            stops.add(stop("ROLLING_BACK", user -> new String[] { "UNSET RSA_PUBLIC_KEY_2", user }, "slot 2 left as is",
                    "ROLLED_BACK", "PT0S", true));
            for (Stop stop : stops) {
                runIds.put(stop, e2e.start(stop.svc().id(), false));
            }
            List<RequestHold> held = new ArrayList<>();
            for (Stop stop : stops) {
                String runId = runIds.get(stop);
                if (stop.hold() != null) {
                    held.add(stop.hold().at(e2e, runId, stop.step(), Duration.ofSeconds(90)));
                } else {
                    e2e.awaitState(runId, stop.step(), Duration.ofSeconds(90));
                }
            }
            // Every run is inside its step now, its Snowflake request in flight: the process dies.
            a.kill();
            assertThat(a.alive()).isFalse();
            // The requests still run in Snowflake (the ALTER, the login and swap in connection-service,
            // the UNSETs); nobody is left to save what they did.
            held.forEach(RequestHold::release);
            for (Stop stop : stops) {
                String[] row = runRow(runIds.get(stop));
                assertThat(row[1]).as("persisted state of the run stopped in %s", stop.step()).isEqualTo(stop.step());
            }
        } finally {
            stack.snowflake().clearFaults();
        }
        a.start();
        for (Stop stop : stops) {
            String runId = runIds.get(stop);
            JsonPath end = waitForEnd(a, runId, Duration.ofSeconds(120));
            assertThat(end.getString("state")).as("run stopped in %s: %s", stop.step(), end.prettify())
                    .isEqualTo(stop.end());
            if (stop.note() != null) {
                assertThat(end.getList("steps.detail", String.class)).as("run stopped in %s", stop.step())
                        .contains(stop.note());
            }
            if (stop.end().equals("DONE")) {
                e2e.assertRotated(stop.svc(), stop.svc().initialFingerprint(), end.getString("newFingerprint"), 2);
            } else {
                e2e.assertRolledBack(stop.svc(), end.getString("newFingerprint"));
            }
            assertThat(stack.rotationVault().secretPaths()).noneMatch(p -> p.contains(runId));
            System.out.println("[TwoInstancesIT] killed in " + stop.step() + " -> " + end.getString("state")
                    + "; steps " + end.getList("steps.step") + " " + end.getList("steps.detail"));
        }
        String drainRun = runIds.get(stops.get(4));
        JsonPath drained = run(a, drainRun);
        assertThat(Instant.parse(drained.getString("finishedAt")))
                .as("the old key stayed registered for the whole grace period across the restart")
                .isAfterOrEqualTo(Instant.parse(drained.getString("drainUntil")));
    }

    private Stop stop(String step, java.util.function.Function<String, String[]> holdOn, String note, String end,
            String grace, boolean refuseNewKey) {
        E2e.Svc svc = e2e.newConnection("restart-" + step.toLowerCase());
        createPolicy(a, svc.id(), Map.of("maxAttempts", 50, "gracePeriod", grace));
        if (refuseNewKey) {
            stack.snowflake().failNextLoginOf(svc.user(), "390144"); // VERIFY's login is refused: it rolls back
        }
        StepHold hold = holdOn == null ? null : StepHold.arm(stack.snowflake(), holdOn.apply(svc.user()));
        return new Stop(step, svc, hold, note, end);
    }

    // ---------------------------------------------------------------------------------------------

    static JsonPath createPolicy(Replica via, String connectionId, Map<String, Object> extra) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("connectionId", connectionId);
        body.put("schedule", "P90D");
        body.putAll(extra);
        return given().port(via.httpPort).header("Authorization", E2e.MANAGER).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/rotation-policies").then().log().ifValidationFails().statusCode(201).extract()
                .jsonPath();
    }

    static List<Map<String, Object>> list(Replica via, String connectionId) {
        return given().port(via.httpPort).header("Authorization", E2e.READER).when()
                .get("/api/v1/rotations?connectionId=" + connectionId).then().statusCode(200).extract().jsonPath()
                .getList("items");
    }

    static JsonPath run(Replica via, String runId) {
        return given().port(via.httpPort).header("Authorization", E2e.MANAGER).when().get("/api/v1/rotations/" + runId)
                .then().statusCode(200).extract().jsonPath();
    }

    static boolean allDone(java.util.Collection<String> runIds, int k) {
        for (String id : runIds) {
            if (!"DONE".equals(run(k % 2 == 0 ? a : b, id).getString("state"))) {
                String state = run(a, id).getString("state");
                if (state.equals("ROLLED_BACK") || state.equals("NEEDS_ATTENTION")) {
                    throw new AssertionError("run " + id + " ended " + state + ": " + run(a, id).prettify());
                }
                return false;
            }
        }
        return true;
    }

    static JsonPath waitForEnd(Replica via, String runId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonPath r = run(via, runId);
            String state = r.getString("state");
            if (state.equals("DONE") || state.equals("ROLLED_BACK") || state.equals("NEEDS_ATTENTION")) {
                return r;
            }
            E2e.sleep(200);
        }
        throw new AssertionError("run " + runId + " did not finish: " + run(via, runId).prettify());
    }

    static String runIdOf(E2e.Svc s) {
        return (String) list(a, s.id()).get(0).get("id");
    }

    static Connection db() throws SQLException {
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
    }

    static int countRuns(List<E2e.Svc> svcs) {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement(
                "select count(*) from rotations.rotation_run where connection_id = any (?::uuid[])")) {
            ps.setArray(1, c.createArrayOf("text", svcs.stream().map(E2e.Svc::id).toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {id, state, lease_owner} of the connection's newest run, or null. */
    static String[] leaseOf(String connectionId) {
        try (Connection c = db(); PreparedStatement ps = c.prepareStatement("select id, state, lease_owner from "
                + "rotations.rotation_run where connection_id = ?::uuid order by created_at desc limit 1")) {
            ps.setString(1, connectionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] { rs.getString(1), rs.getString(2), rs.getString(3) } : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static String[] runRow(String runId) {
        return Replica.runRow(config, runId);
    }

    /** Polls rotation_run every 50 ms and remembers every lease owner each run ever had. */
    static final class LeaseObserver {
        final Map<String, Set<String>> owners = new ConcurrentHashMap<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        Thread thread;

        void start() {
            thread = Thread.ofPlatform().daemon().name("lease-observer").start(() -> {
                while (running.get()) {
                    try (Connection c = db(); PreparedStatement ps = c.prepareStatement(
                            "select id, lease_owner from rotations.rotation_run where lease_owner is not null")) {
                        while (running.get()) {
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    owners.computeIfAbsent(rs.getString(1), x -> ConcurrentHashMap.newKeySet())
                                            .add(rs.getString(2));
                                }
                            }
                            Thread.sleep(50);
                        }
                    } catch (SQLException e) {
                        E2e.sleep(200);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }

        Set<String> owners(String runId) {
            return Set.copyOf(owners.getOrDefault(runId, Set.of()));
        }

        void stop() throws RuntimeException {
            running.set(false);
            thread.interrupt();
        }
    }
}
