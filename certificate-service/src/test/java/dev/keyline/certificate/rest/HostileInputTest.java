package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.certificate.CertificateFixtures;
import dev.keyline.common.testing.HostileInput;
import dev.keyline.common.testing.HostileInput.Target;
import dev.keyline.common.testing.HostilePem;
import dev.keyline.common.testing.HostileText;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.testing.Issued;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * Issue 9's hostile-input suite for certificate-service, generated from tables: every worst-case
 * 64 KiB text × every text field × every endpoint that takes one (JSON create and replace, multipart
 * upload, exchange), PEM fuzz in every key and certificate field, domain and URL edge cases, SSRF
 * addresses, and malformed bodies. Each case must get a 4xx problem+json within 2 s, echo no secret
 * part of its input, and store nothing (certificate count, Vault secret count and the existing
 * certificate's version unchanged).
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class HostileInputTest {

    private static final String BASE = "/api/v1/certificates";

    @InjectVaultEmulator
    VaultEmulator vault;

    @Inject
    DataSource dataSource;

    private String existingId;
    private Issued client;
    private String passphrase;
    /** Encrypted once: every fresh encryption would register new secret fragments with the leak guard. */
    private String encryptedKey;

    @AfterAll
    static void summary() {
        HostileInput.printSummary("certificate-service");
    }

    @TestFactory
    Stream<DynamicTest> hostileInputs() {
        setUp();
        List<DynamicTest> tests = new ArrayList<>();
        List<Target> textTargets = textTargets();
        HostileText.worstCases().forEach((payloadName, payload) -> {
            for (Target t : textTargets) {
                tests.add(test(t, payloadName, payload));
            }
        });
        List<Target> keyTargets = textTargets.stream().filter(t -> t.field().equals("clientKey")).toList();
        HostilePem.privateKeys().forEach((name, pem) -> {
            for (Target t : keyTargets) {
                tests.add(test(t, name, pem));
            }
        });
        List<Target> certificateTargets = textTargets.stream()
                .filter(t -> t.field().equals("clientCertificate") || t.field().equals("caCertificate")).toList();
        HostilePem.certificates(client.certificatePem()).forEach((name, pem) -> {
            for (Target t : certificateTargets) {
                tests.add(test(t, name, pem));
            }
        });
        domainCases(tests);
        urlCases(tests);
        ssrfCases(tests);
        malformedBodies(tests);
        pageSizes(tests);
        return tests.stream();
    }

    /** The payload itself counts as a secret: nothing of it may come back. */
    private DynamicTest test(Target t, String payloadName, String payload) {
        return test(t, payloadName, payload, List.of(payload, passphrase));
    }

    private DynamicTest test(Target t, String payloadName, String payload, List<String> secrets) {
        return HostileInput.test(t, payloadName, payload, secrets, stored());
    }

    // ---- fixtures ---------------------------------------------------------------------------------

    private void setUp() {
        client = CertificateFixtures.client("hostile");
        passphrase = CertificateFixtures.passphrase();
        SecretLeakGuard.secret(client.privateKeyPkcs8Pem());
        encryptedKey = SecretLeakGuard.secret(client.encryptedPkcs8Pem(passphrase.toCharArray()));
        Map<String, Object> body = validBody();
        existingId = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE).then().statusCode(201).extract().path("id");
    }

    /** A valid upload of the suite's client certificate; each case spoils one field. */
    private Map<String, Object> validBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", CertificateFixtures.uniqueName("hostile"));
        body.put("description", "hostile-input suite");
        body.put("authorizedDomains", List.of("*.example.com", "api.partner.test:8443"));
        body.put("clientCertificate", client.certificatePem());
        body.put("clientKey", encryptedKey);
        body.put("passphrase", passphrase);
        return body;
    }

    /** Every certificate row (so also the existing one's version) and the number of Vault secrets. */
    private Supplier<Object> stored() {
        return () -> List.of(HostileInput.tableState(dataSource, "certificates.certificate"),
                vault.secretPaths("secret").size());
    }

    private static String version(String id) {
        return given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .extract().header("ETag");
    }

    private static RequestSpecification manager() {
        return HostileInput.as(MANAGER);
    }

    // ---- the text fields of every endpoint ----------------------------------------------------------

    private List<Target> textTargets() {
        List<Target> targets = new ArrayList<>();
        for (String field : List.of("name", "description", "authorizedDomains", "clientCertificate", "clientKey",
                "passphrase", "caCertificate")) {
            targets.add(new Target("POST json", field, payload -> manager().contentType(ContentType.JSON)
                    .body(withField(validBody(), field, payload)).post(BASE)));
            targets.add(new Target("PUT json", field, payload -> manager().contentType(ContentType.JSON)
                    .header("If-Match", version(existingId)).body(withField(validBody(), field, payload))
                    .put(BASE + "/" + existingId)));
            targets.add(new Target("POST multipart", field, payload -> multipart(field, payload).post(BASE)));
        }
        String refused = "https://refused.example.net/";
        targets.add(exchange("method", p -> Map.of("url", refused, "method", p)));
        targets.add(exchange("url", p -> Map.of("url", p)));
        targets.add(exchange("host", p -> Map.of("host", p)));
        targets.add(exchange("path", p -> Map.of("host", "refused.example.net", "path", p)));
        targets.add(exchange("headers (name)", p -> Map.of("url", refused, "headers", Map.of(p, "x"))));
        targets.add(exchange("headers (value)", p -> Map.of("url", refused, "headers", Map.of("X-Test", p))));
        targets.add(exchange("body", p -> Map.of("url", refused, "method", "POST", "body", p)));
        targets.add(exchange("bodyBase64", p -> Map.of("url", refused, "method", "POST", "bodyBase64", p)));
        return targets;
    }

    private Target exchange(String field, Function<String, Map<String, Object>> body) {
        return new Target("POST exchange", field, payload -> manager().contentType(ContentType.JSON)
                .body(body.apply(payload)).post(BASE + "/" + existingId + "/exchange"));
    }

    private static Map<String, Object> withField(Map<String, Object> body, String field, Object payload) {
        body.put(field, field.equals("authorizedDomains") && payload instanceof String ? List.of(payload) : payload);
        return body;
    }

    /** A valid multipart upload with {@code field} replaced; PEM fields go as files, the rest as form fields. */
    private RequestSpecification multipart(String field, String payload) {
        Map<String, Object> valid = validBody();
        Map<String, String> text = new HashMap<>();
        text.put("name", (String) valid.get("name"));
        text.put("description", (String) valid.get("description"));
        text.put("authorizedDomains", "*.example.com,api.partner.test:8443");
        text.put("passphrase", passphrase);
        Map<String, String> files = new HashMap<>();
        files.put("clientCertificate", (String) valid.get("clientCertificate"));
        files.put("clientKey", (String) valid.get("clientKey"));
        if (files.containsKey(field) || field.equals("caCertificate")) {
            files.put(field, payload);
        } else {
            text.put(field, payload);
        }
        RequestSpecification spec = manager().contentType("multipart/form-data");
        text.forEach(spec::multiPart);
        files.forEach((name, content) -> spec.multiPart(name, name.equals("clientKey") ? "client.key" : name + ".pem",
                content.getBytes(StandardCharsets.UTF_8), "application/x-pem-file"));
        return spec;
    }

    // ---- domains, URLs, SSRF -------------------------------------------------------------------------

    private void domainCases(List<DynamicTest> tests) {
        List<String> domains = List.of("*", "*.com", "*.co.uk", "*.github.io", "a*.example.com", "*.*.example.com",
                "example.*", "a..example.com", ".example.com", "example.com..", "-a.example.com", "a-.example.com",
                "a_b.example.com", "https://example.com", "example.com/path", "user@example.com", "example.com:0",
                "example.com:65536", "example.com:-1", "example.com:443:443", "[::1", "*.10.0.0.1", "*.[::1]",
                "127.1", "010.0.0.1", "0x7f.0.0.1", "a".repeat(64) + ".example.com", "a.".repeat(127) + "com",
                "exa mple.com", "example.com\u0000", "ex\u202Eample.com", "example.com?x", "example.com#x",
                "\u0661\u0662\u0667.0.0.1");
        for (String domain : domains) {
            tests.add(test(new Target("POST json", "authorizedDomains",
                    p -> manager().contentType(ContentType.JSON).body(withField(validBody(), "authorizedDomains", p))
                            .post(BASE)), "domain " + HostileInput.printable(domain), domain, List.of(passphrase)));
            tests.add(test(new Target("POST multipart", "authorizedDomains",
                    p -> multipart("authorizedDomains", p).post(BASE)), "domain " + HostileInput.printable(domain), domain,
                    List.of(passphrase)));
        }
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            many.add("h" + i + ".example.com");
        }
        tests.add(HostileInput.test("POST json authorizedDomains <- 101 domains",
                () -> manager().contentType(ContentType.JSON).body(withField(validBody(), "authorizedDomains", many))
                        .post(BASE), List.of(passphrase), stored()));
        tests.add(HostileInput.test("POST multipart authorizedDomains <- 101 domains",
                () -> multipart("authorizedDomains", String.join(",", many)).post(BASE), List.of(passphrase), stored()));
        tests.add(HostileInput.test("POST multipart authorizedDomains <- 20,000 commas",
                () -> multipart("authorizedDomains", "a.example.com" + ",".repeat(20_000)).post(BASE),
                List.of(passphrase), stored()));
    }

    private void urlCases(List<DynamicTest> tests) {
        List<String> urls = List.of("http://api.example.com/", "ftp://api.example.com/", "https://", "https:///x",
                "https://user@api.example.com/", "https://api.example.com\\@evil.test/", "https://api.example.com#@evil.test/",
                "https://api.example.com:0/", "https://api.example.com:99999/", "https://[::1/", "https://api.example.com/ x",
                "https://api.example.com/\r\nHost: evil.test", "https://api.example.com/%zz", "//api.example.com/",
                "https://evil.test/", "https://api.example.com.evil.test/", "javascript:alert(1)",
                "https://" + "a.".repeat(2000) + "example.com/");
        for (String url : urls) {
            // A refused host is named in the reason; only whole-URL echoes of long inputs would matter.
            tests.add(test(exchange("url", p -> Map.of("url", p)), "url " + HostileInput.printable(url), url, List.of()));
        }
        tests.add(test(exchange("headers", p -> Map.of("url", "https://refused.example.net/", "headers", Map.of("Host", p))),
                "Host header", "evil.test", List.of()));
        tests.add(test(exchange("headers", p -> Map.of("url", "https://refused.example.net/", "headers", Map.of("X-A", p))),
                "header value with CR LF", "a\r\nX-Injected: 1", List.of()));
        Map<String, Object> manyHeaders = new LinkedHashMap<>();
        for (int i = 0; i < 51; i++) {
            manyHeaders.put("X-H" + i, "v");
        }
        tests.add(HostileInput.test("POST exchange headers <- 51 headers", () -> manager().contentType(ContentType.JSON)
                .body(Map.of("url", "https://refused.example.net/", "headers", manyHeaders))
                .post(BASE + "/" + existingId + "/exchange"), List.of(), stored()));
    }

    /** IPv6 spellings of metadata addresses and Azure's WireServer: refused even where private egress is allowed (tests). */
    private void ssrfCases(List<DynamicTest> tests) {
        List<String> hosts = List.of("[::ffff:0:169.254.169.254]", "[64:ff9b::a9fe:a9fe]",
                "[2001:0:4136:e378:8000:63bf:5601:5601]", "168.63.129.16", "[::ffff:0:a83f:8110]", "[64:ff9b::a83f:8110]",
                "[::ffff:169.254.169.254]", "[2002:a9fe:a9fe::]");
        Map<String, Object> body = validBody();
        body.put("authorizedDomains", hosts);
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE).then().statusCode(201).extract().path("id");
        for (String host : hosts) {
            tests.add(HostileInput.test("POST exchange url <- SSRF " + host, () -> manager().contentType(ContentType.JSON)
                    .body(Map.of("url", "https://" + host + "/latest/meta-data/")).post(BASE + "/" + id + "/exchange"),
                    List.of(), stored()));
        }
    }

    // ---- malformed bodies ------------------------------------------------------------------------

    private void malformedBodies(List<DynamicTest> tests) {
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        bodies.put("unknown field", "{\"name\":\"x\",\"privateKeyFile\":\"y\"}".getBytes(StandardCharsets.UTF_8));
        bodies.put("name is an object", "{\"name\":{\"a\":5},\"authorizedDomains\":[\"a.example.com\"]}".getBytes(StandardCharsets.UTF_8));
        bodies.put("domains is an object", "{\"name\":\"x\",\"authorizedDomains\":{\"a\":1}}".getBytes(StandardCharsets.UTF_8));
        bodies.put("domains hold numbers", "{\"name\":\"x\",\"authorizedDomains\":[1,2]}".getBytes(StandardCharsets.UTF_8));
        bodies.put("body is an array", "[]".getBytes(StandardCharsets.UTF_8));
        bodies.put("body is a string", "\"x\"".getBytes(StandardCharsets.UTF_8));
        bodies.put("body is null", "null".getBytes(StandardCharsets.UTF_8));
        bodies.put("empty body", new byte[0]);
        bodies.put("duplicate key", ("{\"name\":\"dup-a\",\"name\":\"dup-b\",\"authorizedDomains\":[\"a.example.com\"]}")
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("duplicate key clientKey", ("{\"clientKey\":\"" + HostilePem.PASSPHRASE + "\",\"clientKey\":\"x\"}")
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("invalid UTF-8", new byte[] { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}' });
        bodies.put("overlong UTF-8 NUL", new byte[] { '{', '"', 'n', 'a', 'm', 'e', '"', ':', '"', (byte) 0xC0, (byte) 0x80, '"', '}' });
        bodies.put("lone surrogate escape", "{\"name\":\"\\ud800\"}".getBytes(StandardCharsets.UTF_8));
        bodies.put("truncated JSON", "{\"name\":\"x\",\"authorizedDomains\":[".getBytes(StandardCharsets.UTF_8));
        bodies.put("10,000 nested arrays", ("{\"authorizedDomains\":" + "[".repeat(10_000) + "]".repeat(10_000) + "}")
                .getBytes(StandardCharsets.UTF_8));
        bodies.put("1.2 MB body", ("{\"description\":\"" + "d".repeat(1_200_000) + "\"}").getBytes(StandardCharsets.UTF_8));
        bodies.put("huge number", ("{\"name\":" + "9".repeat(60_000) + "}").getBytes(StandardCharsets.UTF_8));
        bodies.forEach((name, bytes) -> {
            tests.add(HostileInput.test("POST json <- " + name, () -> manager().contentType("application/json")
                    .body(bytes).post(BASE), List.of(HostilePem.PASSPHRASE), stored()));
            tests.add(HostileInput.test("PUT json <- " + name, () -> manager().contentType("application/json")
                    .header("If-Match", version(existingId)).body(bytes).put(BASE + "/" + existingId),
                    List.of(HostilePem.PASSPHRASE), stored()));
            tests.add(HostileInput.test("POST exchange <- " + name, () -> manager().contentType("application/json")
                    .body(bytes).post(BASE + "/" + existingId + "/exchange"), List.of(HostilePem.PASSPHRASE), stored()));
        });
        tests.add(HostileInput.test("POST exchange port <- string", () -> manager().contentType(ContentType.JSON)
                .body("{\"host\":\"refused.example.net\",\"port\":\"443; rm\"}").post(BASE + "/" + existingId + "/exchange"),
                List.of(), stored()));
        tests.add(HostileInput.test("POST exchange port <- 70000", () -> manager().contentType(ContentType.JSON)
                .body("{\"host\":\"refused.example.net\",\"port\":70000}").post(BASE + "/" + existingId + "/exchange"),
                List.of(), stored()));
    }

    private void pageSizes(List<DynamicTest> tests) {
        for (String size : List.of("0", "-1", "201", "100000", "2147483648", "abc", "1e3")) {
            tests.add(HostileInput.test("GET list size <- " + size, () -> HostileInput.as(READER)
                    .queryParam("size", size).get(BASE), List.of(), stored()));
        }
        for (String page : List.of("-1", "1000001", "2147483647")) {
            tests.add(HostileInput.test("GET list page <- " + page, () -> HostileInput.as(READER)
                    .queryParam("page", page).get(BASE), List.of(), stored()));
        }
    }

}
