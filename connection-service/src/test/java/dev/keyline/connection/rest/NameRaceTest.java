package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
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

import dev.keyline.common.testing.AtOnce;
import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.common.testing.TestTokens;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.Permissions;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Creates and renames racing for one name all pass the name check before the write; the unique
 * index refuses every row but the winner's. The losers get the same 409 {@code name-taken}
 * problem+json a sequential duplicate gets (it was a 500 from the unmapped constraint violation),
 * and no Vault secret is left without its row.
 */
@QuarkusTest
@ExtendWith(SecretLeakGuard.class)
class NameRaceTest {

    private static final String MOUNT = "secret";
    private static final String SECRETS = "keyline/connection-service/connections/";
    private static final int RACERS = 6;

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    @InjectVaultEmulator
    VaultEmulator vault;

    Map<String, Object> snowflakeBody(String name) {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_RACE", key.getPublic());
        return ConnectionFixtures.snowflakeBody(name, user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, null);
    }

    @Test
    void ofCreatesRacingForOneNameOneIsCreatedTheOthersAreNameTakenAndVaultKeepsOnlyTheWinnersSecret()
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(RACERS);
        try {
            for (int round = 0; round < 3; round++) {
                String name = ConnectionFixtures.uniqueName("create-race");
                List<Callable<Response>> creates = new ArrayList<>();
                for (int i = 0; i < RACERS; i++) {
                    Map<String, Object> body = snowflakeBody(i % 2 == 0 ? name : name.toUpperCase());
                    // One caller each: one caller may have only 1 key-pool task at once (429 past that).
                    String manager = TestTokens.bearer("racer-" + i, Permissions.MANAGE);
                    creates.add(() -> given().header("Authorization", manager).contentType(ContentType.JSON)
                            .body(body).when().post(BASE));
                }
                Set<String> before = Set.copyOf(vault.secretPaths(MOUNT));

                List<Integer> statuses = new ArrayList<>();
                String createdId = null;
                for (Response r : AtOnce.run(pool, creates)) {
                    statuses.add(r.statusCode());
                    if (r.statusCode() == 201) {
                        createdId = r.path("id");
                    } else {
                        assertNameTaken(r);
                    }
                }
                assertThat(statuses).as("round %d: %s", round, statuses).filteredOn(s -> s == 201).hasSize(1);
                assertThat(statuses).as("round %d: %s", round, statuses).filteredOn(s -> s == 409).hasSize(RACERS - 1);
                Set<String> added = new HashSet<>(vault.secretPaths(MOUNT));
                added.removeAll(before);
                assertThat(added).as("round %d: Vault holds the winner's secret only", round)
                        .containsExactly(SECRETS + createdId);
                given().header("Authorization", READER).queryParam("name", name).when().get(BASE)
                        .then().statusCode(200).body("total", equalTo(1)).body("items[0].id", equalTo(createdId));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void ofRenamesRacingForOneNameOneIsSavedTheOthersAreNameTaken() throws Exception {
        int racers = 4;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            for (int round = 0; round < 3; round++) {
                String target = ConnectionFixtures.uniqueName("rename-race");
                List<Callable<Response>> renames = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                for (int i = 0; i < racers; i++) {
                    String id = ConnectionFixtures.create(ConditionalPutTest.connector(
                            ConnectionFixtures.uniqueName("renamed"), "racer " + i));
                    ids.add(id);
                    String etag = ConnectionFixtures.etag(id);
                    Map<String, Object> body = ConditionalPutTest.connector(i % 2 == 0 ? target : target.toUpperCase(),
                            "racer " + i);
                    renames.add(() -> given().header("Authorization", MANAGER).header("If-Match", etag)
                            .contentType(ContentType.JSON).body(body).when().put(BASE + "/" + id));
                }

                List<Integer> statuses = new ArrayList<>();
                for (Response r : AtOnce.run(pool, renames)) {
                    statuses.add(r.statusCode());
                    if (r.statusCode() != 200) {
                        assertNameTaken(r);
                    }
                }
                assertThat(statuses).as("round %d: %s", round, statuses).filteredOn(s -> s == 200).hasSize(1);
                assertThat(statuses).as("round %d: %s", round, statuses).filteredOn(s -> s == 409).hasSize(racers - 1);
                given().header("Authorization", READER).queryParam("name", target).when().get(BASE)
                        .then().statusCode(200).body("total", equalTo(1));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static void assertNameTaken(Response r) {
        assertThat(r.statusCode()).as(r.asString()).isEqualTo(409);
        assertThat(r.contentType()).startsWith("application/problem+json");
        assertThat(r.<String> path("type")).isEqualTo("urn:keyline:problem:name-taken");
        assertThat(r.<List<String>> path("errors.field")).contains("name");
    }
}
