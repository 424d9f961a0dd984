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
 * Checks the key-pair login JWT as Snowflake documents it, with JDK crypto only. Each refusal
 * names the reason Snowflake's {@code SYSTEM$GET_LOGIN_FAILURE_DETAILS} would give (e.g. {@code
 * JWT_TOKEN_INVALID_ISSUE_TIME}); the client only ever sees 390144 "JWT token is invalid".
 *
 * <ul>
 *   <li>RS256 header ({@code typ} is not looked at: the JDBC driver sends none, Node.js and Python
 *       send "JWT");
 *   <li>{@code sub} = ACCOUNT.USER and {@code iss} = ACCOUNT.USER.SHA256:&lt;fingerprint&gt;, both
 *       upper-case; ACCOUNT is the request's ACCOUNT_NAME cut at the first '.' (the region part
 *       drivers drop), USER the request's LOGIN_NAME;
 *   <li>{@code iat} and {@code exp} present, integers, each in seconds or in milliseconds (Snowflake
 *       takes both: the JDBC and Python drivers send seconds, the Node.js driver milliseconds);
 *   <li>received at most 60 s after {@code iat} (Snowflake's documented limit), and {@code iat} at
 *       most 60 s ahead of our clock (not documented: tolerance for a client clock running ahead);
 *   <li>not expired: now is before {@code exp} and before {@code iat} + 1 h, the longest validity
 *       Snowflake grants "even if you specify a longer expiration time" (so a longer {@code exp} is
 *       not an error);
 *   <li>the fingerprint names one of the user's two key slots and the SHA256withRSA signature
 *       verifies with that key.
 * </ul>
 */
final class JwtVerifier {

  /** A JWT received later than this after its iat is refused (JWT_TOKEN_INVALID_ISSUE_TIME). */
  static final Duration ISSUE_TIME_WINDOW = Duration.ofSeconds(60);

  /**
   * How far ahead of ours the client's clock may be. Snowflake documents no limit; without one a
   * JWT issued for the future would be accepted for as long as its issuer wished.
   */
  static final Duration CLOCK_AHEAD_TOLERANCE = Duration.ofSeconds(60);

  /** The longest validity of a JWT after its iat, whatever its exp says. */
  static final Duration MAX_VALIDITY = Duration.ofHours(1);

  /**
   * iat/exp values at or above this are milliseconds: as seconds they would lie past the year
   * 5000, as milliseconds they lie after March 1973.
   */
  static final long MILLISECONDS_FROM = 100_000_000_000L;

  /** Snowflake's name for a JWT failure that has no more specific one. */
  private static final String INVALID = "JWT_TOKEN_INVALID";

  /** Why a JWT was refused; the client only ever sees "JWT token is invalid". */
  static final class Rejected extends Exception {
    private static final long serialVersionUID = 1L;
    final String fingerprint;

    /**
     * @param error Snowflake's name for the failure (SYSTEM$GET_LOGIN_FAILURE_DETAILS errorCode)
     */
    Rejected(String error, String reason, String fingerprint) {
      super(error + ": " + reason, null, false, false);
      this.fingerprint = fingerprint;
    }
  }

  /** The user the JWT proves, and with which slot. */
  record Verified(Account account, User user, int slot, String fingerprint) {}

  static String accountPart(String accountName) {
    int dot = accountName.indexOf('.');
    return Identifiers.upper(dot < 0 ? accountName : accountName.substring(0, dot));
  }

  Verified verify(
      String jwt, String accountName, String loginName, Map<String, Account> accounts, Instant now)
      throws Rejected {
    if (accountName == null || accountName.isBlank()) {
      throw new Rejected(INVALID, "the request has no ACCOUNT_NAME", null);
    }
    if (loginName == null || loginName.isBlank()) {
      throw new Rejected(INVALID, "the request has no LOGIN_NAME", null);
    }
    if (jwt == null || jwt.isBlank()) {
      throw new Rejected(INVALID, "the request has no TOKEN", null);
    }
    String[] parts = jwt.split("\\.", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new Rejected(INVALID, "the token is not a signed JWT (three non-empty parts)", null);
    }
    JsonNode header = decodeJson(parts[0], "header");
    if (!"RS256".equals(header.path("alg").asText(null))) {
      throw new Rejected(
          "JWT_TOKEN_INVALID_ALGORITHM", "header alg is " + header.path("alg") + ", not RS256", null);
    }
    if (header.has("crit")) {
      // RFC 7515 4.1.11: a recipient that does not understand a crit extension must reject.
      throw new Rejected(INVALID, "header has unsupported crit parameters", null);
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
      String error = sub != null && !sub.startsWith(account + ".") ? "JWT_TOKEN_ACCOUNT_MISMATCH" : INVALID;
      throw new Rejected(error, "sub is '" + sub + "', expected '" + expectedSub + "'", fingerprint);
    }
    if (fingerprint == null || !fingerprint.startsWith("SHA256:")) {
      throw new Rejected(
          INVALID,
          "iss is '" + iss + "', expected '" + expectedSub + ".SHA256:<fingerprint>'",
          fingerprint);
    }

    checkTimes(claims, now, fingerprint);

    Account found = accounts.get(account);
    if (found == null) {
      throw new Rejected(INVALID, "account " + account + " does not exist", fingerprint);
    }
    User target = found.userByLoginName(user);
    if (target == null) {
      throw new Rejected(
          "JWT_TOKEN_INVALID_USER_IN_ISSUER",
          "no user with login name " + user + " in account " + account,
          fingerprint);
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
          "JWT_TOKEN_INVALID_PUBLIC_KEY_FINGERPRINT_MISMATCH",
          "fingerprint "
              + fingerprint
              + " matches neither RSA_PUBLIC_KEY nor RSA_PUBLIC_KEY_2 of "
              + target.name,
          fingerprint);
    }
    if (!signatureVerifies(parts, target.slots[slot - 1])) {
      throw new Rejected(
          "JWT_TOKEN_INVALID_SIGNATURE",
          "the signature does not verify with key slot " + slot,
          fingerprint);
    }
    return new Verified(found, target, slot, fingerprint);
  }

  private static void checkTimes(JsonNode claims, Instant now, String fingerprint) throws Rejected {
    Instant iat = epoch(claims.path("iat"), "iat", fingerprint);
    Instant exp = epoch(claims.path("exp"), "exp", fingerprint);
    if (!exp.isAfter(iat)) {
      // Not documented; no driver sends it, and an exp before iat describes no validity at all.
      throw new Rejected(INVALID, "exp " + exp + " is not after iat " + iat, fingerprint);
    }
    if (now.isAfter(iat.plus(ISSUE_TIME_WINDOW))) {
      throw new Rejected(
          "JWT_TOKEN_INVALID_ISSUE_TIME",
          "received more than " + ISSUE_TIME_WINDOW.toSeconds() + " s after iat " + iat + " (now " + now + ")",
          fingerprint);
    }
    if (iat.isAfter(now.plus(CLOCK_AHEAD_TOLERANCE))) {
      throw new Rejected(
          "JWT_TOKEN_INVALID_ISSUE_TIME", "iat " + iat + " is in the future (now " + now + ")", fingerprint);
    }
    Instant validUntil = exp.isBefore(iat.plus(MAX_VALIDITY)) ? exp : iat.plus(MAX_VALIDITY);
    if (!now.isBefore(validUntil)) {
      throw new Rejected(
          "JWT_TOKEN_INVALID_EXPIRATION_TIME",
          "the token expired at " + validUntil + " (now " + now + ")",
          fingerprint);
    }
  }

  /** An iat/exp claim: an integer of seconds or of milliseconds since the epoch. */
  private static Instant epoch(JsonNode node, String claim, String fingerprint) throws Rejected {
    if (node.isMissingNode() || node.isNull()) {
      throw new Rejected("JWT_TOKEN_MISSING_ISSUE_OR_EXPIRATION_TIME", claim + " is missing", fingerprint);
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() <= 0) {
      // Not documented; every driver sends a positive integer.
      throw new Rejected(INVALID, claim + " is " + node + ", not a positive integer", fingerprint);
    }
    long value = node.asLong();
    return value >= MILLISECONDS_FROM ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
  }

  private static boolean signatureVerifies(String[] parts, KeySlot slot) throws Rejected {
    byte[] signature;
    try {
      signature = Base64.getUrlDecoder().decode(parts[2]);
    } catch (IllegalArgumentException e) {
      throw new Rejected("JWT_TOKEN_INVALID_SIGNATURE", "the signature is not base64url", slot.fingerprint());
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
        throw new Rejected(INVALID, "the " + what + " is not a JSON object", null);
      }
      return node;
    } catch (IllegalArgumentException | IOException e) {
      throw new Rejected(INVALID, "the " + what + " is not base64url JSON", null);
    }
  }
}
