package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.io.ByteArrayOutputStream;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.certificate.CertificateFixtures;
import dev.keyline.common.testing.HostilePem;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.TestPki;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Each bad upload is a 4xx problem naming the field; nothing reaches PostgreSQL or Vault. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class CertificateBadInputTest {

    @InjectVaultEmulator
    VaultEmulator vault;

    static Stream<Arguments> badUploads() {
        Issued other = CertificateFixtures.client("other");
        Issued expired = TestPki.certificate("expired").issuedBy(CertificateFixtures.CLIENT_CA).clientAuth()
                .validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))).issue();
        Issued weak = TestPki.certificate("weak").keyPair(rsa1024()).validFor(Duration.ofDays(30)).issue();
        SecretLeakGuard.secret(weak.privateKeyPkcs8Pem());
        SecretLeakGuard.secret(other.privateKeyPkcs8Pem());
        return Stream.of(
                Arguments.of("malformed certificate PEM", "clientCertificate",
                        edit(b -> put(b, "clientCertificate", "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----"))),
                Arguments.of("garbage instead of a key", "clientKey", edit(b -> put(b, "clientKey", "hello world"))),
                Arguments.of("wrong passphrase", "passphrase", edit(b -> put(b, "passphrase", "definitely-wrong"))),
                Arguments.of("missing passphrase for an encrypted key", "passphrase", edit(b -> put(b, "passphrase", null))),
                Arguments.of("key does not match certificate", "clientKey", edit(b -> {
                    put(b, "clientKey", other.privateKeyPkcs8Pem());
                    return put(b, "passphrase", null);
                })),
                Arguments.of("PKCS#12 blob as key", "clientKey", edit(b -> {
                    put(b, "clientKey", pkcs12(other));
                    return put(b, "passphrase", null);
                })),
                Arguments.of("two keys in one field", "clientKey", edit(b -> {
                    put(b, "clientKey", other.privateKeyPkcs8Pem() + other.privateKeyPkcs8Pem());
                    return put(b, "passphrase", null);
                })),
                Arguments.of("RSA key under 2048 bits", "clientKey", edit(b -> {
                    put(b, "clientCertificate", weak.certificatePem());
                    put(b, "clientKey", weak.privateKeyPkcs8Pem());
                    return put(b, "passphrase", null);
                })),
                Arguments.of("expired certificate", "clientCertificate", edit(b -> {
                    put(b, "clientCertificate", expired.certificatePem());
                    put(b, "clientKey", SecretLeakGuard.secret(expired.privateKeyPkcs8Pem()));
                    return put(b, "passphrase", null);
                })),
                Arguments.of("a key where the certificate belongs", "clientCertificate",
                        edit(b -> put(b, "clientCertificate", other.privateKeyPkcs8Pem()))),
                Arguments.of("wildcard over a public suffix", "authorizedDomains[0]",
                        edit(b -> put(b, "authorizedDomains", List.of("*.com")))),
                Arguments.of("wildcard inside a label", "authorizedDomains[1]",
                        edit(b -> put(b, "authorizedDomains", List.of("api.example.com", "a*.example.com")))),
                Arguments.of("no authorized domain", "authorizedDomains",
                        edit(b -> put(b, "authorizedDomains", List.of()))),
                Arguments.of("missing name", "name", edit(b -> put(b, "name", null))),
                // PostgreSQL text cannot hold NUL: this was a 500 at the insert.
                Arguments.of("NUL in the description", "description", edit(b -> put(b, "description", "a\u0000b"))),
                Arguments.of("a control character in the description", "description",
                        edit(b -> put(b, "description", "bell\u0007"))),
                Arguments.of("unknown field", "privateKeyFile", edit(b -> put(b, "privateKeyFile", "x"))),
                Arguments.of("domains not a list", "authorizedDomains",
                        edit(b -> put(b, "authorizedDomains", Map.of("a", "b")))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badUploads")
    void badUploadIsRejectedNamingTheFieldAndStoresNothing(String description, String field,
            UnaryOperator<Map<String, Object>> edit) {
        long rows = total();
        int secrets = vault.secretPaths("secret").size();

        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(edit.apply(new HashMap<>(body(uniqueName("bad")))))
                .when().post("/api/v1/certificates")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("type", notNullValue())
                .body("detail", notNullValue())
                .body("errors.field", hasItem(field));

        assertThat(total()).as("rows after: " + description).isEqualTo(rows);
        assertThat(vault.secretPaths("secret")).as("vault after: " + description).hasSize(secrets);
    }

    @Test
    void anRsaKeyAboveTheDeploymentCeilingIsRefusedOnItsSizeAlone() {
        // Every handshake signs with the key: at 16384 bits that is ~0.5 s of CPU per new connection.
        long rows = total();
        Map<String, Object> b = new HashMap<>(body(uniqueName("huge")));
        b.put("clientKey", HostilePem.rsaOfBits(12_000));
        b.put("passphrase", null);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(b)
                .when().post("/api/v1/certificates")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("clientKey"))
                .body("errors[0].reason", equalTo("The RSA key is 12000 bits; this deployment accepts at most 8192 bits "
                        + "(keyline.keys.max-rsa-bits)."));
        assertThat(total()).isEqualTo(rows);
    }

    @Test
    void anEmptyNameIsOneErrorNotOnePerConstraint() {
        // @NotBlank and @ResourceName both refuse "": the caller reads one reason per field, not the same one twice.
        Map<String, Object> b = new HashMap<>(body(uniqueName("empty")));
        b.put("name", "");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(b)
                .when().post("/api/v1/certificates")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.size()", equalTo(1))
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].reason", equalTo("must not be blank"))
                .body("detail", equalTo("The request has 1 invalid field(s)"));
    }

    /**
     * JSON that could not be read as the body was answered one field at a time (Jackson stopped at the
     * first): unknown fields and values of the wrong type are named in one 400 with their paths, with the
     * bean-validation violations of what could be read; no value is echoed (an unknown field holds a
     * private key, the key field an object holding it) and nothing is stored.
     */
    @Test
    void unknownFieldsAndWrongTypesAreNamedAtOnce() {
        Issued client = CertificateFixtures.client("types");
        String key = SecretLeakGuard.secret(client.privateKeyPkcs8Pem());
        Map<String, Object> b = new HashMap<>(body(uniqueName("types")));
        b.put("name", List.of("x"));
        b.put("description", "d".repeat(2001));
        b.put("authorizedDomains", List.of("a.example.com", 5));
        b.put("clientKey", Map.of("pem", key));
        b.put("passphrase", 12345);
        b.put("privateKeyFile", key);
        b.put("bogus", Map.of("x", List.of(1, 2)));
        long rows = total();
        int secrets = vault.secretPaths("secret").size();
        String answer = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(b)
                .when().post("/api/v1/certificates")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:invalid-request"))
                .body("detail", equalTo("The request has 7 invalid field(s)"))
                .body("errors.field", contains("authorizedDomains[1]", "bogus", "clientKey", "description", "name",
                        "passphrase", "privateKeyFile"))
                .body("errors.reason", contains("expected string", "unknown field", "expected string",
                        "size must be between 0 and 2000", "expected string", "expected string", "unknown field"))
                .extract().asString();
        assertThat(answer).doesNotContain("PRIVATE KEY").doesNotContain("12345").doesNotContain("ddd");
        assertThat(total()).isEqualTo(rows);
        assertThat(vault.secretPaths("secret")).hasSize(secrets);
    }

    /**
     * Bean validation answered first and alone (a blank name hid an expired certificate, a key of another
     * certificate and a public-suffix wildcard until the next attempts): one 400 names every bad field, each
     * once, in field order, on a JSON create, a PUT and a multipart upload; nothing is stored.
     */
    @Test
    void everyBadFieldIsNamedAtOnce() {
        Issued other = CertificateFixtures.client("all-other");
        Issued expired = TestPki.certificate("all-expired").issuedBy(CertificateFixtures.CLIENT_CA).clientAuth()
                .validity(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1))).issue();
        String otherKey = SecretLeakGuard.secret(other.privateKeyPkcs8Pem());
        SecretLeakGuard.secret(expired.privateKeyPkcs8Pem());
        Map<String, Object> b = new HashMap<>(body(uniqueName("all")));
        b.put("name", "");
        b.put("description", "bell\u0007");
        b.put("authorizedDomains", List.of("*.com"));
        b.put("clientCertificate", expired.certificatePem());
        b.put("clientKey", otherKey);
        b.put("passphrase", null);
        List<String> fields = List.of("authorizedDomains[0]", "clientCertificate", "clientKey", "description", "name");
        long rows = total();
        int secrets = vault.secretPaths("secret").size();

        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(b)
                .when().post("/api/v1/certificates")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:invalid-request"))
                .body("detail", equalTo("The request has 5 invalid field(s)"))
                .body("errors.field", contains(fields.toArray()))
                .body("errors.find { it.field == 'name' }.reason", equalTo("must not be blank"))
                .body("errors.find { it.field == 'clientCertificate' }.reason", containsString("expired"))
                .body("errors.find { it.field == 'clientKey' }.reason",
                        equalTo("the private key does not belong to the client certificate"));

        // PUT: the same, before If-Match as before; a value bean validation refused (a key over 64 KiB, no
        // domain) is not refused again by the service's checks, and such a key is not parsed.
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(uniqueName("all-put")))
                .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id");
        String etag = given().header("Authorization", READER).get("/api/v1/certificates/" + id).then().statusCode(200)
                .extract().header("ETag");
        rows = total();
        secrets = vault.secretPaths("secret").size();
        given().header("Authorization", MANAGER).header("If-Match", etag).contentType(ContentType.JSON).body(b)
                .when().put("/api/v1/certificates/" + id)
                .then().statusCode(400).body("type", equalTo("urn:keyline:problem:invalid-request"))
                .body("errors.field", contains(fields.toArray()));
        b.put("clientKey", "A".repeat(70_000));
        b.put("authorizedDomains", List.of());
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(b)
                .when().put("/api/v1/certificates/" + id)
                .then().statusCode(400).body("type", equalTo("urn:keyline:problem:invalid-request"))
                .body("errors.field", contains("authorizedDomains", "clientCertificate", "clientKey", "description", "name"))
                .body("errors.find { it.field == 'clientKey' }.reason", equalTo("size must be between 0 and 65536"))
                .body("errors.find { it.field == 'authorizedDomains' }.reason",
                        equalTo("at least one authorized domain is required"));

        // Multipart: a file refused by its name, bean validation's description and the service's checks on
        // the other parts, together. Without a violation the answer stays invalid-certificate, as it was.
        given().header("Authorization", MANAGER)
                .multiPart("name", uniqueName("all-files"))
                .multiPart("description", "bell\u0007")
                .multiPart("authorizedDomains", "*.com")
                .multiPart("clientCertificate", "client.crt", expired.certificatePem().getBytes(), "application/x-pem-file")
                .multiPart("clientKey", "client.txt", otherKey.getBytes(), "application/x-pem-file")
                .when().post("/api/v1/certificates")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:invalid-request"))
                .body("errors.field", contains("authorizedDomains[0]", "clientCertificate", "clientKey", "description"))
                .body("errors.find { it.field == 'clientKey' }.reason", containsString("file name must end with"));
        given().header("Authorization", MANAGER)
                .multiPart("name", uniqueName("all-files"))
                .multiPart("authorizedDomains", "*.com")
                .multiPart("clientCertificate", "client.crt", expired.certificatePem().getBytes(), "application/x-pem-file")
                .multiPart("clientKey", "client.txt", otherKey.getBytes(), "application/x-pem-file")
                .when().post("/api/v1/certificates")
                .then().statusCode(400).body("type", equalTo("urn:keyline:problem:invalid-certificate"))
                .body("errors.field", contains("authorizedDomains[0]", "clientCertificate", "clientKey"));

        assertThat(total()).isEqualTo(rows);
        assertThat(vault.secretPaths("secret")).hasSize(secrets);
    }

    @Test
    void malformedJsonIsAProblem() {
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body("{\"name\": ")
                .when().post("/api/v1/certificates")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:malformed-json"));
    }

    @Test
    void tenMegabyteBodyIsRefusedBeforeItIsRead() {
        long rows = total();
        String huge = "A".repeat(10 * 1024 * 1024);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body("{\"name\":\"huge\",\"clientKey\":\"" + huge + "\"}")
                .when().post("/api/v1/certificates")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:request-too-large"));
        assertThat(total()).isEqualTo(rows);
    }

    /** The 413 says "Connection: close" and closes: the announced body is never read, so the connection is spent. */
    @Test
    void theConnectionIsClosedAfterTheTooLargeProblem() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(baseUri.getHost(), baseUri.getPort())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(("POST /api/v1/certificates HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                    + MANAGER + "\r\nContent-Type: application/json\r\nContent-Length: 5000000\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            // readAllBytes returns only at the end of the stream: a connection left open times out here
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").containsIgnoringCase("connection: close")
                    .contains("urn:keyline:problem:request-too-large");
        }
    }

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL baseUri;

    @Test
    void invalidPagingIsAProblemNamingTheParameter() {
        given().header("Authorization", READER).queryParam("size", 100000).when().get("/api/v1/certificates")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("size"));
    }

    @Test
    void unknownIdIsNotFoundAndMalformedIdIsAProblem() {
        given().header("Authorization", READER).when().get("/api/v1/certificates/" + java.util.UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", READER).when().get("/api/v1/certificates/not-a-uuid")
                .then().statusCode(404).contentType("application/problem+json");
    }

    private static long total() {
        return ((Number) given().header("Authorization", READER).when().get("/api/v1/certificates")
                .then().statusCode(200).extract().path("total")).longValue();
    }

    private static UnaryOperator<Map<String, Object>> edit(UnaryOperator<Map<String, Object>> f) {
        return f;
    }

    private static Map<String, Object> put(Map<String, Object> body, String key, Object value) {
        body.put(key, value);
        return body;
    }

    private static java.security.KeyPair rsa1024() {
        try {
            java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("RSA");
            g.initialize(1024);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pkcs12(Issued identity) {
        try {
            KeyStore ks = identity.keyStore("p12pass".toCharArray());
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ks.store(out, "p12pass".toCharArray());
            return Base64.getMimeEncoder().encodeToString(out.toByteArray());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
