package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.USER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.certificate.CertificateFixtures;
import dev.keyline.certificate.KeepAliveTlsServer;
import dev.keyline.certificate.MtlsTestServer;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.TestPki;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Exchanges against a real local TLS server that requires a client certificate: the stored
 * certificate is presented, unauthorized hosts are refused before any connection, and a stored CA
 * pins the server's issuer.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class ExchangeResourceTest {

    static final Issued SERVER_CA = TestPki.ca("Keyline Test Server CA");
    static final Issued OTHER_CA = TestPki.ca("Some Other CA");
    static MtlsTestServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new MtlsTestServer(MtlsTestServer.localhostIdentity(SERVER_CA), SERVER_CA, CertificateFixtures.CLIENT_CA);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    static String store(String cn, List<String> domains, Issued trustedServerCa) {
        Map<String, Object> body = new HashMap<>(CertificateFixtures.body(CertificateFixtures.uniqueName(cn),
                CertificateFixtures.client(cn), domains));
        if (trustedServerCa != null) {
            body.put("caCertificate", trustedServerCa.certificatePem());
        }
        return given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id");
    }

    @Test
    void exchangePresentsTheStoredCertificateToAnAuthorizedHost() {
        String id = store("orders-client", List.of("localhost:" + server.port()), SERVER_CA);
        int before = server.seen().size();

        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("method", "POST", "url", "https://localhost:" + server.port() + "/orders?x=1",
                        "headers", Map.of("X-Request-Id", "abc"), "body", "{\"ping\":1}"))
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(200)
                .body("status", equalTo(200))
                .body("body", equalTo("hello CN=orders-client"))
                .body("tlsProtocol", startsWith("TLSv1."))
                .body("matchedRule", equalTo("localhost:" + server.port()))
                .body("timing.totalMillis", notNullValue())
                .body("truncated", equalTo(false));

        List<MtlsTestServer.Seen> seen = server.seen();
        assertThat(seen).hasSize(before + 1);
        MtlsTestServer.Seen last = seen.get(seen.size() - 1);
        assertThat(last.clientSubject()).isEqualTo("CN=orders-client");
        assertThat(last.method()).isEqualTo("POST");
        assertThat(last.path()).isEqualTo("/orders?x=1");
        assertThat(last.body()).isEqualTo("{\"ping\":1}");

        // The same certificate version is reused: a second call works and is audited.
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("host", "localhost", "port", server.port(), "path", "/again"))
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(200);
        given().header("Authorization", READER).queryParam("resourceId", id).queryParam("action", "certificate.exchange")
                .when().get("/api/v1/audit-events")
                .then().statusCode(200).body("size()", equalTo(2)).body("[0].outcome", equalTo("SUCCESS"))
                .body("[0].detail", containsString("localhost:" + server.port()));
    }

    /**
     * Presenting a certificate is its own permission: managing certificates is not enough (a
     * connections:manage caller's connector used to get any certificate presented through
     * connection-service's certificates:manage token). The audit names the person and the service
     * that forwarded the person's token.
     */
    @Test
    void onlyCertificatesUsePresentsACertificateAndTheAuditNamesPersonAndService() {
        String id = store("use-client", List.of("localhost:" + server.port()), SERVER_CA);
        int before = server.seen().size();
        Map<String, Object> body = Map.of("url", "https://localhost:" + server.port() + "/use");
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", READER).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(403);
        assertThat(server.seen()).hasSize(before);

        given().header("Authorization", USER).header("Keyline-Via", "connection-service").contentType(ContentType.JSON)
                .body(body).when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(200);
        given().header("Authorization", USER).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(200);
        given().header("Authorization", USER).queryParam("resourceId", id).queryParam("action", "certificate.exchange")
                .when().get("/api/v1/audit-events")
                .then().statusCode(200).body("size()", equalTo(2))
                .body("actor", org.hamcrest.Matchers.everyItem(equalTo("uma")))
                .body("via", org.hamcrest.Matchers.containsInAnyOrder("connection-service", null));
    }

    @Test
    void unauthorizedHostIsRefusedBeforeAnyConnection() {
        String id = store("narrow-client", List.of("api.example.com"), SERVER_CA);
        int before = server.seen().size();
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("url", "https://localhost:" + server.port() + "/"))
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:host-not-authorized"));
        assertThat(server.seen()).hasSize(before);
        given().header("Authorization", READER).queryParam("resourceId", id).queryParam("outcome", "DENIED")
                .when().get("/api/v1/audit-events")
                .then().statusCode(200).body("size()", equalTo(1));
    }

    /**
     * An exchange reads the certificate's row as it is now (plain JDBC, no entity): narrowed rules
     * refuse the next exchange, and a deleted certificate is 404, never served from a cache.
     */
    @Test
    void theNextExchangeReadsTheRowAsItIsNow() {
        String name = CertificateFixtures.uniqueName("current-row");
        Map<String, Object> body = new HashMap<>(CertificateFixtures.body(name, CertificateFixtures.client("current-row"),
                List.of("localhost:" + server.port())));
        body.put("caCertificate", SERVER_CA.certificatePem());
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id");
        Map<String, Object> call = Map.of("url", "https://localhost:" + server.port() + "/current");
        given().header("Authorization", USER).contentType(ContentType.JSON).body(call)
                .when().post("/api/v1/certificates/" + id + "/exchange").then().statusCode(200);

        String etag = given().header("Authorization", READER).when().get("/api/v1/certificates/" + id)
                .then().statusCode(200).extract().header("ETag");
        given().header("Authorization", MANAGER).header("If-Match", etag).contentType(ContentType.JSON)
                .body(Map.of("name", name, "authorizedDomains", List.of("api.example.com")))
                .when().put("/api/v1/certificates/" + id).then().statusCode(200);
        int before = server.seen().size();
        given().header("Authorization", USER).contentType(ContentType.JSON).body(call)
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(403).body("type", equalTo("urn:keyline:problem:host-not-authorized"))
                .body("detail", containsString("[api.example.com]"));
        assertThat(server.seen()).hasSize(before);

        given().header("Authorization", MANAGER).when().delete("/api/v1/certificates/" + id).then().statusCode(204);
        given().header("Authorization", USER).contentType(ContentType.JSON).body(call)
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(404).contentType("application/problem+json");
        assertThat(server.seen()).hasSize(before);
    }

    @Test
    void wrongPortIsNotAuthorizedEither() {
        String id = store("port-client", List.of("localhost:1"), SERVER_CA);
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("url", "https://localhost:" + server.port() + "/"))
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(403);
    }

    @Test
    void serverCertificateNotSignedByTheStoredCaFails() {
        String id = store("pinned-client", List.of("localhost:" + server.port()), OTHER_CA);
        int before = server.seen().size();
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("url", "https://localhost:" + server.port() + "/"))
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(502).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:exchange-certificate-untrusted"));
        assertThat(server.seen()).hasSize(before);
    }

    @Test
    void badTargetsAreProblemsNamingTheField() {
        String id = store("target-client", List.of("localhost"), SERVER_CA);
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("url", "http://localhost/"))
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(400).body("errors[0].field", equalTo("url"));
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("url", "https://user:pw@localhost/"))
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(400).body("errors[0].field", equalTo("url"));
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("url", "https://localhost/", "host", "localhost"))
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(400);
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("url", "https://localhost/", "method", "TRACE"))
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(400).body("errors[0].field", equalTo("method"));
    }

    /**
     * Connections are kept per certificate version: a second exchange reuses the first one's
     * connection, and replacing or deleting the certificate closes it (seen from the server).
     */
    @Test
    void keptConnectionsCloseWhenTheCertificateIsReplacedOrDeleted() throws Exception {
        try (KeepAliveTlsServer keepAlive = new KeepAliveTlsServer(
                TestPki.sslContext(MtlsTestServer.localhostIdentity(SERVER_CA), CertificateFixtures.CLIENT_CA))) {
            List<String> domains = List.of("localhost:" + keepAlive.port());
            String name = CertificateFixtures.uniqueName("kept");
            Map<String, Object> created = new HashMap<>(CertificateFixtures.body(name,
                    CertificateFixtures.client("kept-client"), domains));
            created.put("caCertificate", SERVER_CA.certificatePem());
            String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(created)
                    .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id");
            Map<String, Object> call = Map.of("url", "https://localhost:" + keepAlive.port() + "/kept");

            exchange(id, call).body("timing.connectionReused", equalTo(false));
            exchange(id, call).body("timing.connectionReused", equalTo(true));
            assertThat(keepAlive.accepted()).isEqualTo(1);

            Map<String, Object> replaced = new HashMap<>(CertificateFixtures.body(name,
                    CertificateFixtures.client("kept-client-renewed"), domains));
            replaced.put("caCertificate", SERVER_CA.certificatePem());
            String etag = given().header("Authorization", READER).when().get("/api/v1/certificates/" + id)
                    .then().statusCode(200).extract().header("ETag");
            given().header("Authorization", MANAGER).header("If-Match", etag).contentType(ContentType.JSON)
                    .body(replaced).when().put("/api/v1/certificates/" + id).then().statusCode(200);

            assertThat(KeepAliveTlsServer.await(() -> keepAlive.open() == 0, Duration.ofSeconds(10)))
                    .as("the old version's connection is closed").isTrue();
            exchange(id, call).body("timing.connectionReused", equalTo(false));
            exchange(id, call).body("timing.connectionReused", equalTo(true));
            assertThat(keepAlive.accepted()).isEqualTo(2);
            assertThat(keepAlive.clientSubjects()).containsExactly("CN=kept-client", "CN=kept-client",
                    "CN=kept-client-renewed", "CN=kept-client-renewed");

            given().header("Authorization", MANAGER).when().delete("/api/v1/certificates/" + id).then().statusCode(204);

            assertThat(KeepAliveTlsServer.await(() -> keepAlive.open() == 0, Duration.ofSeconds(10)))
                    .as("the deleted certificate's connection is closed").isTrue();
        }
    }

    private static io.restassured.response.ValidatableResponse exchange(String id, Map<String, Object> call) {
        return given().header("Authorization", USER).contentType(ContentType.JSON).body(call)
                .when().post("/api/v1/certificates/" + id + "/exchange")
                .then().statusCode(200).body("status", equalTo(200));
    }
}
