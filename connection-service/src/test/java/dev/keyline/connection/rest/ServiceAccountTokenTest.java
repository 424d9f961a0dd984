package dev.keyline.connection.rest;

import static dev.keyline.connection.ConnectionFixtures.BASE;
import static dev.keyline.connection.ConnectionFixtures.READER;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.security.KeyPair;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.keyline.common.testing.TestTokens;
import dev.keyline.connection.ConnectionFixtures;
import dev.keyline.connection.Permissions;
import dev.keyline.emulators.snowflake.InjectSnowflakeEmulator;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A Kubernetes projected service-account token (the second, service-account issuer of the test
 * profile) is accepted: rotation-service's ServiceAccount holds exactly {@code connections:rotate}
 * by configuration, any other subject of that issuer holds nothing, and the audience, age and
 * signature rules are those of the primary issuer; neither issuer's key can speak for the other.
 */
@QuarkusTest
class ServiceAccountTokenTest {

    static final String ROTATION_SERVICE_ACCOUNT = "system:serviceaccount:keyline:rotation-service";

    @InjectSnowflakeEmulator
    SnowflakeEmulator snowflake;

    String one;

    @BeforeEach
    void connection() {
        KeyPair key = ConnectionFixtures.newKey();
        String user = ConnectionFixtures.serviceUser(snowflake, "SVC_SA", key.getPublic());
        one = BASE + "/" + ConnectionFixtures.create(ConnectionFixtures.snowflakeBody(ConnectionFixtures.uniqueName("sa"),
                user, ConnectionFixtures.pkcs8Pem(key.getPrivate()), null, ConnectionFixtures.adminConnection(snowflake)));
    }

    @Test
    void theMappedServiceAccountReachesOnlyWhatConnectionsRotateReaches() {
        String rotator = TestTokens.serviceAccount("keyline", "rotation-service").bearer();
        given().header("Authorization", rotator).when().get(one).then().statusCode(200);
        given().header("Authorization", rotator).when().post(one + "/test").then().statusCode(200);
        given().header("Authorization", rotator).when().get(one + "/key-slots").then().statusCode(200);
        // A request with a body: its sender is verified before the body is read (http-limits), by this issuer too.
        given().header("Authorization", rotator).contentType("application/json")
                .body(Map.of("privateKey", ConnectionFixtures.pkcs8Pem(ConnectionFixtures.newKey().getPrivate())))
                .when().post(one + "/credentials/test").then().statusCode(422)
                .body("type", equalTo("urn:keyline:problem:credential-login-failed"));

        given().header("Authorization", rotator).when().get(BASE).then().statusCode(403)
                .body("type", equalTo("urn:keyline:problem:forbidden"));
        given().header("Authorization", rotator).when().get(one + "/browse").then().statusCode(403);
        given().header("Authorization", rotator).when().get(one + "/permissions/manage").then().statusCode(403);
        given().header("Authorization", rotator).when().get("/api/v1/audit-events").then().statusCode(403);
        given().header("Authorization", rotator).when().delete(one).then().statusCode(403);

        // Audited under the service account's subject.
        List<Map<String, Object>> events = given().header("Authorization", READER)
                .queryParam("resourceId", one.substring(BASE.length() + 1)).when().get("/api/v1/audit-events")
                .then().statusCode(200).extract().jsonPath().getList("$");
        assertThat(events).extracting(e -> e.get("action") + " " + e.get("actor"))
                .contains("connection.test " + ROTATION_SERVICE_ACCOUNT);
    }

    @Test
    void groupsInAServiceAccountTokenGrantNothing() {
        String withGroups = TestTokens.serviceAccount("keyline", "rotation-service", Permissions.READ, Permissions.MANAGE)
                .bearer();
        given().header("Authorization", withGroups).when().get(BASE).then().statusCode(403);
        given().header("Authorization", withGroups).when().delete(one).then().statusCode(403);
        given().header("Authorization", withGroups).when().get(one).then().statusCode(200);

        String otherWithGroups = TestTokens.serviceAccount("keyline", "intruder", Permissions.READ).bearer();
        given().header("Authorization", otherWithGroups).when().get(one).then().statusCode(403);
    }

    @Test
    void unmappedSubjectsOfThatIssuerAre403() {
        for (String bearer : List.of(TestTokens.serviceAccount("keyline", "certificate-service").bearer(),
                TestTokens.serviceAccount("other-namespace", "rotation-service").bearer())) {
            given().header("Authorization", bearer).when().get(one).then().statusCode(403)
                    .contentType("application/problem+json");
            given().header("Authorization", bearer).when().post(one + "/test").then().statusCode(403);
        }
    }

    @Test
    void theSubjectMapsOnlyForTheServiceAccountIssuer() {
        // The primary issuer's token for the same subject gets only its own groups (none here).
        String primary = TestTokens.mint(ROTATION_SERVICE_ACCOUNT).bearer();
        given().header("Authorization", primary).when().get(one).then().statusCode(403);
    }

    @Test
    void audienceAndAgeRulesAreUnchanged() {
        expect401(TestTokens.serviceAccount("keyline", "rotation-service").audience("certificate-service").bearer());
        expect401(TestTokens.serviceAccount("keyline", "rotation-service").audience().bearer());
        Instant now = Instant.now();
        long maxAge = ConfigProvider.getConfig().getValue("mp.jwt.verify.token.age", Long.class);
        expect401(TestTokens.serviceAccount("keyline", "rotation-service").issuedAt(now.minusSeconds(600))
                .expiresAt(now.minusSeconds(60)).bearer());
        expect401(TestTokens.serviceAccount("keyline", "rotation-service").issuedAt(now.minusSeconds(maxAge + 120))
                .expiresAt(now.plusSeconds(3600)).bearer());
    }

    @Test
    void neitherIssuersKeySpeaksForTheOther() {
        // Signed by the primary issuer's key but claiming the service-account issuer.
        expect401(TestTokens.serviceAccount("keyline", "rotation-service").signedWithPrimaryKey().bearer());
        // Signed by the service-account issuer's key but claiming the primary issuer, with groups.
        expect401(TestTokens.mint("mallory", Permissions.READ, Permissions.MANAGE).signedWithServiceAccountKey().bearer());
        // A third issuer: refused whatever signs it.
        expect401(TestTokens.mint("mallory", Permissions.READ).issuer("https://elsewhere.example").bearer());
        expect401(TestTokens.serviceAccount("keyline", "rotation-service").issuer("https://elsewhere.example").bearer());
    }

    private void expect401(String bearer) {
        given().header("Authorization", bearer).when().get(one).then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("urn:keyline:problem:unauthenticated"));
    }
}
