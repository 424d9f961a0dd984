package dev.keyline.emulators.snowflake;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;

/**
 * Checks the key-pair login JWT as Snowflake does, with JDK crypto only: RS256 header; {@code sub}
 * = ACCOUNT.USER; {@code iss} = ACCOUNT.USER.SHA256:&lt;fingerprint&gt;; the fingerprint names one
 * of the user's two key slots and the SHA256withRSA signature verifies with that key; {@code
 * iat}/{@code exp} describe a lifetime of at most {@code maxLifetime} that covers now, give or
 * take {@code skew}.
 *
 * <p>ACCOUNT is the request's ACCOUNT_NAME cut at the first '.', upper-cased; USER the request's
 * LOGIN_NAME upper-cased (the driver builds the claims the same way).
 */
final class JwtVerifier {

  /** Why a JWT was refused; the client only ever sees "JWT token is invalid". */
  static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    final String fingerprint;

    Rejected(String reason, String fingerprint) {
      super(reason, null, false, false);
      this.fingerprint = fingerprint;
    }
  }

  /** The user the JWT proves, and with which slot. */
  record Verified(Account account, User user, int slot, String fingerprint) {}

  private final Duration maxLifetime;
  private final Duration skew;

  JwtVerifier(Duration maxLifetime, Duration skew) {
    this.maxLifetime = maxLifetime;
    this.skew = skew;
  }

  static String accountPart(String accountName) {
    int dot = accountName.indexOf('.');
    return Identifiers.upper(dot < 0 ? accountName : accountName.substring(0, dot));
  }

  Verified verify(
      String jwt, String accountName, String loginName, Map<String, Account> accounts, Instant now)
      throws Rejected {
    if (accountName == null || accountName.isBlank()) {
      throw new Rejected("the request has no ACCOUNT_NAME", null);
    }
    if (loginName == null || loginName.isBlank()) {
      throw new Rejected("the request has no LOGIN_NAME", null);
    }
    if (jwt == null || jwt.isBlank()) {
      throw new Rejected("the request has no TOKEN", null);
    }
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new Rejected("the token is not a signed JWT (three non-empty parts)", null);
    }
    JsonNode header = decodeJson(parts[0], "header");
    if (!"RS256".equals(header.path("alg").asText(null))) {
      throw new Rejected("header alg is " + header.path("alg") + ", not RS256", null);
    }
    if (header.has("crit")) {
      throw new Rejected("header has unsupported crit parameters", null);
    }
    JsonNode claims = decodeJson(parts[1], "claims");

    String account = accountPart(accountName.trim());
    String user = Identifiers.upper(loginName.trim());
    String expectedSub = account + "." + user;
    String sub = claims.path("sub").isTextual() ? claims.path("sub").asText() : null;
    String iss = claims.path("iss").isTextual() ? claims.path("iss").asText() : null;
    String fingerprint =
        iss != null && iss.startsWith(expectedSub + ".") ? iss.substring(expectedSub.length() + 1) : null;
    if (!expectedSub.equals(sub)) {
      throw new Rejected("sub is '" + sub + "', expected '" + expectedSub + "'", fingerprint);
    }
    if (fingerprint == null || !fingerprint.startsWith("SHA256:")) {
      throw new Rejected(
          "iss is '" + iss + "', expected '" + expectedSub + ".SHA256:<fingerprint>'", fingerprint);
    }

    checkTimes(claims, now, fingerprint);

    Account found = accounts.get(account);
    if (found == null) {
      throw new Rejected("account " + account + " does not exist", fingerprint);
    }
    User target = found.userByLoginName(user);
    if (target == null) {
      throw new Rejected("no user with login name " + user + " in account " + account, fingerprint);
    }
    int slot = 0;
    for (int i = 0; i < 2; i++) {
      if (target.slots[i] != null && target.slots[i].fingerprint().equals(fingerprint)) {
        slot = i + 1;
        break;
      }
    }
    if (slot == 0) {
      throw new Rejected(
          "fingerprint "
              + fingerprint
              + " matches neither RSA_PUBLIC_KEY nor RSA_PUBLIC_KEY_2 of "
              + target.name,
          fingerprint);
    }
    if (!signatureVerifies(parts, target.slots[slot - 1])) {
      throw new Rejected("the signature does not verify with key slot " + slot, fingerprint);
    }
    return new Verified(found, target, slot, fingerprint);
  }

  private void checkTimes(JsonNode claims, Instant now, String fingerprint) throws Rejected {
    JsonNode iatNode = claims.path("iat");
    JsonNode expNode = claims.path("exp");
    if (!iatNode.canConvertToLong() || !iatNode.isIntegralNumber()) {
      throw new Rejected("iat is missing or not an integer", fingerprint);
    }
    if (!expNode.canConvertToLong() || !expNode.isIntegralNumber()) {
      throw new Rejected("exp is missing or not an integer", fingerprint);
    }
    long iat = iatNode.asLong();
    long exp = expNode.asLong();
    long nowSeconds = now.getEpochSecond();
    if (exp <= iat) {
      throw new Rejected("exp " + exp + " is not after iat " + iat, fingerprint);
    }
    if (exp - iat > maxLifetime.toSeconds()) {
      throw new Rejected(
          "lifetime exp - iat = " + (exp - iat) + " s exceeds " + maxLifetime.toSeconds() + " s",
          fingerprint);
    }
    if (iat > nowSeconds + skew.toSeconds()) {
      throw new Rejected("iat " + iat + " is in the future (now " + nowSeconds + ")", fingerprint);
    }
    if (exp < nowSeconds - skew.toSeconds()) {
      throw new Rejected("the token expired at " + exp + " (now " + nowSeconds + ")", fingerprint);
    }
  }

  private static boolean signatureVerifies(String[] parts, KeySlot slot) throws Rejected {
    byte[] signature;
    try {
      signature = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new Rejected("the signature is not base64url", slot.fingerprint());
    }
    try {
      Signature verifier = Signature.getInstance("SHA256withRSA");
      verifier.initVerify(slot.key());
      verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static JsonNode decodeJson(String part, String what) throws Rejected {
    try {
      JsonNode node = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(part));
      if (node == null || !node.isObject()) {
        throw new Rejected("the " + what + " is not a JSON object", null);
      }
      return node;
    } catch (IllegalArgumentException | IOException e) {
      throw new Rejected("the " + what + " is not base64url JSON", null);
    }
  }
}
