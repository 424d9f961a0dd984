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

  @Test
  void aLifetimeLongerThanSixtySecondsIsRejected() {
    long iat = now();
    assertRejected(
        client.login("JWT_ACME", "SVC", RawClient.jwt("JWT_ACME", "SVC", SLOT1.getPublic(), SLOT1.getPrivate(), iat, iat + 3600)),
        "lifetime");
  }

  @Test
  void anIatInThePastBeyondTheSkewIsRejected() {
    long iat = now() - 200;
    assertRejected(
        client.login("JWT_ACME", "SVC", RawClient.jwt("JWT_ACME", "SVC", SLOT1.getPublic(), SLOT1.getPrivate(), iat, iat + 60)),
        "expired");
  }

  @Test
  void anIatInTheFutureBeyondTheSkewIsRejected() {
    long iat = now() + 200;
    assertRejected(
        client.login("JWT_ACME", "SVC", RawClient.jwt("JWT_ACME", "SVC", SLOT1.getPublic(), SLOT1.getPrivate(), iat, iat + 60)),
        "in the future");
  }

  @Test
  void clocksWithinTheSkewAreAccepted() {
    long late = now() - 90; // expired 30 s ago: within the 60 s skew
    assertThat(
            client.login("JWT_ACME", "SVC", RawClient.jwt("JWT_ACME", "SVC", SLOT1.getPublic(), SLOT1.getPrivate(), late, late + 60))
                .body().path("success").asBoolean())
        .isTrue();
    long early = now() + 30;
    assertThat(
            client.login("JWT_ACME", "SVC", RawClient.jwt("JWT_ACME", "SVC", SLOT1.getPublic(), SLOT1.getPrivate(), early, early + 60))
                .body().path("success").asBoolean())
        .isTrue();
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
        client.login("JWT_ACME", "SVC", parts[0] + "." + RawClient.b64(longer) + "." + parts[2]), "lifetime");
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
        "signature does not verify");
  }

  @Test
  void otherAlgorithmsAndMismatchedClaimsAreRejected() {
    long iat = now();
    String sub = "JWT_ACME.SVC";
    String claims =
        "{\"iss\":\"" + sub + "." + Fingerprints.spkiSha256(SLOT1.getPublic()) + "\",\"sub\":\"" + sub
            + "\",\"iat\":" + iat + ",\"exp\":" + (iat + 60) + "}";
    assertRejected(client.login("JWT_ACME", "SVC", RawClient.sign("{\"alg\":\"RS384\"}", claims, SLOT1.getPrivate())), "alg");
    assertRejected(client.login("JWT_ACME", "SVC", RawClient.b64("{\"alg\":\"none\"}") + "." + RawClient.b64(claims) + "."), "three");
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
