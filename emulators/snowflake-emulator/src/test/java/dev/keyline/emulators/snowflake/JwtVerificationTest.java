package dev.keyline.emulators.snowflake;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyline.keys.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Login JWTs crafted by hand against the HTTP endpoint: what the driver never sends must fail like
 * Snowflake fails it (HTTP 200, code 390144, "JWT token is invalid. [uuid]").
 */
class JwtVerificationTest {

  private static final KeyPair SLOT1 = TestDriver.key("jwt-slot1");
  private static final KeyPair SLOT2 = TestDriver.key("jwt-slot2");
  private static SnowflakeEmulator snowflake;
  private static RawClient client;

  @BeforeAll
  static void start() {
    snowflake = SnowflakeEmulator.start();
    snowflake.account("JWT_ACME").user("SVC").rsaPublicKey(SLOT1.getPublic()).rsaPublicKey2(SLOT2.getPublic());
    client = new RawClient(snowflake.url());
  }

  @AfterAll
  static void stop() {
    snowflake.close();
  }

  private static long now() {
    return Instant.now().getEpochSecond();
  }

  private static void assertRejected(RawClient.Reply reply, String reason) {
    assertThat(reply.status()).isEqualTo(200);
    JsonNode body = reply.body();
    assertThat(body.path("success").asBoolean()).isFalse();
    assertThat(body.path("code").asText()).isEqualTo("390144");
    assertThat(body.path("message").asText())
        .matches("JWT token is invalid\\. \\[[0-9a-f-]{36}\\]");
    assertThat(body.path("data").isNull()).isTrue();
    List<LoginAttempt> logins = snowflake.logins();
    assertThat(logins.getLast().succeeded()).isFalse();
    assertThat(logins.getLast().reason()).contains(reason);
  }

  @Test
  void aJwtBuiltLikeTheDriversIsAcceptedWithEitherSlot() {
    for (KeyPair key : List.of(SLOT1, SLOT2)) {
      RawClient.Reply reply = client.login("jwt_acme", "svc", RawClient.jwt("JWT_ACME", "SVC", key));

      JsonNode data = reply.body().path("data");
      assertThat(reply.body().path("success").asBoolean()).isTrue();
      assertThat(data.path("token").asText()).isNotBlank();
      assertThat(data.path("masterToken").asText()).isNotBlank();
      assertThat(data.path("sessionId").asLong()).isPositive();
      assertThat(data.path("parameters").toString()).contains("{\"name\":\"AUTOCOMMIT\",\"value\":true}");
      assertThat(data.path("sessionInfo").path("roleName").asText()).isEqualTo("PUBLIC");
    }
  }

  private static RawClient.Reply loginAt(long iat, long exp) {
    return client.login("JWT_ACME", "SVC", RawClient.jwt("JWT_ACME", "SVC", SLOT1.getPublic(), SLOT1.getPrivate(), iat, exp));
  }

  private static void assertAccepted(RawClient.Reply reply) {
    assertThat(reply.body().path("success").asBoolean())
        .as("login refused: %s", snowflake.logins().getLast().reason())
        .isTrue();
  }

  /** Snowflake: "The JWT is valid for at most one hour after the token is issued, even if you specify a longer expiration time." */
  @Test
  void anExpLaterThanOneHourIsNotAnErrorButTheIssueTimeStillCounts() {
    long iat = now();
    assertAccepted(loginAt(iat, iat + 7200));
    // the same long exp on a JWT issued 61 s ago: refused for its issue time
    assertRejected(loginAt(now() - 61, now() + 7200), "JWT_TOKEN_INVALID_ISSUE_TIME");
  }

  /** Snowflake refuses a JWT "received by Snowflake more than 60 seconds after the issue time". */
  @Test
  void aJwtReceivedMoreThanSixtySecondsAfterItsIatIsRejected() {
    long iat = now() - 200;
    assertRejected(loginAt(iat, iat + 3600), "JWT_TOKEN_INVALID_ISSUE_TIME");
    assertRejected(loginAt(now() - 90, now() + 30), "JWT_TOKEN_INVALID_ISSUE_TIME");
  }

  @Test
  void anIatInTheFutureBeyondTheToleranceIsRejected() {
    long iat = now() + 200;
    assertRejected(loginAt(iat, iat + 60), "in the future");
  }

  @Test
  void anExpiredJwtIsRejectedEvenWithinTheIssueTimeWindow() {
    long iat = now() - 30;
    assertRejected(loginAt(iat, now() - 2), "JWT_TOKEN_INVALID_EXPIRATION_TIME");
  }

  @Test
  void clocksThirtySecondsApartAreAccepted() {
    long behind = now() - 30; // the client's clock 30 s behind ours, the JDBC driver's 60 s lifetime
    assertAccepted(loginAt(behind, behind + 60));
    long ahead = now() + 30;
    assertAccepted(loginAt(ahead, ahead + 60));
  }

  /** Snowflake takes iat/exp "as either seconds or milliseconds"; the Node.js driver sends milliseconds, 120 s apart. */
  @Test
  void millisecondTimesAsTheNodeDriverSendsThemAreAcceptedAndCheckedTheSameWay() {
    long nowMs = Instant.now().toEpochMilli();
    String sub = "JWT_ACME.SVC";
    String claims =
        "{\"iss\":\"" + sub + "." + Fingerprints.spkiSha256(SLOT1.getPublic()) + "\",\"sub\":\"" + sub
            + "\",\"iat\":" + nowMs + ",\"exp\":" + (nowMs + 120_000) + "}";
    assertAccepted(client.login("JWT_ACME", "SVC", RawClient.sign("{\"alg\":\"RS256\",\"typ\":\"JWT\"}", claims, SLOT1.getPrivate())));

    assertRejected(loginAt(nowMs - 61_000, nowMs + 59_000), "JWT_TOKEN_INVALID_ISSUE_TIME");
    assertRejected(loginAt(nowMs - 30_000, nowMs - 2_000), "JWT_TOKEN_INVALID_EXPIRATION_TIME");
    assertRejected(loginAt(nowMs + 200_000, nowMs + 260_000), "in the future");
  }

  @Test
  void missingOrNonIntegerTimesAreRejected() {
    long iat = now();
    String sub = "JWT_ACME.SVC";
    String iss = sub + "." + Fingerprints.spkiSha256(SLOT1.getPublic());
    String noIat = "{\"iss\":\"" + iss + "\",\"sub\":\"" + sub + "\",\"exp\":" + (iat + 60) + "}";
    assertRejected(
        client.login("JWT_ACME", "SVC", RawClient.sign("{\"alg\":\"RS256\"}", noIat, SLOT1.getPrivate())),
        "JWT_TOKEN_MISSING_ISSUE_OR_EXPIRATION_TIME");
    String textExp = "{\"iss\":\"" + iss + "\",\"sub\":\"" + sub + "\",\"iat\":" + iat + ",\"exp\":\"" + (iat + 60) + "\"}";
    assertRejected(
        client.login("JWT_ACME", "SVC", RawClient.sign("{\"alg\":\"RS256\"}", textExp, SLOT1.getPrivate())),
        "not a positive integer");
    String fractionalIat = "{\"iss\":\"" + iss + "\",\"sub\":\"" + sub + "\",\"iat\":" + iat + ".5,\"exp\":" + (iat + 60) + "}";
    assertRejected(
        client.login("JWT_ACME", "SVC", RawClient.sign("{\"alg\":\"RS256\"}", fractionalIat, SLOT1.getPrivate())),
        "not a positive integer");
  }

  @Test
  void accountAndUserFormsFollowTheDrivers() {
    // the region part of the account name is dropped (JDBC, Python and Node.js drivers alike)
    assertAccepted(client.login("jwt_acme.us-east-1", "svc", RawClient.jwt("JWT_ACME", "SVC", SLOT1)));
    // Snowflake: "The account_identifier and user values must use all uppercase characters."
    assertRejected(client.login("JWT_ACME", "SVC", RawClient.jwt("jwt_acme", "svc", SLOT1)), "sub is");
    // a JWT for another account
    assertRejected(client.login("JWT_ACME", "SVC", RawClient.jwt("OTHER_ACME", "SVC", SLOT1)), "JWT_TOKEN_ACCOUNT_MISMATCH");
    // a login name the account does not have
    assertRejected(client.login("JWT_ACME", "NOBODY", RawClient.jwt("JWT_ACME", "NOBODY", SLOT1)), "JWT_TOKEN_INVALID_USER_IN_ISSUER");
  }

  @Test
  void aTamperedSignatureOrPayloadIsRejected() {
    String good = RawClient.jwt("JWT_ACME", "SVC", SLOT1);
    String[] parts = good.split("\\.");
    byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
    signature[10] ^= 0x01;
    String badSignature =
        parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(signature);
    assertRejected(client.login("JWT_ACME", "SVC", badSignature), "signature does not verify");

    String claims = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
    String longer = claims.replaceAll("\"exp\":(\\d+)", "\"exp\":$1" + "0");
    assertRejected(
        client.login("JWT_ACME", "SVC", parts[0] + "." + RawClient.b64(longer) + "." + parts[2]),
        "JWT_TOKEN_INVALID_SIGNATURE");
    // otherwise valid claims (5 s earlier) under the original signature
    long iat = Long.parseLong(claims.replaceAll(".*\"iat\":(\\d+).*", "$1"));
    String shifted =
        claims.replace("\"iat\":" + iat, "\"iat\":" + (iat - 5)).replace("\"exp\":" + (iat + 60), "\"exp\":" + (iat + 55));
    assertRejected(
        client.login("JWT_ACME", "SVC", parts[0] + "." + RawClient.b64(shifted) + "." + parts[2]),
        "signature does not verify");
  }

  @Test
  void theFingerprintMustNameTheKeyThatSigned() {
    long iat = now();
    // names slot 2 but is signed with slot 1's key
    assertRejected(
        client.login("JWT_ACME", "SVC", RawClient.jwt("JWT_ACME", "SVC", SLOT2.getPublic(), SLOT1.getPrivate(), iat, iat + 60)),
        "JWT_TOKEN_INVALID_SIGNATURE");
    // a key in neither slot, correctly signed and named
    assertRejected(
        client.login("JWT_ACME", "SVC", RawClient.jwt("JWT_ACME", "SVC", TestDriver.key("jwt-stranger"))),
        "JWT_TOKEN_INVALID_PUBLIC_KEY_FINGERPRINT_MISMATCH");
  }

  @Test
  void otherAlgorithmsAndMismatchedClaimsAreRejected() {
    long iat = now();
    String sub = "JWT_ACME.SVC";
    String claims =
        "{\"iss\":\"" + sub + "." + Fingerprints.spkiSha256(SLOT1.getPublic()) + "\",\"sub\":\"" + sub
            + "\",\"iat\":" + iat + ",\"exp\":" + (iat + 60) + "}";
    assertRejected(client.login("JWT_ACME", "SVC", RawClient.sign("{\"alg\":\"RS384\"}", claims, SLOT1.getPrivate())), "JWT_TOKEN_INVALID_ALGORITHM");
    assertRejected(client.login("JWT_ACME", "SVC", RawClient.b64("{\"alg\":\"none\"}") + "." + RawClient.b64(claims) + "."), "three");
    assertRejected(
        client.login("JWT_ACME", "SVC", RawClient.sign("{\"alg\":\"RS256\",\"crit\":[\"exp\"]}", claims, SLOT1.getPrivate())),
        "crit");
    // a JWT for SVC presented as another login name
    assertRejected(client.login("JWT_ACME", "OTHER", RawClient.jwt("JWT_ACME", "SVC", SLOT1)), "sub is");
    // iss without the fingerprint
    assertRejected(
        client.login("JWT_ACME", "SVC",
            RawClient.sign("{\"alg\":\"RS256\"}", claims.replace("." + Fingerprints.spkiSha256(SLOT1.getPublic()), ""), SLOT1.getPrivate())),
        "iss is");
    assertRejected(client.login("JWT_ACME", "SVC", "not-a-jwt"), "three");
  }

  @Test
  void otherAuthenticatorsAreRefusedLikeAWrongPassword() {
    String body = "{\"data\":{\"ACCOUNT_NAME\":\"JWT_ACME\",\"LOGIN_NAME\":\"SVC\",\"PASSWORD\":\"secret\"}}";
    RawClient.Reply reply = client.post("/session/v1/login-request", body.getBytes(StandardCharsets.UTF_8), null, false);

    assertThat(reply.body().path("code").asText()).isEqualTo("390100");
    assertThat(reply.body().path("success").asBoolean()).isFalse();
  }

  @Test
  void queriesNeedALiveSessionTokenAndAcceptGzipBodies() {
    JsonNode login = client.login("JWT_ACME", "SVC", RawClient.jwt("JWT_ACME", "SVC", SLOT1)).body().path("data");
    String token = login.path("token").asText();

    JsonNode ok = client.query(token, "SELECT CURRENT_USER()").body();
    assertThat(ok.path("success").asBoolean()).isTrue();
    assertThat(ok.path("data").path("rowset").toString()).isEqualTo("[[\"SVC\"]]");
    assertThat(ok.path("data").path("statementTypeId").asLong()).isEqualTo(4096);
    assertThat(client.query(token, "DESC USER svc").body().path("data").path("statementTypeId").asLong())
        .isEqualTo(17664);
    assertThat(client.query(token, "SHOW DATABASES").body().path("data").path("statementTypeId").asLong())
        .isEqualTo(17408);

    JsonNode unknown = client.query("forged", "SELECT 1").body();
    assertThat(unknown.path("code").asText()).isEqualTo("390111");

    snowflake.expireSessionTokens();
    JsonNode expired = client.query(token, "SELECT 1").body();
    assertThat(expired.path("code").asText()).isEqualTo("390112");

    String renewBody = "{\"oldSessionToken\":\"" + token + "\",\"requestType\":\"RENEW\"}";
    JsonNode renewed =
        client.post("/session/token-request", renewBody.getBytes(StandardCharsets.UTF_8), login.path("masterToken").asText(), false)
            .body();
    String newToken = renewed.path("data").path("sessionToken").asText();
    assertThat(renewed.path("data").path("masterToken").asText()).isEqualTo(login.path("masterToken").asText());
    assertThat(client.query(newToken, "SELECT 1").body().path("success").asBoolean()).isTrue();
    // the old token stays expired; the master token does not work as a session token
    assertThat(client.query(token, "SELECT 1").body().path("code").asText()).isEqualTo("390112");
    assertThat(client.query(login.path("masterToken").asText(), "SELECT 1").body().path("code").asText())
        .isEqualTo("390111");
    // a session token does not renew
    assertThat(
            client.post("/session/token-request", renewBody.getBytes(StandardCharsets.UTF_8), newToken, false)
                .body().path("success").asBoolean())
        .isFalse();
  }

  @Test
  void injected503sHitTheNextRequestsOnly() {
    snowflake.failNextRequests(2);
    String jwt = RawClient.jwt("JWT_ACME", "SVC", SLOT1);

    assertThat(client.login("JWT_ACME", "SVC", jwt).status()).isEqualTo(503);
    assertThat(client.send("GET", "/__admin/state", null).status()).isEqualTo(200);
    assertThat(client.login("JWT_ACME", "SVC", jwt).status()).isEqualTo(503);
    assertThat(client.login("JWT_ACME", "SVC", jwt).body().path("success").asBoolean()).isTrue();
  }
}
