package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.ACCOUNT;
import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.net.URL;
import java.security.KeyPair;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Key-admin operations reuse the admin connection's idle logged-in session (one login for a run of
 * DESC/ALTER USER), never after the admin connection changed, and replace a session Snowflake ended
 * by one fresh login.
 */
@QuarkusTest
class KeyAdminSessionReuseTest extends KeyAdminSessionFixture {

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void slotOperationsInARowShareOneLogin() {
        Pair p = pair("REUSE");
        int loginsBefore = adminLogins(p).size();
        double reusedBefore = adminSessions("reused");

        readSlots(p);
        readSlots(p);
        setSlot2(p, ConnectionFixtures.newKey());
        unsetSlot2(p);
        readSlots(p);

        assertThat(adminLogins(p)).hasSize(loginsBefore + 1);
        assertThat(adminSessions("reused") - reusedBefore).isGreaterThanOrEqualTo(4);
        assertThat(statements(p, "ALTER USER")).isEqualTo(2);
        given().when().get(metrics).then().statusCode(200)
                .body(containsString("keyline_snowflake_admin_sessions_total{outcome=\"reused\"}"))
                .body(containsString("keyline_snowflake_admin_sessions_total{outcome=\"fresh\"}"))
                .body(containsString("keyline_snowflake_admin_sessions_idle "));
    }

    @Test
    void afterTheAdminConnectionsKeyChangesTheNextOperationLogsInWithTheNewKey() {
        Pair p = pair("REUSE_SWAP");
        readSlots(p); // leaves a session logged in with the first key

        KeyPair next = ConnectionFixtures.newKey();
        String nextFingerprint = Fingerprints.spkiSha256(next.getPublic());
        snowflake.setKeySlot(ACCOUNT, p.adminUser(), 2, next.getPublic());
        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(p.adminId()))
                .contentType(ContentType.JSON)
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(next.getPrivate()), "expectedCredentialVersion", 1))
                .when().put(BASE + "/" + p.adminId() + "/credentials")
                .then().statusCode(200).body("details.keyFingerprint", equalTo(nextFingerprint));
        int loginsBefore = adminLogins(p).size();

        readSlots(p);
        readSlots(p);

        assertThat(adminLogins(p)).hasSize(loginsBefore + 1);
        assertThat(adminLogins(p).get(loginsBefore).fingerprint()).isEqualTo(nextFingerprint);
    }

    @Test
    void afterTheAdminConnectionsSettingsChangeTheNextOperationLogsInAgain() {
        Pair p = pair("REUSE_EDIT");
        readSlots(p);
        Map<String, Object> edited = given().header("Authorization", MANAGER).when().get(BASE + "/" + p.adminId())
                .then().statusCode(200).extract().jsonPath().getMap("$");
        int loginsBefore = adminLogins(p).size();

        given().header("Authorization", MANAGER).header("If-Match", ConnectionFixtures.etag(p.adminId()))
                .contentType(ContentType.JSON).body(Map.of("name", edited.get("name"), "description", "edited",
                        "timeoutSecs", 21, "details", editableDetails(edited)))
                .when().put(BASE + "/" + p.adminId()).then().statusCode(200);
        readSlots(p);

        assertThat(adminLogins(p)).hasSize(loginsBefore + 1);
    }

    @Test
    void aSessionSnowflakeEndedIsReplacedByOneFreshLoginAndTheOperationSucceeds() {
        Pair p = pair("REUSE_ENDED");
        readSlots(p);
        int loginsBefore = adminLogins(p).size();
        double staleBefore = adminSessions("stale");

        assertThat(snowflake.endSessions(ACCOUNT, p.adminUser())).isPositive();
        readSlots(p);

        assertThat(adminLogins(p)).hasSize(loginsBefore + 1);
        assertThat(adminSessions("stale") - staleBefore).isEqualTo(1);
        // The fresh session is kept in turn.
        readSlots(p);
        assertThat(adminLogins(p)).hasSize(loginsBefore + 1);
    }

    @Test
    void anExpiredSessionTokenIsRenewedAndTheSessionStaysInUse() {
        Pair p = pair("REUSE_RENEW");
        readSlots(p);
        int loginsBefore = adminLogins(p).size();
        int renewalsBefore = snowflake.tokenRenewalCount();

        assertThat(snowflake.expireSessionTokens(ACCOUNT, p.adminUser())).isPositive();
        readSlots(p);

        assertThat(adminLogins(p)).hasSize(loginsBefore);
        assertThat(snowflake.tokenRenewalCount()).isGreaterThan(renewalsBefore);
    }

    @Test
    void aStatementErrorIsNotRetriedAndItsSessionIsNotKept() {
        Pair p = pair("REUSE_ERROR");
        readSlots(p);
        int loginsBefore = adminLogins(p).size();
        long descBefore = statements(p, "DESC USER");

        snowflake.failNextStatement("003001", "DESC USER", p.targetUser());
        given().header("Authorization", MANAGER).when().get(BASE + "/" + p.targetId() + "/key-slots")
                .then().statusCode(422).body("type", equalTo("urn:keyline:problem:snowflake-insufficient-privileges"));
        assertThat(adminLogins(p)).hasSize(loginsBefore);

        readSlots(p);
        assertThat(adminLogins(p)).as("the failed session was closed, not kept").hasSize(loginsBefore + 1);
        assertThat(statements(p, "DESC USER")).isEqualTo(descBefore + 2);
    }

    /** Statements of this kind naming the managed user (the driver gets it quoted). */
    private long statements(Pair p, String kind) {
        return snowflake.statements(p.targetUser()).stream().filter(st -> st.sql().startsWith(kind)).count();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> editableDetails(Map<String, Object> connection) {
        Map<String, Object> details = new java.util.LinkedHashMap<>((Map<String, Object>) connection.get("details"));
        details.keySet().retainAll(java.util.Set.of("type", "account", "host", "user", "role", "warehouse",
                "authType", "managesUsers"));
        return details;
    }
}
