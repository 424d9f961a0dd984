package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.OUTSIDER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.certificate.CertificateFixtures;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.testing.Issued;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class CertificateResourceTest {

    static final String BASE = "/api/v1/certificates";

    @InjectVaultEmulator
    VaultEmulator vault;

    static String create(Map<String, Object> body) {
        return given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(201).extract().path("id");
    }

    @Test
    void createReturnsMetadataAndLocationAndStoresMaterialInVaultOnly() {
        String name = uniqueName("orders");
        Issued client = CertificateFixtures.client(name);
        Map<String, Object> body = body(name, client, List.of("*.Example.com.", "api.partner.test:8443"));

        String location = given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE)
                .then().statusCode(201)
                .header("Location", containsString(BASE + "/"))
                .contentType(ContentType.JSON)
                .body("name", equalTo(name))
                .body("subject", containsString("CN=" + name))
                .body("issuer", containsString("Keyline Test Client CA"))
                .body("sha256Fingerprint", equalTo(Fingerprints.certificateSha256(client.certificate())))
                .body("keyAlgorithm", equalTo("RSA"))
                .body("keySizeBits", equalTo(2048))
                .body("hasPassphrase", equalTo(true))
                .body("hasCaCertificate", equalTo(false))
                .body("authorizedDomains", contains("*.example.com", "api.partner.test:8443"))
                .body("warnings", hasSize(0))
                .body("version", notNullValue())
                .body("$", not(org.hamcrest.Matchers.hasKey("clientKey")))
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);

        assertThat(vault.secretPaths("secret")).contains("keyline/certificate-service/certificates/" + id);
        assertThat(vault.versions("secret", "keyline/certificate-service/certificates/" + id)).hasSize(1);

        // A new certificate is at version 1 (ETag "1"), as clients have always seen it.
        given().header("Authorization", READER).when().get(location)
                .then().statusCode(200).body("id", equalTo(id)).body("version", equalTo(1)).header("ETag", equalTo("\"1\""));
    }

    @Test
    void listPagesAndFiltersByName() {
        String prefix = uniqueName("listing");
        create(body(prefix + "-a"));
        create(body(prefix + "-b"));
        create(body(uniqueName("other")));

        given().header("Authorization", READER).queryParam("name", prefix).queryParam("size", 1)
                .when().get(BASE)
                .then().statusCode(200)
                .body("total", equalTo(2))
                .body("items", hasSize(1))
                .body("items[0].name", equalTo(prefix + "-a"));
        given().header("Authorization", READER).queryParam("name", prefix).queryParam("page", 1).queryParam("size", 1)
                .when().get(BASE)
                .then().statusCode(200).body("items[0].name", equalTo(prefix + "-b"));
    }

    /** The total comes with the page's rows, or from a count for a page past the end: the same either way. */
    @Test
    void totalIsTheSameWhetherThePageIsFullPartialOrPastTheEnd() {
        String prefix = uniqueName("totals");
        create(body(prefix + "-a"));
        create(body(prefix + "-b"));
        create(body(prefix + "-c"));

        for (int[] pageAndSize : new int[][] { { 0, 2 }, { 1, 2 }, { 0, 3 }, { 0, 50 }, { 5, 2 } }) {
            given().header("Authorization", READER).queryParam("name", prefix).queryParam("page", pageAndSize[0])
                    .queryParam("size", pageAndSize[1])
                    .when().get(BASE)
                    .then().statusCode(200).body("total", equalTo(3));
        }
        given().header("Authorization", READER).queryParam("name", uniqueName("nothing-matches"))
                .when().get(BASE)
                .then().statusCode(200).body("total", equalTo(0)).body("items", hasSize(0));
    }

    @Test
    void duplicateNameIsAConflictAndStoresNothing() {
        String name = uniqueName("dup");
        create(body(name));
        int before = vault.secretPaths("secret").size();
        given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body(name))
                .when().post(BASE)
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:name-taken"))
                .body("errors[0].field", equalTo("name"));
        assertThat(vault.secretPaths("secret")).hasSize(before);
    }

    @Test
    void updateReplacesDomainsWithoutTouchingVaultAndHonoursIfMatch() {
        String name = uniqueName("upd");
        String id = create(body(name));
        String path = "keyline/certificate-service/certificates/" + id;
        String etag = given().header("Authorization", READER).when().get(BASE + "/" + id).then().extract().header("ETag");
        given().header("Authorization", READER).queryParam("host", "orders.example.com").when()
                .get(BASE + "/" + id + "/authorization")
                .then().statusCode(200).body("allowed", equalTo(true));

        Map<String, Object> update = Map.of("name", name, "description", "changed", "authorizedDomains",
                List.of("api.other.test"));
        given().header("Authorization", MANAGER).header("If-Match", etag).contentType(ContentType.JSON).body(update)
                .when().put(BASE + "/" + id)
                .then().statusCode(200)
                .body("description", equalTo("changed"))
                .body("authorizedDomains", contains("api.other.test"))
                .body("hasPassphrase", equalTo(true));
        assertThat(vault.versions("secret", path)).hasSize(1);

        // Authorization answers from the new row version's rules, not from the parsed rules of the old one.
        given().header("Authorization", READER).queryParam("host", "orders.example.com").when()
                .get(BASE + "/" + id + "/authorization")
                .then().statusCode(200).body("allowed", equalTo(false));
        given().header("Authorization", READER).queryParam("host", "api.other.test").when()
                .get(BASE + "/" + id + "/authorization")
                .then().statusCode(200).body("allowed", equalTo(true));

        // The old ETag is now stale.
        given().header("Authorization", MANAGER).header("If-Match", etag).contentType(ContentType.JSON).body(update)
                .when().put(BASE + "/" + id)
                .then().statusCode(412).body("type", equalTo("urn:keyline:problem:stale-version"));
    }

    @Test
    void updateWithoutIfMatchIs428AndChangesNothing() {
        String name = uniqueName("no-if-match");
        String id = create(body(name));
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(Map.of("name", name, "description", "lost update", "authorizedDomains", List.of("api.other.test")))
                .when().put(BASE + "/" + id)
                .then().statusCode(428).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:precondition-required"))
                .body("errors[0].field", equalTo("If-Match"));
        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(200).body("description", not(equalTo("lost update")));
    }

    static String etag(String id) {
        return given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200).extract()
                .header("ETag");
    }

    @Test
    void renewingTheCertificateWithTheSameKeyWritesANewVaultVersion() {
        String name = uniqueName("renew");
        Issued original = CertificateFixtures.client(name);
        String id = create(body(name, original, List.of("api.example.com")));
        Issued renewed = dev.keyline.keys.testing.TestPki.certificate(name).issuedBy(CertificateFixtures.CLIENT_CA)
                .clientAuth().keyPair(original.keyPair()).validFor(Duration.ofDays(700)).issue();

        given().header("Authorization", MANAGER).header("If-Match", etag(id)).contentType(ContentType.JSON)
                .body(Map.of("name", name, "authorizedDomains", List.of("api.example.com"), "clientCertificate",
                        renewed.certificatePem()))
                .when().put(BASE + "/" + id)
                .then().statusCode(200)
                .body("sha256Fingerprint", equalTo(Fingerprints.certificateSha256(renewed.certificate())))
                .body("hasPassphrase", equalTo(true));
        assertThat(vault.versions("secret", "keyline/certificate-service/certificates/" + id)).hasSize(2);

        // A certificate for a different key is refused: the stored key does not match it.
        Issued stranger = CertificateFixtures.client(name);
        given().header("Authorization", MANAGER).header("If-Match", etag(id)).contentType(ContentType.JSON)
                .body(Map.of("name", name, "authorizedDomains", List.of("api.example.com"), "clientCertificate",
                        stranger.certificatePem()))
                .when().put(BASE + "/" + id)
                .then().statusCode(400).body("errors.field", hasItem("clientKey"));
        assertThat(vault.versions("secret", "keyline/certificate-service/certificates/" + id)).hasSize(2);
    }

    @Test
    void deleteRemovesTheRowAndEveryVaultVersion() {
        String id = create(body(uniqueName("del")));
        String path = "keyline/certificate-service/certificates/" + id;
        assertThat(vault.secretPaths("secret")).contains(path);

        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id).then().statusCode(204);
        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(404).contentType("application/problem+json");
        assertThat(vault.secretPaths("secret")).doesNotContain(path);
    }

    @Test
    void soonExpiringCertificateIsAcceptedWithAWarning() {
        String name = uniqueName("soon");
        Issued soon = CertificateFixtures.expiringIn(Duration.ofDays(10), name);
        given().header("Authorization", MANAGER).contentType(ContentType.JSON)
                .body(body(name, soon, List.of("api.example.com")))
                .when().post(BASE)
                .then().statusCode(201)
                .body("warnings[0]", containsString("expires in"));
    }

    @Test
    void authorizationSaysWhichRuleMatched() {
        String id = create(body(uniqueName("authz")));
        given().header("Authorization", READER).queryParam("host", "Orders.EXAMPLE.com").when()
                .get(BASE + "/" + id + "/authorization")
                .then().statusCode(200).body("allowed", equalTo(true)).body("matchedRule", equalTo("*.example.com"));
        given().header("Authorization", READER).queryParam("host", "example.com").when()
                .get(BASE + "/" + id + "/authorization")
                .then().statusCode(200).body("allowed", equalTo(false));
        given().header("Authorization", READER).queryParam("host", "api.partner.test").queryParam("port", 8443).when()
                .get(BASE + "/" + id + "/authorization")
                .then().statusCode(200).body("allowed", equalTo(true)).body("matchedRule", equalTo("api.partner.test:8443"));
        given().header("Authorization", READER).queryParam("host", "api.partner.test").when()
                .get(BASE + "/" + id + "/authorization")
                .then().statusCode(200).body("allowed", equalTo(false));
    }

    @Test
    void everyEndpointNeedsAToken() {
        given().when().get(BASE).then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", "Bearer");
        given().contentType(ContentType.JSON).body(body(uniqueName("anon"))).when().post(BASE).then().statusCode(401);
        given().header("Authorization", "Bearer not-a-jwt").when().get(BASE).then().statusCode(401);
        given().when().get("/api/v1/audit-events").then().statusCode(401);
    }

    @Test
    void permissionsAreEnforced() {
        given().header("Authorization", READER).contentType(ContentType.JSON).body(body(uniqueName("ro")))
                .when().post(BASE)
                .then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:forbidden"));
        given().header("Authorization", OUTSIDER).when().get(BASE).then().statusCode(403);
        String id = create(body(uniqueName("perm")));
        given().header("Authorization", READER).when().delete(BASE + "/" + id).then().statusCode(403);
        given().header("Authorization", READER).contentType(ContentType.JSON).body(Map.of("url", "https://a.example.com/"))
                .when().post(BASE + "/" + id + "/exchange").then().statusCode(403);
    }

    @Test
    void changesAreAudited() {
        String id = create(body(uniqueName("audit")));
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id).then().statusCode(204);
        given().header("Authorization", READER).queryParam("resourceId", id).when().get("/api/v1/audit-events")
                .then().statusCode(200)
                .body("action", contains("certificate.delete", "certificate.create"))
                .body("actor", contains("alice", "alice"))
                .body("outcome", contains("SUCCESS", "SUCCESS"))
                .body("[0].fingerprints", notNullValue());
    }

    @Test
    void multipartUploadWorksAndChecksFileNames() {
        String name = uniqueName("files");
        Issued client = CertificateFixtures.client(name);
        String key = SecretLeakGuard.secret(client.privateKeyPkcs1Pem());
        given().header("Authorization", MANAGER)
                .multiPart("name", name)
                .multiPart("authorizedDomains", "api.example.com, *.files.example.com")
                .multiPart("clientCertificate", "client.crt", client.certificatePem().getBytes(), "application/x-pem-file")
                .multiPart("clientKey", "client.key", key.getBytes(), "application/x-pem-file")
                .when().post(BASE)
                .then().statusCode(201)
                .body("authorizedDomains", contains("api.example.com", "*.files.example.com"))
                .body("hasPassphrase", equalTo(false));

        given().header("Authorization", MANAGER)
                .multiPart("name", uniqueName("files"))
                .multiPart("authorizedDomains", "api.example.com")
                .multiPart("clientCertificate", "client.p12", client.certificatePem().getBytes(), "application/octet-stream")
                .multiPart("clientKey", "client.key", key.getBytes(), "application/x-pem-file")
                .when().post(BASE)
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("clientCertificate"))
                .body("errors[0].reason", containsString(".crt"));
    }
}
