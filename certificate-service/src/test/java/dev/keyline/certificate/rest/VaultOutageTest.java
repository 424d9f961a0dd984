package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.LogCapture;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** With Vault sealed, changes answer 503 and leave PostgreSQL exactly as it was. */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class VaultOutageTest {

    @InjectVaultEmulator
    VaultEmulator vault;

    @TestHTTPResource(value = "/health/ready", management = true)
    URL ready;

    @AfterEach
    void unseal() {
        vault.clearFaults();
        vault.setSealed(false);
    }

    @Test
    void createWhileVaultIsDownAnswers503AndLeavesNoRow() {
        String name = uniqueName("outage");
        vault.setSealed(true);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name))
                .when().post("/api/v1/certificates")
                .then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", "5")
                .body("type", equalTo("urn:keyline:problem:vault-unavailable"));
        vault.setSealed(false);

        given().header("Authorization", READER).queryParam("name", name).when().get("/api/v1/certificates")
                .then().statusCode(200).body("total", equalTo(0));
        // The same name is free afterwards: no half-written row holds it.
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name))
                .when().post("/api/v1/certificates").then().statusCode(201);
        given().header("Authorization", READER).queryParam("action", "certificate.create").queryParam("outcome", "FAILED")
                .when().get("/api/v1/audit-events")
                .then().statusCode(200).body("[0].detail", equalTo("vault-unavailable"));
    }

    @Test
    void deleteWhileVaultIsDownKeepsTheRowAndItsMaterial() {
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(uniqueName("keep")))
                .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id");
        vault.failNextRequests(1, 500);
        given().header("Authorization", MANAGER).when().delete("/api/v1/certificates/" + id)
                .then().statusCode(503).contentType("application/problem+json");
        given().header("Authorization", READER).when().get("/api/v1/certificates/" + id).then().statusCode(200);
        assertThat(vault.secretPaths("secret")).contains("keyline/certificate-service/certificates/" + id);
    }

    @Test
    void materialUpdateWhileVaultIsDownKeepsTheOldVersion() {
        String name = uniqueName("upd-outage");
        Map<String, Object> original = body(name);
        String id = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(original)
                .when().post("/api/v1/certificates").then().statusCode(201).extract().path("id");
        String fingerprint = given().header("Authorization", READER).when().get("/api/v1/certificates/" + id)
                .then().extract().path("sha256Fingerprint");

        Map<String, Object> replacement = body(name);
        vault.setSealed(true);
        given().header("Authorization", MANAGER).header("If-Match", CertificateResourceTest.etag(id))
                .contentType(ContentType.JSON).body(replacement)
                .when().put("/api/v1/certificates/" + id)
                .then().statusCode(503);
        vault.setSealed(false);
        given().header("Authorization", READER).when().get("/api/v1/certificates/" + id)
                .then().statusCode(200).body("sha256Fingerprint", equalTo(fingerprint));
        assertThat(vault.versions("secret", "keyline/certificate-service/certificates/" + id)).hasSize(1);
    }

    @Test
    void readinessGoesDownWithVaultButReadsStillWork() {
        given().when().get(ready).then().statusCode(200).body("status", equalTo("UP"));
        vault.setSealed(true);
        given().when().get(ready).then().statusCode(503).body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'vault' }.status", equalTo("DOWN"));
        // Metadata lives in PostgreSQL: listing keeps working while Vault is away.
        given().header("Authorization", READER).when().get("/api/v1/certificates").then().statusCode(200);
        vault.setSealed(false);
        given().when().get(ready).then().statusCode(200);
        assertThat(List.of(vault.isSealed())).containsExactly(false);
    }

    @Test
    void anOutageIsLoggedOnceWhenItBeginsAndOnceWhenItEnds() {
        List<LogRecord> records;
        try (LogCapture capture = LogCapture.of(r -> r.getLoggerName().startsWith("io.smallrye.health")
                || r.getLoggerName().startsWith("dev.keyline.common.health"))) {
            records = capture.records();
            given().when().get(ready).then().statusCode(200);
            vault.setSealed(true);
            for (int probe = 0; probe < 3; probe++) {
                given().when().get(ready).then().statusCode(503);
            }
            vault.setSealed(false);
            given().when().get(ready).then().statusCode(200);
            given().when().get(ready).then().statusCode(200);
        }
        // Three DOWN probes, one line naming the failed check (SmallRye's own line per probe is not written).
        assertThat(records).extracting(r -> r.getLevel().intValue() + " " + LogCapture.formatted(r))
                .hasSize(2)
                .satisfies(lines -> assertThat(lines.get(0)).startsWith(Level.WARNING.intValue() + " readiness DOWN: vault ("))
                .satisfies(lines -> assertThat(lines.get(1)).isEqualTo(Level.INFO.intValue() + " readiness UP"));
    }
}
