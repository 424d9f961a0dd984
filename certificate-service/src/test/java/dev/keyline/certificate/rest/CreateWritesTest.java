package dev.keyline.certificate.rest;

import static dev.keyline.certificate.CertificateFixtures.MANAGER;
import static dev.keyline.certificate.CertificateFixtures.READER;
import static dev.keyline.certificate.CertificateFixtures.body;
import static dev.keyline.certificate.CertificateFixtures.uniqueName;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.keyline.certificate.Permissions;
import dev.keyline.common.testing.AtOnce;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * What a create writes and what it leaves behind. It costs one Vault request (the check-and-set
 * write: no token lookup, metadata read or CAS read first). A name already taken is refused before
 * Vault is touched; two creates (or renames) racing for one name both pass that check, and the
 * unique index refuses the loser's row: still 409 {@code name-taken} problem+json on the name (it
 * was a 500 before), the secret written meanwhile deleted again, exactly one winner.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class CreateWritesTest {

    private static final String BASE = "/api/v1/certificates";
    private static final String MOUNT = "secret";

    @InjectVaultEmulator
    VaultEmulator vault;

    @Test
    void aCreateIsOneVaultWrite() {
        vault.clearRequests();
        String id = post(body(uniqueName("one-write"))).then().statusCode(201).extract().path("id");

        assertThat(vault.requests()).extracting(r -> r.method() + " " + r.path())
                .containsExactly("POST /v1/" + MOUNT + "/data/keyline/certificate-service/certificates/" + id);
    }

    @Test
    void aNameTakenInAnotherCaseIsAConflictAndLeavesNoSecretBehind() {
        String name = uniqueName("Case-Dup");
        String id = post(body(name)).then().statusCode(201).extract().path("id");
        Set<String> before = Set.copyOf(vault.secretPaths(MOUNT));
        vault.clearRequests();

        post(body(name.toLowerCase())).then().statusCode(409).contentType("application/problem+json")
                .body("type", equalTo("urn:keyline:problem:name-taken"))
                .body("errors[0].field", equalTo("name"))
                .body("errors[0].reason", equalTo("already in use"));

        assertThat(vault.requests()).as("a taken name is refused before any key material goes to Vault").isEmpty();
        assertThat(vault.secretPaths(MOUNT)).isEqualTo(before);
        given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                .then().statusCode(200).body("total", equalTo(1)).body("items[0].id", equalTo(id));
    }

    @Test
    void ofTwoCreatesRacingForOneNameOneIsCreatedAndTheOtherIsAConflict() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String name = uniqueName("race");
                Map<String, Object> lower = body(name);
                Map<String, Object> upper = body(name.toUpperCase());
                Set<String> before = Set.copyOf(vault.secretPaths(MOUNT));

                // Two callers: one caller has one key-pool task at a time (its second at once is 429).
                List<Response> answers = AtOnce.run(pool, List.of(() -> post(lower), () -> post(upper, OTHER_MANAGER)));

                List<Integer> statuses = new ArrayList<>();
                String createdId = null;
                for (Response r : answers) {
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 201) {
                        createdId = r.path("id");
                    } else {
                        assertNameTaken(r);
                    }
                }
                assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(201, 409);
                Set<String> added = new HashSet<>(vault.secretPaths(MOUNT));
                added.removeAll(before);
                assertThat(added).as("round %d: only the winner's secret stays", round)
                        .containsExactly("keyline/certificate-service/certificates/" + createdId);
                given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                        .then().statusCode(200).body("total", equalTo(1)).body("items[0].id", equalTo(createdId));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aRenameToANameAnotherHoldsIsAConflictNamingItAndOneToItsOwnNameInAnotherCaseIsNot() {
        String taken = uniqueName("Rename-Held");
        post(body(taken)).then().statusCode(201);
        String own = uniqueName("rename-own");
        String id = post(body(own)).then().statusCode(201).extract().path("id");

        Response refused = rename(id, taken.toUpperCase());
        assertNameTaken(refused);
        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.<String> path("detail")).contains("'" + taken + "'");
        given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .body("name", equalTo(own));

        rename(id, own.toUpperCase()).then().statusCode(200).body("name", equalTo(own.toUpperCase()));
    }

    @Test
    void ofTwoRenamesRacingForOneNameOneIsSavedAndTheOtherIsAConflict() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < 5; round++) {
                String target = uniqueName("rename-race");
                List<Callable<Response>> renames = new ArrayList<>();
                for (String prefix : List.of("first", "second")) {
                    String id = post(body(uniqueName(prefix))).then().statusCode(201).extract().path("id");
                    String etag = given().header("Authorization", READER).when().get(BASE + "/" + id).then()
                            .statusCode(200).extract().header("ETag");
                    renames.add(() -> given().header("Authorization", MANAGER).header("If-Match", etag)
                            .contentType(ContentType.JSON)
                            .body(Map.of("name", target, "authorizedDomains", List.of("*.example.com")))
                            .when().put(BASE + "/" + id));
                }

                List<Integer> statuses = new ArrayList<>();
                for (Response r : AtOnce.run(pool, renames)) {
                    statuses.add(r.statusCode());
                    if (r.statusCode() != 200) {
                        assertNameTaken(r);
                    }
                }
                assertThat(statuses).as("round %d", round).containsExactlyInAnyOrder(200, 409);
                given().header("Authorization", READER).queryParam("name", target).when().get(BASE)
                        .then().statusCode(200).body("total", equalTo(1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertNameTaken(Response r) {
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.<String> path("type")).isEqualTo("urn:keyline:problem:name-taken");
    }

    /** PUT of a new name and the same domains (no material), at the certificate's current version. */
    private static Response rename(String id, String name) {
        String etag = given().header("Authorization", READER).when().get(BASE + "/" + id).then().statusCode(200)
                .extract().header("ETag");
        return given().header("Authorization", MANAGER).header("If-Match", etag).contentType(ContentType.JSON)
                .body(Map.of("name", name, "authorizedDomains", List.of("*.example.com"))).when().put(BASE + "/" + id);
    }

    private static final String OTHER_MANAGER = TestTokens.bearer("alina", Permissions.MANAGE);

    private static Response post(Map<String, Object> body) {
        return post(body, MANAGER);
    }

    private static Response post(Map<String, Object> body, String bearer) {
        return given().header("Authorization", bearer).contentType(ContentType.JSON).body(body).when().post(BASE);
    }
}
