package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.ACCOUNT;
import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.MANAGER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.security.KeyPair;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.SecretLeakGuard;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.emulators.snowflake.KeySlots;
import dev.keyline.emulators.vault.InjectVaultEmulator;
import dev.keyline.emulators.vault.VaultEmulator;
import dev.keyline.keys.Fingerprints;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * Issue #12 item 3: the service makes the first key pair of a user. It registers the public key in a
 * free slot through the key-admin connection, proves a login, and only then stores anything; every
 * failure leaves Snowflake's slots, the table and Vault as they were.
 */
@QuarkusTest
class GeneratedKeyPairTest extends SnowflakeKeyFixture {

    @InjectVaultEmulator
    VaultEmulator vault;

    @Inject
    DataSource dataSource;

    @Test
    void generatedKeyIsRegisteredLogsInAndIsNeverShown() {
        String adminId = keyAdmin();
        String user = user("SVC_GEN", null, null);
        var created = post(generateBody(user, adminId)).statusCode(201)
                .body("details.privateKey", nullValue())
                .body("details.privateKeyPassphrase", nullValue())
                .body("testLogin.ok", equalTo(true));
        String id = created.extract().path("id");
        String fingerprint = created.extract().path("details.keyFingerprint");
        String body = created.extract().asString();
        assertThat(body).doesNotContain("PRIVATE KEY").doesNotContain("MII");

        KeySlots slots = snowflake.keySlots(ACCOUNT, user);
        assertThat(slots.rsaPublicKeyFp()).isEqualTo(fingerprint);
        assertThat(slots.rsaPublicKey2Fp()).isNull();
        assertThat(vault.secretPaths("secret")).contains("keyline/connection-service/connections/" + id);

        given().header("Authorization", MANAGER).when().post(BASE + "/" + id + "/test")
                .then().statusCode(200).body("ok", equalTo(true)).body("keyFingerprint", equalTo(fingerprint));
        given().header("Authorization", MANAGER).queryParam("resourceId", id).when().get("/api/v1/audit-events")
                .then().statusCode(200).body("find { it.action == 'connection.create' }.detail",
                        containsString("generated=true keyBits=2048 slot=1"));

        // The setup SQL of a generated connection registers exactly that public key.
        String sql = given().header("Authorization", MANAGER).when().get(BASE + "/" + id + "/setup-sql")
                .then().statusCode(200).extract().path("sql");
        assertThat(sql).contains("ALTER USER \"" + user + "\" SET RSA_PUBLIC_KEY='");
    }

    @Test
    void secondSlotIsUsedWhenTheFirstHoldsAKey() {
        String adminId = keyAdmin();
        KeyPair existing = ConnectionFixtures.newKey();
        String user = user("SVC_GEN2", existing, null);
        String fingerprint = post(generateBody(user, adminId)).statusCode(201).extract().path("details.keyFingerprint");
        KeySlots slots = snowflake.keySlots(ACCOUNT, user);
        assertThat(slots.rsaPublicKeyFp()).isEqualTo(Fingerprints.spkiSha256(existing.getPublic()));
        assertThat(slots.rsaPublicKey2Fp()).isEqualTo(fingerprint);
    }

    @Test
    void noFreeSlotIs409AndStoresNothing() throws SQLException {
        String adminId = keyAdmin();
        KeyPair one = ConnectionFixtures.newKey();
        KeyPair two = ConnectionFixtures.newKey();
        String user = user("SVC_FULL", one, two);
        Stored before = stored();
        post(generateBody(user, adminId)).statusCode(409)
                .body("type", equalTo("urn:keyline:problem:no-free-key-slot"))
                .body("detail", containsString("RSA_PUBLIC_KEY: " + Fingerprints.spkiSha256(one.getPublic())))
                .body("detail", containsString("RSA_PUBLIC_KEY_2: " + Fingerprints.spkiSha256(two.getPublic())));
        assertThat(stored()).isEqualTo(before);
        KeySlots slots = snowflake.keySlots(ACCOUNT, user);
        assertThat(slots.rsaPublicKeyFp()).isEqualTo(Fingerprints.spkiSha256(one.getPublic()));
        assertThat(slots.rsaPublicKey2Fp()).isEqualTo(Fingerprints.spkiSha256(two.getPublic()));
    }

    @Test
    void userOutsideTheKeyAdminsScopeIs403AndStoresNothing() throws SQLException {
        String adminId = keyAdmin();
        // ADMIN_MANAGES covers SVC_*, not OUTSIDE_*.
        String user = ConnectionFixtures.uniqueUser("OUTSIDE");
        ConnectionFixtures.account(snowflake).user(user).role(ConnectionFixtures.SERVICE_ROLE);
        Stored before = stored();
        post(generateBody(user, adminId)).statusCode(403)
                .body("type", equalTo("urn:keyline:problem:key-admin-scope"));
        assertThat(stored()).isEqualTo(before);
        assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKeyFp()).isNull();
        assertThat(snowflake.statements("ALTER USER")).noneMatch(s -> s.toString().contains(user));
    }

    @Test
    void loginRefusedAfterRegistrationUnsetsTheSlotAndStoresNothing() throws SQLException {
        String adminId = keyAdmin();
        String user = user("SVC_REFUSED", null, null);
        Stored before = stored();
        snowflake.failNextLoginOf(user, "390144");
        post(generateBody(user, adminId)).statusCode(422)
                .body("type", equalTo("urn:keyline:problem:credential-login-failed"))
                .body("detail", containsString("nothing stored"));
        assertThat(stored()).isEqualTo(before);
        KeySlots slots = snowflake.keySlots(ACCOUNT, user);
        assertThat(slots.rsaPublicKeyFp()).isNull();
        assertThat(slots.rsaPublicKey2Fp()).isNull();
        // The slot had been set, then unset again.
        assertThat(snowflake.statements("SET RSA_PUBLIC_KEY")).anyMatch(s -> s.toString().contains(user));
        assertThat(snowflake.statements("UNSET RSA_PUBLIC_KEY")).anyMatch(s -> s.toString().contains(user));
    }

    @Test
    void generationRefusesKeysOfTheCallerAndNeedsAKeyAdmin() throws SQLException {
        String adminId = keyAdmin();
        String user = user("SVC_GENBAD", null, null);
        Stored before = stored();
        Map<String, Object> withKey = generateBody(user, adminId);
        ConnectionFixtures.details(withKey).put("privateKey",
                ConnectionFixtures.pkcs8Pem(ConnectionFixtures.newKey().getPrivate()));
        ConnectionFixtures.details(withKey).put("privateKeyPassphrase", SecretLeakGuard.secret("pass-Gen-1!"));
        post(withKey).statusCode(400).body("errors.field", hasItem("details.privateKey"))
                .body("errors.field", hasItem("details.privateKeyPassphrase"));
        post(generateBody(user, null)).statusCode(400).body("errors.field", hasItem("details.keyAdminConnectionId"));
        Map<String, Object> badBits = generateBody(user, adminId);
        ConnectionFixtures.details(badBits).put("keyBits", 1024);
        post(badBits).statusCode(400).body("errors.field", hasItem("details.keyBits"));
        assertThat(stored()).isEqualTo(before);
        assertThat(snowflake.keySlots(ACCOUNT, user).rsaPublicKeyFp()).isNull();
    }

    @Test
    void setupSqlQuotesIdentifiersAndShowsThePublicKeyOnly() {
        String adminId = keyAdmin();
        KeyPair key = ConnectionFixtures.newKey();
        String pem = ConnectionFixtures.pkcs8Pem(key.getPrivate());
        // Covered by the key-admin's pattern X"*; quotes and spaces in every identifier.
        String user = "X\"odd user " + ConnectionFixtures.uniqueUser("q");
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("setup-sql"), user,
                pem, null, adminId);
        ConnectionFixtures.details(body).put("role", "Loader \"R\"");
        ConnectionFixtures.details(body).put("warehouse", "wh 1");
        String id = ConnectionFixtures.create(body);
        String quotedUser = "\"" + user.replace("\"", "\"\"") + "\"";
        String publicKey = dev.keyline.keys.PublicKeys.toBase64Der(key.getPublic());
        String privateKey = java.util.Base64.getEncoder().encodeToString(key.getPrivate().getEncoded());

        var json = given().header("Authorization", ConnectionFixtures.READER).when().get(BASE + "/" + id + "/setup-sql")
                .then().statusCode(200).contentType(ContentType.JSON).body("connectionId", equalTo(id)).extract().jsonPath();
        List<String> statements = json.getList("statements", String.class);
        assertThat(statements).containsExactly(
                "CREATE ROLE IF NOT EXISTS \"Loader \"\"R\"\"\"",
                "CREATE USER IF NOT EXISTS " + quotedUser + " TYPE = SERVICE DEFAULT_ROLE = \"Loader \"\"R\"\"\" "
                        + "DEFAULT_WAREHOUSE = \"wh 1\"",
                "GRANT ROLE \"Loader \"\"R\"\"\" TO USER " + quotedUser,
                "GRANT USAGE ON WAREHOUSE \"wh 1\" TO ROLE \"Loader \"\"R\"\"\"",
                "GRANT MODIFY PROGRAMMATIC AUTHENTICATION METHODS ON USER " + quotedUser + " TO ROLE \"KEY_ADMIN\"",
                "ALTER USER " + quotedUser + " SET RSA_PUBLIC_KEY='" + publicKey + "'");
        String sql = json.getString("sql");
        assertThat(sql).isEqualTo(String.join(";\n", statements) + ";\n");
        assertThat(sql).doesNotContain(privateKey.substring(40, 100)).doesNotContain("PRIVATE");

        String text = given().header("Authorization", ConnectionFixtures.USER).accept(ContentType.TEXT)
                .when().get(BASE + "/" + id + "/setup-sql").then().statusCode(200)
                .contentType(containsString("text/plain")).extract().asString();
        assertThat(text).isEqualTo(sql);
        given().header("Authorization", ConnectionFixtures.OUTSIDER).when().get(BASE + "/" + id + "/setup-sql")
                .then().statusCode(403).body(not(containsString("ALTER")));
    }

    // ---- helpers ------------------------------------------------------------------------------

    private static Map<String, Object> generateBody(String user, String adminId) {
        Map<String, Object> body = ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("generated"), user,
                null, null, adminId);
        ConnectionFixtures.details(body).remove("privateKey");
        ConnectionFixtures.details(body).put("generateKeyPair", true);
        return body;
    }

    private static ValidatableResponse post(Map<String, Object> body) {
        return given().header("Authorization", MANAGER).contentType(ContentType.JSON).body(body)
                .when().post(BASE).then();
    }

    record Stored(long rows, int secrets) {
    }

    private Stored stored() throws SQLException {
        try (Connection c = dataSource.getConnection();
                ResultSet rs = c.createStatement().executeQuery("select count(*) from connections.connection")) {
            rs.next();
            return new Stored(rs.getLong(1), vault.secretPaths("secret").size());
        }
    }
}
