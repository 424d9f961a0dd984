package dev.keyline.common.testing;

import static io.restassured.RestAssured.given;

import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.specification.RequestSpecification;

/**
 * An authorization matrix generated from a service's OpenAPI document: every {@code /api} operation
 * × {no token, expired token, a token for another service's audience, each single permission of the
 * whole system, the accepted permissions (with what the next service needs from the caller)} → 401,
 * 403, or "neither" (the request got past authorization; 404 for a random id or 400 for an empty body
 * is fine). Tokens of the permission columns name all three services' audiences, as a person's token
 * that rotation-service or connection-service forwards must.
 *
 * <p>
 * The table of what each operation accepts is written by hand in each service's test; an operation
 * of the document without an entry fails the matrix, so a new endpoint cannot ship unchecked, and
 * an entry without an operation fails it too, so the table cannot rot.
 */
public final class AuthorizationMatrix {

    /** Every permission of the system: a single one of them must open exactly the operations that accept it. */
    public static final List<String> ALL_PERMISSIONS = List.of("certificates:read", "certificates:use",
            "certificates:manage", "connections:read", "connections:use", "connections:manage", "connections:rotate",
            "rotations:read", "rotations:manage");

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");
    private static final Pattern PARAMETER = Pattern.compile("\\{([^}/]+)}");

    /**
     * What one operation accepts.
     *
     * @param accepted any one of these permissions lets the caller through this service's check
     * @param delegated what the caller must hold as well for the next service, which this one asks
     *        with the caller's token (rotation-service → connection-service); empty when none
     */
    public record Access(Set<String> accepted, Set<String> delegated) {
    }

    /** Accepted by any one of {@code permissions}. */
    public static Access accepts(String... permissions) {
        return new Access(new LinkedHashSet<>(List.of(permissions)), Set.of());
    }

    /** Accepted by any one of {@code permissions}, and the next service needs the caller's {@code delegated} too. */
    public static Access acceptsDelegating(Set<String> delegated, String... permissions) {
        return new Access(new LinkedHashSet<>(List.of(permissions)), new LinkedHashSet<>(delegated));
    }

    private final Map<String, Access> table;
    private final Map<String, String> parameterValues = new LinkedHashMap<>();
    private final Map<String, String> bodies = new LinkedHashMap<>();

    /** @param table what each operation accepts, keyed {@code "METHOD /path/{param}"} as the OpenAPI document spells it */
    public AuthorizationMatrix(Map<String, Access> table) {
        this.table = table;
    }

    /** The value a path parameter gets (default: a random UUID, which should answer 404 when allowed). */
    public AuthorizationMatrix parameter(String name, String value) {
        parameterValues.put(name, value);
        return this;
    }

    /**
     * The JSON body sent to {@code operation} (default {@code {}}): for an operation that validates
     * its body before it asks the next service, so the matrix reaches that question.
     */
    public AuthorizationMatrix body(String operation, String json) {
        bodies.put(operation, json);
        return this;
    }

    /** One operation of the document. */
    record Operation(String method, String path, String contentType) {
        String key() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }

    /**
     * Runs the whole matrix against the running service, whose document is at {@code openapi}
     * ({@code /q/openapi} on the management port), and fails listing every cell that differs.
     */
    public void verify(URL openapi) {
        List<Operation> operations = operations(openapi);
        List<String> problems = new ArrayList<>();
        Set<String> documented = new TreeSet<>();
        for (Operation op : operations) {
            documented.add(op.key());
        }
        for (String key : documented) {
            if (!table.containsKey(key)) {
                problems.add(key + ": no entry in the authorization table; say which permissions it accepts");
            }
        }
        for (String key : table.keySet()) {
            if (!documented.contains(key)) {
                problems.add(key + ": in the authorization table but not in the OpenAPI document");
            }
        }
        if (operations.isEmpty()) {
            problems.add("the OpenAPI document lists no /api operation");
        }
        if (!problems.isEmpty()) {
            // The table is wrong: say so before spending a request on any cell.
            throw new AssertionError("Authorization matrix table: " + String.join("; ", problems));
        }
        for (Operation op : operations) {
            Access access = table.get(op.key());
            if (access == null) {
                continue;
            }
            check(problems, op, "no token", null, false);
            Set<String> everything = new LinkedHashSet<>(access.accepted());
            everything.addAll(access.delegated());
            Instant now = Instant.now();
            check(problems, op, "expired token", TestTokens.mint("matrix", everything.toArray(String[]::new))
                    .audience(TokenRules.SERVICES.toArray(String[]::new)).issuedAt(now.minusSeconds(7200))
                    .expiresAt(now.minusSeconds(3600)).bearer(), false);
            String own = TestTokens.defaultAudience().get(0);
            for (String other : TokenRules.SERVICES) {
                if (!other.equals(own)) {
                    check(problems, op, "audience " + other + " only",
                            TestTokens.mint("matrix", everything.toArray(String[]::new)).audience(other).bearer(), false);
                }
            }
            for (String permission : ALL_PERMISSIONS) {
                boolean allowed = access.accepted().contains(permission) && access.delegated().isEmpty();
                check(problems, op, "only " + permission, everyAudience(permission), allowed);
            }
            for (String permission : access.accepted()) {
                Set<String> granted = new LinkedHashSet<>(access.delegated());
                granted.add(permission);
                check(problems, op, "the right ones " + granted, everyAudience(granted.toArray(String[]::new)), true);
            }
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("Authorization matrix: " + problems.size() + " problem(s)\n  "
                    + String.join("\n  ", problems));
        }
    }

    /**
     * Every documented /api path × every method it does not document → 405 whose {@code Allow} names
     * exactly the documented ones (with HEAD beside GET, and OPTIONS): RFC 9110 15.5.6. The document
     * and the service's {@code Allow} are read from the code by two different scanners, so either
     * drifting from the other fails here.
     */
    public static void verifyMethodNotAllowed(URL openapi) {
        Map<String, Set<String>> byPath = new TreeMap<>();
        for (Operation op : operations(openapi)) {
            byPath.computeIfAbsent(op.path(), k -> new TreeSet<>()).add(op.method().toUpperCase(Locale.ROOT));
        }
        String everything = everyAudience(ALL_PERMISSIONS.toArray(String[]::new));
        List<String> problems = new ArrayList<>();
        AuthorizationMatrix anyIds = new AuthorizationMatrix(Map.of());
        for (Map.Entry<String, Set<String>> path : byPath.entrySet()) {
            Set<String> expected = new TreeSet<>(path.getValue());
            if (expected.contains("GET")) {
                expected.add("HEAD");
            }
            expected.add("OPTIONS");
            for (String method : List.of("GET", "PUT", "POST", "DELETE", "PATCH")) {
                if (path.getValue().contains(method)) {
                    continue;
                }
                var answer = given().redirects().follow(false).header("Authorization", everything).when()
                        .request(method, anyIds.concrete(path.getKey())).then().extract();
                String allow = answer.header("Allow");
                Set<String> allowed = allow == null ? Set.of() : new TreeSet<>(List.of(allow.split(",\\s*")));
                if (answer.statusCode() != 405 || !allowed.equals(expected)) {
                    problems.add(method + " " + path.getKey() + ": expected 405 with Allow " + expected + ", got "
                            + answer.statusCode() + " with Allow " + allow);
                }
            }
        }
        if (byPath.isEmpty()) {
            problems.add("the OpenAPI document lists no /api operation");
        }
        if (!problems.isEmpty()) {
            throw new AssertionError("Method not allowed: " + problems.size() + " problem(s)\n  "
                    + String.join("\n  ", problems));
        }
    }

    private void check(List<String> problems, Operation op, String column, String authorization, boolean allowed) {
        RequestSpecification request = given().redirects().follow(false);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        if (op.contentType() != null) {
            if (op.contentType().startsWith("multipart/")) {
                request.multiPart("name", "authorization-matrix");
            } else {
                request.contentType(op.contentType()).body(bodies.getOrDefault(op.key(), "{}"));
            }
        }
        int status = request.when().request(op.method().toUpperCase(Locale.ROOT), concrete(op.path())).then().extract()
                .statusCode();
        String expected;
        boolean ok;
        // Not a token for this service at all: no token, expired, or issued for another service.
        if (authorization == null || column.startsWith("expired") || column.startsWith("audience")) {
            expected = "401";
            ok = status == 401;
        } else if (allowed) {
            expected = "neither 401 nor 403";
            ok = status != 401 && status != 403;
        } else {
            expected = "403";
            ok = status == 403;
        }
        if (!ok) {
            problems.add(op.key() + " with " + column + ": expected " + expected + ", got " + status);
        }
    }

    private String concrete(String path) {
        Matcher m = PARAMETER.matcher(path);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = parameterValues.getOrDefault(m.group(1), UUID.randomUUID().toString());
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<Operation> operations(URL openapi) {
        JsonNode document = document(openapi);
        assertJwtSecured(document);
        List<Operation> operations = new ArrayList<>();
        for (Documented op : apiOperations(document)) {
            JsonNode content = op.node().path("requestBody").path("content");
            String contentType = content.isObject() && content.fieldNames().hasNext() ? content.fieldNames().next() : null;
            operations.add(new Operation(op.method(), op.path(), contentType));
        }
        return operations;
    }

    /**
     * Fetches the document at {@code openapi} and checks that it declares the bearer-token scheme and
     * that every /api operation names it: Quarkus' security filter adds both, and service-common's
     * DeferredOpenApiDocuments, which builds the document on the first request instead of at start,
     * must keep them (rotation-service's TwoInstancesIT runs this against the packaged jar, where the
     * deferral is in effect).
     */
    public static void verifyJwtSecured(URL openapi) {
        assertJwtSecured(document(openapi));
    }

    private static JsonNode document(URL openapi) {
        String json = given().queryParam("format", "json").when().get(openapi).then().statusCode(200).extract().asString();
        try {
            return new ObjectMapper().readTree(json);
        } catch (java.io.IOException e) {
            throw new AssertionError("the OpenAPI document is not JSON", e);
        }
    }

    private static void assertJwtSecured(JsonNode document) {
        JsonNode jwt = document.path("components").path("securitySchemes").path("jwt");
        if (!jwt.path("type").asText().equals("http") || !jwt.path("scheme").asText().equals("bearer")
                || !jwt.path("bearerFormat").asText().equals("JWT")) {
            throw new AssertionError("the OpenAPI document lacks the jwt bearer security scheme: "
                    + document.path("components").path("securitySchemes"));
        }
        List<Documented> operations = apiOperations(document);
        if (operations.isEmpty()) {
            throw new AssertionError("the OpenAPI document lists no /api operation");
        }
        for (Documented op : operations) {
            if (!op.node().path("security").toString().equals("[{\"jwt\":[]}]")) {
                throw new AssertionError(op.method() + " " + op.path() + ": the OpenAPI document does not say it needs"
                        + " the jwt scheme: " + op.node().path("security"));
            }
        }
    }

    /** One operation of the document's /api paths, as documented. */
    private record Documented(String method, String path, JsonNode node) {
    }

    private static List<Documented> apiOperations(JsonNode document) {
        List<Documented> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = document.path("paths").fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> path = it.next();
            if (!path.getKey().startsWith("/api/")) {
                continue;
            }
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (METHODS.contains(op.getKey())) {
                    operations.add(new Documented(op.getKey(), path.getKey(), op.getValue()));
                }
            }
        }
        return operations;
    }

    /** A fresh token valid at every service, so what it may do depends on its permissions alone. */
    private static String everyAudience(String... permissions) {
        return TestTokens.mint("matrix", permissions).audience(TokenRules.SERVICES.toArray(String[]::new)).bearer();
    }
}
