package dev.keyline.e2e.keycloak;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyline.common.testing.OtlpReceiver;
import dev.keyline.common.testing.OtlpReceiver.Span;
import dev.keyline.emulators.snowflake.SnowflakeAccount;
import dev.keyline.keys.RsaKeys;
import io.restassured.http.ContentType;

/**
 * One API-connector call is one trace across the real connection-service and certificate-service
 * (both exporting to the stack's local OTLP receiver): the caller's W3C {@code traceparent} is
 * continued by connection-service, whose client span of the exchange is the parent of
 * certificate-service's server span, and both services' audit events of that call carry its trace
 * id. And every JSON log line a request writes names its caller, also those written on another
 * thread than the request's (a Snowflake login on connection-service's session pool).
 */
class ApiConnectorTraceIT {

    @RegisterExtension
    static final KeycloakStack.Shared STACK = new KeycloakStack.Shared();

    static final ObjectMapper JSON = new ObjectMapper();
    static KeycloakStack stack;

    @BeforeAll
    static void theStack() {
        stack = STACK.get();
    }

    /** A traceparent of a caller's own span: 00-trace-span-01. */
    record Caller(String traceId, String spanId) {
        static Caller random() {
            HexFormat hex = HexFormat.of();
            return new Caller(hex.formatHex(nonZero(16)), hex.formatHex(nonZero(8)));
        }

        String traceparent() {
            return "00-" + traceId + "-" + spanId + "-01";
        }

        private static byte[] nonZero(int n) {
            byte[] b = new byte[n];
            do {
                ThreadLocalRandom.current().nextBytes(b);
            } while (b[0] == 0);
            return b;
        }
    }

    @Test
    void aConnectorRequestAndAConnectorTestAreEachOneTraceAcrossBothServicesAndTheirAuditEventsNameIt()
            throws IOException {
        String alice = stack.alice();
        try (PartnerApi partner = new PartnerApi(stack, alice, "trace-e2e-client")) {
            String connectorId = partner.connector(alice, "trace-e2e-api-" + UUID.randomUUID().toString().substring(0, 8));

            Caller test = Caller.random();
            given().baseUri(stack.connectionUrl).header("Authorization", alice).header("traceparent", test.traceparent())
                    .when().post("/api/v1/connections/" + connectorId + "/test").then().statusCode(200)
                    .body("ok", equalTo(true));
            Caller request = Caller.random();
            given().baseUri(stack.connectionUrl).header("Authorization", alice)
                    .header("traceparent", request.traceparent()).contentType(ContentType.JSON)
                    .body(Map.of("method", "POST", "path", "orders", "body", "{\"qty\":1}")).when()
                    .post("/api/v1/connections/" + connectorId + "/requests").then().statusCode(200)
                    .body("status", equalTo(201));

            assertOneTraceThroughBothServices(test, "/test");
            assertOneTraceThroughBothServices(request, "/requests");

            // Operators go from either service's audit trail to the same trace.
            assertThat(auditTraceIds(stack.connectionUrl, alice, connectorId, "connection.test"))
                    .containsExactly(test.traceId());
            assertThat(auditTraceIds(stack.connectionUrl, alice, connectorId, "connection.request"))
                    .containsExactly(request.traceId());
            assertThat(auditTraceIds(stack.certificateUrl, alice, partner.certificateId, "certificate.exchange"))
                    .containsExactlyInAnyOrder(test.traceId(), request.traceId());

            // Every line either service wrote in those traces names alice (the first, and every later one).
            for (Caller c : List.of(test, request)) {
                Map<String, List<JsonNode>> lines = linesOf(c.traceId(), "connection-service", "certificate-service");
                assertThat(lines.get("connection-service")).as("connection-service's lines of trace %s", c.traceId())
                        .isNotEmpty().allSatisfy(line -> assertThat(line.path("subject").asText()).as(line.toString())
                                .isEqualTo("alice"));
                assertThat(lines.get("certificate-service")).as("certificate-service's lines of trace %s", c.traceId())
                        .isNotEmpty().allSatisfy(line -> assertThat(line.path("subject").asText()).as(line.toString())
                                .isEqualTo("alice"));
            }
            given().baseUri(stack.connectionUrl).header("Authorization", alice).when()
                    .delete("/api/v1/connections/" + connectorId).then().statusCode(204);
        }
    }

    @Test
    void aLineWrittenOnConnectionServicesSessionPoolNamesTheRequestsCallerAndTrace() throws IOException {
        String alice = stack.alice();
        SnowflakeAccount acme = stack.snowflake.account(KeycloakStack.ACCOUNT);
        acme.role("LOADER");
        String user = "SVC_LOGLINE_" + UUID.randomUUID().toString().substring(0, 6).toUpperCase();
        KeyPair key = RsaKeys.generate(2048);
        acme.user(user).role("LOADER").rsaPublicKey(key.getPublic());
        String id = stack.createConnection(alice, stack.snowflakeConnectionBody("log-line", user, "LOADER",
                key.getPrivate(), null));
        // The key is no longer registered at Snowflake: the login on the session pool fails, and
        // connection-service logs that failure (at INFO) on the pool's thread.
        stack.snowflake.unsetKeySlot(KeycloakStack.ACCOUNT, user, 1);
        stack.snowflake.unsetKeySlot(KeycloakStack.ACCOUNT, user, 2);

        Caller caller = Caller.random();
        given().baseUri(stack.connectionUrl).header("Authorization", alice).header("traceparent", caller.traceparent())
                .when().post("/api/v1/connections/" + id + "/test").then().statusCode(422)
                .body("type", equalTo("urn:keyline:problem:snowflake-jwt-rejected"));

        JsonNode poolLine = awaitLine("connection-service", l -> l.path("message").asText()
                .matches("(?i)Snowflake failed for user " + user + " of account .*JWT_REJECTED.*"));
        // CallerLogContext's line, the request's first: "POST <path>".
        JsonNode requestLine = awaitLine("connection-service", l -> l.path("message").asText().startsWith("POST ")
                && l.path("message").asText().endsWith("connections/" + id + "/test"));
        assertThat(poolLine.path("thread").asText()).as("the failure is logged on another thread than the request's")
                .isNotEqualTo(requestLine.path("thread").asText());
        assertThat(poolLine.path("subject").asText()).as(poolLine.toString()).isEqualTo("alice");
        assertThat(poolLine.path("traceId").asText()).as(poolLine.toString()).isEqualTo(caller.traceId());
        assertThat(requestLine.path("traceId").asText()).isEqualTo(caller.traceId());
        assertThat(linesOf(caller.traceId(), "connection-service").get("connection-service")).hasSizeGreaterThan(1)
                .allSatisfy(line -> assertThat(line.path("subject").asText()).as(line.toString()).isEqualTo("alice"));
    }

    /**
     * The trace of {@code caller}'s call: connection-service's server span continues the caller's
     * span; one certificate-service server span (the exchange), whose parent is a connection-service
     * client span inside that server span; no other service.
     */
    private static void assertOneTraceThroughBothServices(Caller caller, String endpoint) {
        OtlpReceiver otlp = stack.otlp;
        List<Span> trace = otlp.await(caller.traceId(), t -> serverSpan(t, "certificate-service").isPresent()
                && serverSpan(t, "certificate-service").flatMap(s -> parent(t, s)).isPresent()
                && t.stream().anyMatch(s -> isServer(s, "connection-service") && caller.spanId().equals(s.parentSpanId())),
                Duration.ofSeconds(30));
        String shown = trace.stream().map(s -> s.service() + ":" + s.kind() + ":" + s.name()).toList().toString();

        assertThat(trace.stream().map(Span::service).collect(Collectors.toSet())).as(shown)
                .containsExactlyInAnyOrder("connection-service", "certificate-service");
        List<Span> connectionServer = trace.stream().filter(s -> isServer(s, "connection-service")).toList();
        assertThat(connectionServer).as("connection-service's server spans in %s", shown).hasSize(1);
        Span entry = connectionServer.get(0);
        assertThat(entry.parentSpanId()).as("continues the caller's span").isEqualTo(caller.spanId());
        assertThat(entry.name()).contains(endpoint);

        List<Span> certificateServer = trace.stream().filter(s -> isServer(s, "certificate-service")).toList();
        assertThat(certificateServer).as("certificate-service's server spans in %s", shown).hasSize(1);
        assertThat(certificateServer.get(0).name()).contains("exchange");
        Span client = parent(trace, certificateServer.get(0)).orElseThrow();
        assertThat(client.service()).isEqualTo("connection-service");
        assertThat(client.kind()).as("the parent of certificate-service's server span").isEqualTo("CLIENT");
        // The client span belongs to this request: following its parents leads to connection-service's server span.
        Map<String, Span> byId = trace.stream().collect(Collectors.toMap(Span::spanId, Function.identity(), (a, b) -> a));
        Span up = client;
        while (up != null && !up.spanId().equals(entry.spanId())) {
            up = byId.get(up.parentSpanId());
        }
        assertThat(up).as("connection-service's client span lies inside its server span of %s", endpoint).isNotNull();
    }

    private static boolean isServer(Span s, String service) {
        return s.service().equals(service) && s.kind().equals("SERVER");
    }

    private static Optional<Span> serverSpan(List<Span> trace, String service) {
        return trace.stream().filter(s -> isServer(s, service)).findFirst();
    }

    private static Optional<Span> parent(List<Span> trace, Span child) {
        return trace.stream().filter(s -> s.spanId().equals(child.parentSpanId())).findFirst();
    }

    private static List<String> auditTraceIds(String serviceUrl, String bearer, String resourceId, String action) {
        return given().baseUri(serviceUrl).header("Authorization", bearer).queryParam("resourceId", resourceId)
                .queryParam("action", action).when().get("/api/v1/audit-events").then().statusCode(200).extract()
                .jsonPath().getList("traceId", String.class);
    }

    /** Each service's JSON log lines of {@code traceId}. */
    private static Map<String, List<JsonNode>> linesOf(String traceId, String... services) throws IOException {
        Map<String, List<JsonNode>> lines = new java.util.HashMap<>();
        for (String service : services) {
            lines.put(service, jsonLines(service).stream().filter(l -> traceId.equals(l.path("traceId").asText()))
                    .toList());
        }
        return lines;
    }

    /** The first JSON line of {@code service} matching {@code condition}, waiting a little for it to be written. */
    private static JsonNode awaitLine(String service, java.util.function.Predicate<JsonNode> condition)
            throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            Optional<JsonNode> found = jsonLines(service).stream().filter(condition).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no such line in " + stack.log(service));
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** The service's log lines that are JSON objects (the production profile writes nothing else once started). */
    private static List<JsonNode> jsonLines(String service) throws IOException {
        Path log = stack.log(service);
        return Files.readAllLines(log, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("{")).map(l -> {
            try {
                return JSON.readTree(l);
            } catch (IOException e) {
                throw new AssertionError("not one JSON object per line in " + log + ": " + l, e);
            }
        }).toList();
    }
}
