package dev.keyline.rotation.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.keyline.common.testing.HostileInput;
import dev.keyline.common.testing.HostileInput.Target;
import dev.keyline.common.testing.HostileText;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Issue 9's hostile-input suite for rotation-service, generated from tables: every worst-case
 * 64 KiB text × every field of policy create and replace and of a run request, schedules that fire
 * more often than hourly or overflow time, windows and zones, and malformed bodies. Each case must
 * get a 4xx problem+json within 2 s and change nothing: policy count, run count, Vault secret count
 * and the existing policy.
 */
@QuarkusTest
@QuarkusTestResource(RotationStack.class)
class HostileInputTest {

    private static final String POLICIES = "/api/v1/rotation-policies";

    RotationStack.Handles stack;

    @Inject
    DataSource dataSource;

    private String policyId;

    @AfterAll
    static void summary() {
        HostileInput.printSummary("rotation-service");
    }

    @TestFactory
    Stream<DynamicTest> hostileInputs() {
        E2e e2e = new E2e(stack);
        policyId = e2e.createPolicy(e2e.newConnection("hostile").id(), Map.of());
        List<DynamicTest> tests = new ArrayList<>();
        List<Target> targets = targets();
        HostileText.worstCases().forEach((name, payload) -> {
            for (Target t : targets) {
                tests.add(test(t, name, payload, List.of(payload)));
            }
        });
        scheduleCases(tests);
        malformedBodies(tests);
        pageSizes(tests);
        return tests.stream();
    }

    private DynamicTest test(Target t, String payloadName, String payload, List<String> secrets) {
        return HostileInput.test(t, payloadName, payload, secrets, stored());
    }

    /**
     * The number of policies and runs, the suite's own policy row, and the number of pending keys in
     * Vault. Other rows are left out of the digest: the scheduler may move other tests' policies and
     * runs on meanwhile.
     */
    private Supplier<Object> stored() {
        return () -> List.of(HostileInput.tableState(dataSource, "rotations.rotation_policy", "t.id = '" + policyId + "'"),
                count("rotations.rotation_policy"), count("rotations.rotation_run"),
                stack.rotationVault().secretPaths("secret").size());
    }

    private long count(String table) {
        return (Long) HostileInput.tableState(dataSource, table, "true").get(0);
    }

    private static RequestSpecification manager() {
        return HostileInput.as(E2e.MANAGER);
    }

    // ---- fields ------------------------------------------------------------------------------------

    /**
     * A policy body that is valid except for {@code field}. Creates name a connection that does not
     * exist, so a field that slipped through would still end in a 404 and store nothing.
     */
    private static Map<String, Object> policyBody(String field, Object payload) {
        Map<String, Object> window = new HashMap<>(Map.of("start", "02:00", "end", "05:00", "zone", "UTC"));
        Map<String, Object> body = new HashMap<>();
        body.put("connectionId", UUID.randomUUID().toString());
        body.put("schedule", "P90D");
        body.put("window", window);
        body.put("gracePeriod", "PT1H");
        body.put("keySize", 2048);
        body.put("maxAttempts", 5);
        body.put("enabled", true);
        if (field.startsWith("window.")) {
            window.put(field.substring("window.".length()), payload);
        } else {
            body.put(field, payload);
        }
        return body;
    }

    private List<Target> targets() {
        List<Target> targets = new ArrayList<>();
        for (String field : List.of("connectionId", "schedule", "window.start", "window.end", "window.zone",
                "gracePeriod", "keySize", "maxAttempts", "enabled")) {
            targets.add(new Target("POST policy", field, p -> manager().contentType(ContentType.JSON)
                    .body(policyBody(field, p)).post(POLICIES)));
            if (!field.equals("connectionId")) {
                targets.add(new Target("PUT policy", field, p -> manager().contentType(ContentType.JSON)
                        .body(withoutConnection(policyBody(field, p))).put(POLICIES + "/" + policyId)));
            }
        }
        targets.add(new Target("POST rotations", "adopt", p -> manager().contentType(ContentType.JSON)
                .body(Map.of("adopt", p)).post("/api/v1/connections/" + UUID.randomUUID() + "/rotations")));
        return targets;
    }

    private static Map<String, Object> withoutConnection(Map<String, Object> body) {
        body.remove("connectionId");
        return body;
    }

    // ---- schedules ---------------------------------------------------------------------------------

    private void scheduleCases(List<DynamicTest> tests) {
        Map<String, List<Object>> cases = new LinkedHashMap<>();
        cases.put("schedule", List.of("* * * * * ?", "0 * * * * ?", "0 0/30 * * * ?", "0 0,59 3 * * ?",
                "0 0/5 3 29 2 ?", "0-59 0 3 * * ?", "*/1 * * * * ?", "0 0,1 * * * ?",
                "PT59M", "PT0S", "P0D", "P-1D", "PT-1H", "P999999999Y", "PT9999999999H", "P1000000000D",
                "@hourly", "R/2020-01-01T00:00:00Z/PT1M", "0 0 3 L-99 * ?", "0 0 3 ? * 8#9",
                "* * * * * * * * * *", "0 0 3 * * ? " + "1,".repeat(90), "", "   ", "p", "P", "PT"));
        cases.put("window.start", List.of("24:00", "2:00", "02:60", "02:00:00.9999999999", "-01:00", "T02:00"));
        cases.put("window.zone", List.of("Mars/Olympus", "../../etc/passwd", "UTC+99", "Etc/GMT+99", "+25:00"));
        cases.put("gracePeriod", List.of("PT-1H", "P31D", "PT999999999999999999H", "soon", "P1Y"));
        cases.put("keySize", List.of(1024, 65536, -2048, 0, "2048x"));
        cases.put("maxAttempts", List.of(0, 51, -1, "many", 1e10));
        cases.put("enabled", List.of("yes", "truee"));
        cases.forEach((field, values) -> {
            for (Object value : values) {
                tests.add(HostileInput.test("POST policy " + field + " <- " + value, () -> manager()
                        .contentType(ContentType.JSON).body(policyBody(field, value)).post(POLICIES), List.of(), stored()));
                tests.add(HostileInput.test("PUT policy " + field + " <- " + value, () -> manager()
                        .contentType(ContentType.JSON).body(withoutConnection(policyBody(field, value)))
                        .put(POLICIES + "/" + policyId), List.of(), stored()));
            }
        });
        tests.add(HostileInput.test("POST policy window.end <- same as start", () -> manager().contentType(ContentType.JSON)
                .body(policyBody("window.end", "02:00")).post(POLICIES), List.of(), stored()));
    }

    // ---- malformed bodies ------------------------------------------------------------------------

    private void malformedBodies(List<DynamicTest> tests) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("unknown field", "{\"schedule\":\"P90D\",\"cron\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        bodies.put("window is a string", "{\"schedule\":\"P90D\",\"window\":\"02-05\"}".getBytes(StandardCharsets.UTF_8));
        bodies.put("body is an array", "[]".getBytes(StandardCharsets.UTF_8));
        bodies.put("body is a number", "7".getBytes(StandardCharsets.UTF_8));
        bodies.put("duplicate key", "{\"schedule\":\"P90D\",\"schedule\":\"* * * * * ?\"}".getBytes(StandardCharsets.UTF_8));
        bodies.put("invalid UTF-8", new byte[] { '{', '"', 's', 'c', 'h', 'e', 'd', 'u', 'l', 'e', '"', ':', '"', (byte) 0xC3,
                (byte) 0x28, '"', '}' });
        bodies.put("truncated JSON", "{\"schedule\":".getBytes(StandardCharsets.UTF_8));
        bodies.put("10,000 nested arrays", ("{\"window\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}")
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("1.2 MB body", ("{\"schedule\":\"" + "1".repeat(1_200_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        bodies.put("huge number", ("{\"keySize\":" + "9".repeat(60_000) + "}").getBytes(StandardCharsets.UTF_8));
        Map<String, Function<byte[], Response>> endpoints = new LinkedHashMap<>();
        endpoints.put("POST policy", b -> manager().contentType("application/json").body(b).post(POLICIES));
        endpoints.put("PUT policy", b -> manager().contentType("application/json").body(b).put(POLICIES + "/" + policyId));
        endpoints.put("POST rotations", b -> manager().contentType("application/json").body(b)
                .post("/api/v1/connections/" + UUID.randomUUID() + "/rotations"));
        bodies.forEach((name, bytes) -> endpoints.forEach((endpoint, send) -> tests.add(HostileInput.test(
                endpoint + " <- " + name, () -> send.apply(bytes), List.of(), stored()))));
    }

    private void pageSizes(List<DynamicTest> tests) {
        for (String size : List.of("0", "-1", "501", "100000", "abc")) {
            tests.add(HostileInput.test("GET policies size <- " + size, () -> HostileInput.as(E2e.READER)
                    .queryParam("size", size).get(POLICIES), List.of(), stored()));
            tests.add(HostileInput.test("GET rotations size <- " + size, () -> HostileInput.as(E2e.READER)
                    .queryParam("size", size).get("/api/v1/rotations"), List.of(), stored()));
        }
    }
}
