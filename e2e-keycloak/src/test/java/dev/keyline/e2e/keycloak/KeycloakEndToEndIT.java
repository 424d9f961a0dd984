package dev.keyline.e2e.keycloak;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import dev.keyline.emulators.snowflake.KeySlots;
import dev.keyline.emulators.snowflake.SnowflakeAccount;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.RsaKeys;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The three services with tokens from a real identity provider: Keycloak (its Maven Central
 * distribution) with the committed realm {@code keyline} issues every token, and each service
 * verifies them through the realm's JWKS, accepting only its own audience. People get tokens by
 * password grant; rotation-service obtains its own by client credentials (only
 * {@code connections:rotate}, audience connection-service) for scheduled rotations.
 */
class KeycloakEndToEndIT {

    private static final String ACCOUNT = KeycloakStack.ACCOUNT;

    @RegisterExtension
    static final KeycloakStack.Shared STACK = new KeycloakStack.Shared();

    private static Keycloak keycloak;
    private static SnowflakeEmulator snowflake;
    private static String certificateUrl;
    private static String connectionUrl;
    private static String rotationUrl;

    @BeforeAll
    static void theStack() {
        KeycloakStack stack = STACK.get();
        keycloak = stack.keycloak;
        snowflake = stack.snowflake;
        certificateUrl = stack.certificateUrl;
        connectionUrl = stack.connectionUrl;
        rotationUrl = stack.rotationUrl;
    }

    private static String alice() {
        return STACK.get().alice();
    }

    @Test
    void everyServiceAcceptsAKeycloakTokenForItsAudienceAndItsPermissionsOnly() {
        String alice = alice();
        for (String url : List.of(certificateUrl, connectionUrl, rotationUrl)) {
            given().baseUri(url).header("Authorization", alice).when().get("/api/v1/audit-events").then().statusCode(200);
        }
        // rita reads, and may change nothing.
        String rita = "Bearer " + keycloak.userToken("rita", "rita-local");
        given().baseUri(certificateUrl).header("Authorization", rita).when().get("/api/v1/certificates").then()
                .statusCode(200);
        given().baseUri(certificateUrl).header("Authorization", rita).contentType(ContentType.JSON).body(Map.of("name", "x"))
                .when().post("/api/v1/certificates").then().statusCode(403);
        // A token from another realm's keys or with a forged signature is not Keycloak's.
        String[] parts = alice.substring("Bearer ".length()).split("\\.");
        given().baseUri(connectionUrl).header("Authorization", "Bearer " + parts[0] + "." + parts[1] + ".AAAA").when()
                .get("/api/v1/connections").then().statusCode(401);
    }

    @Test
    void rotationServicesClientCredentialsTokenIsForConnectionServiceAndHoldsOnlyConnectionsRotate() {
        String service = "Bearer " + keycloak.clientToken(Keycloak.ROTATION_CLIENT, Keycloak.ROTATION_CLIENT_SECRET);
        JsonPath claims = new JsonPath(new String(Base64.getUrlDecoder().decode(service.split("\\.")[1]),
                StandardCharsets.UTF_8));
        assertThat(claims.getList("groups", String.class)).contains("connections:rotate")
                .doesNotContain("connections:manage", "connections:read", "connections:use", "certificates:use");
        // Another service's audience: refused before any permission is looked at.
        given().baseUri(certificateUrl).header("Authorization", service).when().get("/api/v1/audit-events").then()
                .statusCode(401).body("type", equalTo("urn:keyline:problem:unauthenticated"));
        given().baseUri(rotationUrl).header("Authorization", service).when().get("/api/v1/audit-events").then()
                .statusCode(401);
        // Its own audience, but connections:rotate lists and deletes nothing.
        given().baseUri(connectionUrl).header("Authorization", service).when().get("/api/v1/connections").then()
                .statusCode(403);
        given().baseUri(connectionUrl).header("Authorization", service).when()
                .delete("/api/v1/connections/" + UUID.randomUUID()).then().statusCode(403);
        // A wrong client secret gets no token at all.
        given().auth().preemptive().basic(Keycloak.ROTATION_CLIENT, "not-the-secret").formParam("grant_type",
                "client_credentials").when().post(keycloak.issuer() + "/protocol/openid-connect/token").then()
                .statusCode(401);
    }

    @Test
    void aCertificateExchangeWithAKeycloakToken() throws Exception {
        String alice = alice();
        try (PartnerApi partner = new PartnerApi(STACK.get(), alice, "keycloak-e2e-client")) {
            MtlsServer server = partner.server;
            String id = partner.certificateId;
            JsonPath exchange = given().baseUri(certificateUrl).header("Authorization", alice)
                    .contentType(ContentType.JSON)
                    .body(Map.of("method", "GET", "url", partner.url("/keycloak-e2e")))
                    .when().post("/api/v1/certificates/" + id + "/exchange").then().statusCode(200).extract().jsonPath();
            assertThat(exchange.getInt("status")).isEqualTo(200);
            assertThat(server.clientSubjects()).containsExactly("CN=keycloak-e2e-client");

            // The same through an API connector: connection-service forwards alice's Keycloak token
            // (issued for both services), certificate-service checks her certificates:use.
            String connectorName = "keycloak-e2e-api-" + UUID.randomUUID().toString().substring(0, 8);
            String connectorId = partner.connector(alice, connectorName);
            given().baseUri(connectionUrl).header("Authorization", alice).when()
                    .post("/api/v1/connections/" + connectorId + "/test").then().statusCode(200)
                    .body("ok", equalTo(true)).body("httpStatus", equalTo(200));
            assertThat(server.clientSubjects()).containsExactly("CN=keycloak-e2e-client", "CN=keycloak-e2e-client");

            // A call through the connector (POST …/requests): the TLS server's status and body come back.
            JsonPath answer = given().baseUri(connectionUrl).header("Authorization", alice).contentType(ContentType.JSON)
                    .body(Map.of("method", "POST", "path", "orders", "query", Map.of("dry run", "yes"),
                            "headers", Map.of("X-Trace", "e2e-7"), "body", "{\"qty\":2}"))
                    .when().post("/api/v1/connections/" + connectorId + "/requests").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(answer.getInt("status")).isEqualTo(201);
            assertThat(answer.getString("body")).isEqualTo("echo POST /partner/orders?dry%20run=yes e2e-7 {\"qty\":2}");
            assertThat(answer.getString("url")).isEqualTo("https://localhost:" + server.port() + "/partner/orders");
            assertThat(server.clientSubjects()).hasSize(3).containsOnly("CN=keycloak-e2e-client");

            // The connector registered itself at certificate-service: deleting the certificate is refused, naming it.
            given().baseUri(certificateUrl).header("Authorization", alice).when().get("/api/v1/certificates/" + id)
                    .then().statusCode(200).body("consumers.id", org.hamcrest.Matchers.contains(connectorId));
            given().baseUri(certificateUrl).header("Authorization", alice).when().delete("/api/v1/certificates/" + id)
                    .then().statusCode(409).contentType("application/problem+json")
                    .body("type", equalTo("urn:keyline:problem:certificate-in-use"))
                    .body("consumers.id", org.hamcrest.Matchers.contains(connectorId))
                    .body("consumers.name", org.hamcrest.Matchers.contains(connectorName))
                    .body("consumers.service", org.hamcrest.Matchers.contains("connection-service"))
                    .body("detail", org.hamcrest.Matchers.containsString("'" + connectorName + "' (id " + connectorId + ")"));
            // Once the connector is deleted (it unregisters itself), so can the certificate be.
            given().baseUri(connectionUrl).header("Authorization", alice).when()
                    .delete("/api/v1/connections/" + connectorId).then().statusCode(204);
            given().baseUri(certificateUrl).header("Authorization", alice).when().delete("/api/v1/certificates/" + id)
                    .then().statusCode(204);

            // The audit trail names the person Keycloak authenticated, for both exchanges.
            List<String> actors = given().baseUri(certificateUrl).header("Authorization", alice)
                    .queryParam("resourceId", id).when().get("/api/v1/audit-events").then().statusCode(200).extract()
                    .jsonPath().getList("actor", String.class);
            assertThat(actors).isNotEmpty().containsOnly("alice");
        }
    }

    @Test
    void aScheduledRotationRunsUnderRotationServicesOwnIdentityFromClientCredentials() {
        String alice = alice();
        SnowflakeAccount acme = snowflake.account(ACCOUNT);
        acme.role("LOADER");
        acme.role("KEY_ADMIN").modifyProgrammaticAuthenticationMethodsOnAccount();
        KeyPair adminKey = RsaKeys.generate(2048);
        acme.user("KC_ROTATOR").role("KEY_ADMIN").rsaPublicKey(adminKey.getPublic());
        Map<String, Object> adminBody = STACK.get().snowflakeConnectionBody("kc-admin", "kc_rotator", "KEY_ADMIN", adminKey.getPrivate(), null);
        // A key-admin manages only the users it declares (connection-service refuses the rest).
        ((Map<String, Object>) adminBody.get("details")).put("managesUsers", List.of("SVC_*"));
        String adminId = STACK.get().createConnection(alice, adminBody);
        KeyPair initial = RsaKeys.generate(2048);
        acme.user("SVC_KC").role("LOADER").rsaPublicKey(initial.getPublic());
        String connectionId = STACK.get().createConnection(alice,
                STACK.get().snowflakeConnectionBody("kc-svc", "SVC_KC", "LOADER", initial.getPrivate(), adminId));

        // A one-shot schedule shortly after the policy is saved (saving asks connection-service with
        // alice's token first, which takes seconds on a busy machine): the run is the scheduler's.
        ZonedDateTime at = Instant.now().plusSeconds(20).atZone(ZoneOffset.UTC);
        String cron = at.getSecond() + " " + at.getMinute() + " " + at.getHour() + " " + at.getDayOfMonth() + " "
                + at.getMonthValue() + " ? " + at.getYear();
        given().baseUri(rotationUrl).header("Authorization", alice).contentType(ContentType.JSON)
                .body(Map.of("connectionId", connectionId, "schedule", cron, "gracePeriod", "PT0S")).when()
                .post("/api/v1/rotation-policies").then().statusCode(201);

        Map<String, Object> run = awaitFinishedRun(alice, connectionId, Duration.ofSeconds(180));
        assertThat(run.get("trigger")).isEqualTo("schedule");
        assertThat(run.get("state")).as(run.toString()).isEqualTo("DONE");
        String newFp = (String) run.get("newFingerprint");
        KeySlots slots = snowflake.keySlots(ACCOUNT, "SVC_KC");
        assertThat(slots.slotOf(newFp)).isPositive();
        assertThat(slots.slotOf(Fingerprints.spkiSha256(initial.getPublic()))).isZero();

        // connection-service recorded rotation-service's service account as the one that swapped the key.
        List<String> actors = given().baseUri(connectionUrl).header("Authorization", alice)
                .queryParam("resourceId", connectionId).when().get("/api/v1/audit-events").then().statusCode(200)
                .extract().jsonPath().getList("actor", String.class);
        assertThat(actors).contains("service-account-rotation-service");
    }

    private static Map<String, Object> awaitFinishedRun(String bearer, String connectionId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonPath last = null;
        while (System.nanoTime() < deadline) {
            last = given().baseUri(rotationUrl).header("Authorization", bearer).queryParam("connectionId", connectionId)
                    .when().get("/api/v1/rotations").then().statusCode(200).extract().jsonPath();
            if (last.getString("items[0].finishedAt") != null) {
                return last.getMap("items[0]");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no finished run for " + connectionId + ": " + (last == null ? "-" : last.prettify()));
    }
}
