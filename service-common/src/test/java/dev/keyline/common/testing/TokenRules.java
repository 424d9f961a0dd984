package dev.keyline.common.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What every service accepts as a bearer token, checked against the running service under test
 * through its audit endpoint (every service has one, readable with its {@code keyline.permissions.read}):
 * only tokens whose {@code aud} names this service, issued at most {@code mp.jwt.verify.token.age}
 * seconds ago, not expired; and no endpoint is open because somebody forgot its annotation.
 */
public final class TokenRules {

    /** The three services; each accepts only tokens for its own name. */
    public static final List<String> SERVICES = List.of("certificate-service", "connection-service", "rotation-service");
    private static final String AUDIT = "/api/v1/audit-events";

    private TokenRules() {
    }

    private static String readPermission() {
        return ConfigProvider.getConfig().getValue("keyline.permissions.read", String.class);
    }

    /** The service's own audience is accepted (so the refusals below are about the token alone). */
    public static void ownAudienceIsAccepted() {
        given().header("Authorization", TestTokens.mint("tia", readPermission()).bearer()).when().get(AUDIT)
                .then().statusCode(200);
    }

    /** A token for any other service, or for none, is 401 here, even though it holds the right permission. */
    public static void otherAudiencesAre401() {
        String own = TestTokens.defaultAudience().get(0);
        for (String other : SERVICES) {
            if (other.equals(own)) {
                continue;
            }
            expect401(TestTokens.mint("tia", readPermission()).audience(other).bearer());
        }
        expect401(TestTokens.mint("tia", readPermission()).audience().bearer());
        expect401(TestTokens.mint("tia", readPermission()).audience("keyline").bearer());
    }

    /** Issued longer ago than the maximum age: 401, though {@code exp} is still in the future. */
    public static void tokensOlderThanTheMaxAgeAre401() {
        long maxAge = ConfigProvider.getConfig().getValue("mp.jwt.verify.token.age", Long.class);
        Instant now = Instant.now();
        expect401(TestTokens.mint("tia", readPermission()).issuedAt(now.minusSeconds(maxAge + 120))
                .expiresAt(now.plus(Duration.ofHours(1))).bearer());
        // A little younger than the limit is still fine: the limit is the configured age, not less.
        given().header("Authorization", TestTokens.mint("tia", readPermission()).issuedAt(now.minusSeconds(maxAge - 120))
                .expiresAt(now.plus(Duration.ofHours(1))).bearer()).when().get(AUDIT).then().statusCode(200);
        // Issued "in the future": the age would be negative and the maximum age void (a token dated a year
        // ahead was good for a year). Beyond the clock skew it is 401; a clock a few seconds ahead is fine.
        for (Duration ahead : new Duration[] { Duration.ofHours(1), Duration.ofDays(365) }) {
            expect401(TestTokens.mint("tia", readPermission()).issuedAt(now.plus(ahead))
                    .expiresAt(now.plus(ahead).plus(Duration.ofHours(1))).bearer());
        }
        given().header("Authorization", TestTokens.mint("tia", readPermission()).issuedAt(now.plusSeconds(5))
                .expiresAt(now.plus(Duration.ofHours(1))).bearer()).when().get(AUDIT).then().statusCode(200);
    }

    /** Expired: 401. */
    public static void expiredTokensAre401() {
        Instant now = Instant.now();
        expect401(TestTokens.mint("tia", readPermission()).issuedAt(now.minusSeconds(600)).expiresAt(now.minusSeconds(300))
                .bearer());
    }

    /** An empty or blank {@code sub} (and {@code upn}) names nobody: 401 like a token without {@code sub}. */
    public static void emptySubjectsAre401() {
        expect401(TestTokens.mint("", readPermission()).bearer());
        expect401(TestTokens.mint(" ", readPermission()).bearer());
    }

    /** {@link UnannotatedResource}: 401 without a token, 403 with any valid one. */
    public static void unannotatedEndpointsAreDenied() {
        given().when().get(UnannotatedResource.PATH).then().statusCode(401);
        given().header("Authorization", TestTokens.mint("tia", readPermission(), "certificates:manage",
                "connections:manage", "rotations:manage").bearer()).when().get(UnannotatedResource.PATH).then()
                .statusCode(403);
    }

    private static void expect401(String bearer) {
        given().header("Authorization", bearer).when().get(AUDIT).then().statusCode(401)
                .contentType("application/problem+json").body("type", equalTo("urn:keyline:problem:unauthenticated"));
    }
}
