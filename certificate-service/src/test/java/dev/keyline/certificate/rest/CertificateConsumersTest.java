package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static dev.keyline.certificate.CertificateFixtures.USER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;

import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.common.testing.SecretLeakGuard;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Consumers of a certificate (issue #12 item 4): connection-service registers its API connectors
 * with the caller's token; deleting a certificate in use is refused naming them, and a stale
 * consumer is removed by its id.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class CertificateConsumersTest {

    static final String BASE = "/api/v1/certificates";
    static final String PROBLEM = "urn:keyline:problem:";

    static void register(String certificateId, String consumerId, String name, int status) {
        given().header("Authorization", USER).header("Keyline-Via", "connection-service").contentType(ContentType.JSON)
                .body(Map.of("name", name, "service", "connection-service"))
                .when().put(BASE + "/" + certificateId + "/consumers/" + consumerId)
                .then().statusCode(status)
                .body("id", equalTo(consumerId)).body("name", equalTo(name))
                .body("service", equalTo("connection-service")).body("registeredBy", equalTo("uma"));
    }

    /**
     * A page of the list carries each certificate's own consumers (by name, then id: as its GET does),
     * none of another's, and the total of all matching rows, whether or not the page is full.
     */
    @Test
    void aListPageShowsEachCertificatesOwnConsumersInOrder() {
        String prefix = uniqueName("page-consumers");
        String a = CertificateResourceTest.create(body(prefix + "-a"));
        String b = CertificateResourceTest.create(body(prefix + "-b"));
        String c = CertificateResourceTest.create(body(prefix + "-c"));
        register(a, "z-1", "Zeta API", 201);
        register(a, "a-2", "Alpha API", 201);
        register(a, "a-1", "Alpha API", 201);
        register(b, "m-1", "Mid API", 201);

        given().header("Authorization", READER).queryParam("name", prefix).queryParam("size", 2).when().get(BASE)
                .then().statusCode(200)
                .body("total", equalTo(3)).body("page", equalTo(0)).body("size", equalTo(2))
                .body("items.id", contains(a, b))
                .body("items[0].consumers.id", contains("a-1", "a-2", "z-1"))
                .body("items[0].consumers.name", contains("Alpha API", "Alpha API", "Zeta API"))
                .body("items[1].consumers.id", contains("m-1"));
        given().header("Authorization", READER).queryParam("name", prefix).queryParam("page", 1).queryParam("size", 2)
                .when().get(BASE)
                .then().statusCode(200)
                .body("total", equalTo(3)).body("items.id", contains(c)).body("items[0].consumers", hasSize(0));
        given().header("Authorization", READER).when().get(BASE + "/" + a).then().statusCode(200)
                .body("consumers.id", contains("a-1", "a-2", "z-1"));
        given().header("Authorization", READER).when().get(BASE + "/" + c).then().statusCode(200)
                .body("consumers", hasSize(0));
    }

    @Test
    void aCertificateInUseCannotBeDeletedUntilItsConsumersAreGone() {
        String id = CertificateResourceTest.create(body(uniqueName("used")));
        String first = UUID.randomUUID().toString();
        String second = UUID.randomUUID().toString();
        register(id, first, "Orders API", 201);
        register(id, first, "Orders API (renamed)", 200);
        register(id, second, "Billing API", 201);

        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .body("consumers.id", contains(second, first))
                .body("consumers.name", contains("Billing API", "Orders API (renamed)"));
        given().header("Authorization", READER).queryParam("name", "used").when().get(BASE).then().statusCode(200)
                .body("items.find { it.id == '" + id + "' }.consumers", hasSize(2));

        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id)
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "certificate-in-use"))
                .body("status", equalTo(409))
                .body("detail", containsString("'Orders API (renamed)' (id " + first + ")"))
                .body("detail", containsString("DELETE /api/v1/certificates/" + id + "/consumers/{id}"))
                .body("consumers.id", contains(second, first))
                .body("consumers.name", contains("Billing API", "Orders API (renamed)"))
                .body("consumers.service", contains("connection-service", "connection-service"));
        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200);

        given().header("Authorization", USER).when().delete(BASE + "/" + id + "/consumers/" + first).then().statusCode(204);
        // Idempotent: unregistering again (a retry) is no error.
        given().header("Authorization", USER).when().delete(BASE + "/" + id + "/consumers/" + first).then().statusCode(204);
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id)
                .then().statusCode(409).body("consumers.id", contains(second));
        given().header("Authorization", USER).when().delete(BASE + "/" + id + "/consumers/" + second).then().statusCode(204);
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id).then().statusCode(204);

        given().header("Authorization", READER).queryParam("resourceId", id).when().get("/api/v1/audit-events")
                .then().statusCode(200)
                .body("action", hasItem("certificate.consumer.register"))
                .body("action", hasItem("certificate.consumer.unregister"))
                .body("find { it.action == 'certificate.delete' && it.outcome == 'FAILED' }.detail",
                        equalTo("certificate-in-use"))
                .body("find { it.action == 'certificate.consumer.register' }.via", equalTo("connection-service"));
    }

    /**
     * Registering needs only {@code certificates:use}, and every read of the certificate carries all
     * its consumers: their number is bounded (default 100), a registration past it is a 409 and
     * stores nothing; registering an existing one again, or one after another is removed, still works.
     */
    @Test
    void aCertificateHasAtMostTheConfiguredNumberOfConsumers() {
        String id = CertificateResourceTest.create(body(uniqueName("crowded")));
        int max = 100;
        for (int i = 0; i < max; i++) {
            register(id, "c-" + i, "API " + i, 201);
        }
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("name", "One too many", "service", "connection-service"))
                .when().put(BASE + "/" + id + "/consumers/c-" + max)
                .then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo(PROBLEM + "too-many-consumers"))
                .body("errors[0].field", equalTo("consumerId"));
        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(200).body("consumers", hasSize(max));
        register(id, "c-0", "API 0 (renamed)", 200);
        given().header("Authorization", USER).when().delete(BASE + "/" + id + "/consumers/c-1").then().statusCode(204);
        register(id, "c-" + max, "API " + max, 201);
    }

    /**
     * A consumer's name is shown to whoever deletes the certificate (in the 409 and the console), so
     * it follows the name rule: NUL (a 500 at the insert before), bidi overrides and markup are 400s.
     */
    @Test
    void aConsumerNameFollowsTheNameRule() {
        String id = CertificateResourceTest.create(body(uniqueName("named")));
        for (String name : new String[] { "Orders\u0000", "Orders \u202eIPA", "<b>Orders</b>", "Orders\nAPI" }) {
            given().header("Authorization", USER).contentType(ContentType.JSON)
                    .body(Map.of("name", name, "service", "connection-service"))
                    .when().put(BASE + "/" + id + "/consumers/bad-name")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", equalTo("name"));
        }
        given().header("Authorization", READER).when().get(BASE + "/" + id)
                .then().statusCode(200).body("consumers", hasSize(0));
        register(id, "good-name", "Zahlungen – EU (prod)", 201);
    }

    @Test
    void bindingIsAUseOfTheCertificate() {
        String id = CertificateResourceTest.create(body(uniqueName("bind")));
        String consumer = UUID.randomUUID().toString();
        Map<String, String> request = Map.of("name", "x", "service", "connection-service");
        for (String token : new String[] { MANAGER, READER }) {
            given().header("Authorization", token).contentType(ContentType.JSON).body(request)
                    .when().put(BASE + "/" + id + "/consumers/" + consumer).then().statusCode(403);
            given().header("Authorization", token).when().delete(BASE + "/" + id + "/consumers/" + consumer)
                    .then().statusCode(403);
        }
        given().contentType(ContentType.JSON).body(request)
                .when().put(BASE + "/" + id + "/consumers/" + consumer).then().statusCode(401);
        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .body("consumers", hasSize(0));
    }

    @Test
    void badInputAndUnknownCertificatesStoreNothing() {
        String id = CertificateResourceTest.create(body(uniqueName("bad-consumer")));
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "service", "connection-service"))
                .when().put(BASE + "/" + UUID.randomUUID() + "/consumers/c1")
                .then().statusCode(404).body("type", equalTo(PROBLEM + "not-found"));
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("name", " ", "service", "Connection Service"))
                .when().put(BASE + "/" + id + "/consumers/c1")
                .then().statusCode(400).body("type", equalTo(PROBLEM + "invalid-request"))
                .body("errors.field", hasItem(containsString("name")))
                .body("errors.field", hasItem(containsString("service")));
        given().header("Authorization", USER).contentType(ContentType.JSON)
                .body(Map.of("name", "x", "service", "connection-service"))
                .when().put(BASE + "/" + id + "/consumers/bad%20id")
                .then().statusCode(400).body("type", equalTo(PROBLEM + "invalid-request"));
        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .body("consumers", hasSize(0));
        given().header("Authorization", MANAGER).when().delete(BASE + "/" + id).then().statusCode(204);
    }
}
