package dev.keyline.emulators.vault;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tokens the emulator accepts: the root token given at start and tokens issued by logins,
 * with their expiry.
 *
 * <p>Why track expiry: a service that forgets to renew or re-login must fail against the emulator
 * the way it would against Vault, with a 403 once its token has expired.
 */
final class TokenRegistry {

  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  /**
   * A token and what lookup-self reports about it.
   *
   * @param ttl zero for a token that never expires (the root token)
   * @param expiresAt {@code null} when {@code ttl} is zero
   */
  record Token(
      String id,
      String accessor,
      List<String> policies,
      String path,
      String displayName,
      Instant issuedAt,
      Duration ttl,
      Instant expiresAt,
      Map<String, String> meta,
      String entityId) {

    boolean renewable() {
      return !ttl.isZero();
    }

    /** The root token: no ACL applies to it. */
    boolean root() {
      return policies.contains("root");
    }
  }

  private final Map<String, Token> tokens = new ConcurrentHashMap<>();

  TokenRegistry(String rootToken) {
    tokens.put(
        rootToken,
        new Token(
            rootToken,
            randomId(24),
            List.of("root"),
            "auth/token/root",
            "root",
            Instant.now(),
            Duration.ZERO,
            null,
            null,
            ""));
  }

  /** A fresh token in the format Vault 1.10+ issues ({@code hvs.} and 24 base62 characters). */
  static String newTokenId() {
    return "hvs." + randomId(24);
  }

  /** The live token, or {@code null} when unknown, empty or expired. */
  Token lookup(String id) {
    if (id == null || id.isEmpty()) {
      return null;
    }
    Token token = tokens.get(id);
    if (token == null) {
      return null;
    }
    if (token.expiresAt() != null && !token.expiresAt().isAfter(Instant.now())) {
      tokens.remove(id, token);
      return null;
    }
    return token;
  }

  Token issue(
      List<String> policies, String path, String displayName, Duration ttl, Map<String, String> meta) {
    Instant now = Instant.now();
    Token token =
        new Token(
            newTokenId(),
            randomId(24),
            List.copyOf(policies),
            path,
            displayName,
            now,
            ttl,
            ttl.isZero() ? null : now.plus(ttl),
            Map.copyOf(meta),
            UUID.randomUUID().toString());
    tokens.put(token.id(), token);
    return token;
  }

  /** Extends a renewable token by its TTL; {@code null} when it is not renewable. */
  Token renew(Token token) {
    if (!token.renewable()) {
      return null;
    }
    Token renewed =
        new Token(
            token.id(),
            token.accessor(),
            token.policies(),
            token.path(),
            token.displayName(),
            token.issuedAt(),
            token.ttl(),
            Instant.now().plus(token.ttl()),
            token.meta(),
            token.entityId());
    tokens.put(renewed.id(), renewed);
    return renewed;
  }

  /** The {@code auth} block of a login or renew response. */
  static ObjectNode authBlock(Token token) {
    ObjectNode auth = Json.object();
    auth.put("client_token", token.id());
    auth.put("accessor", token.accessor());
    token.policies().forEach(auth.putArray("policies")::add);
    token.policies().forEach(auth.putArray("token_policies")::add);
    if (token.meta() == null) {
      auth.putNull("metadata");
    } else {
      ObjectNode meta = auth.putObject("metadata");
      token.meta().forEach(meta::put);
    }
    auth.put("lease_duration", token.ttl().toSeconds());
    auth.put("renewable", token.renewable());
    auth.put("entity_id", token.entityId());
    auth.put("token_type", "service");
    auth.put("orphan", true);
    auth.putNull("mfa_requirement");
    auth.put("num_uses", 0);
    return auth;
  }

  /** The {@code data} of {@code auth/token/lookup-self}. */
  static ObjectNode lookupData(Token token) {
    ObjectNode data = Json.object();
    Instant now = Instant.now();
    data.put("accessor", token.accessor());
    data.put("creation_time", token.issuedAt().getEpochSecond());
    data.put("creation_ttl", token.ttl().toSeconds());
    data.put("display_name", token.displayName());
    data.put("entity_id", token.entityId());
    if (token.expiresAt() == null) {
      data.putNull("expire_time");
    } else {
      data.put("expire_time", VaultTime.format(token.expiresAt()));
    }
    data.put("explicit_max_ttl", 0);
    data.put("id", token.id());
    if (token.expiresAt() != null) {
      data.put("issue_time", VaultTime.format(token.issuedAt()));
    }
    if (token.meta() == null) {
      data.putNull("meta");
    } else {
      ObjectNode meta = data.putObject("meta");
      token.meta().forEach(meta::put);
    }
    data.put("num_uses", 0);
    data.put("orphan", true);
    data.put("path", token.path());
    token.policies().forEach(data.putArray("policies")::add);
    if (token.expiresAt() != null) {
      data.put("renewable", true);
    }
    data.put(
        "ttl",
        token.expiresAt() == null
            ? 0
            : Math.max(0, Duration.between(now, token.expiresAt()).toSeconds()));
    data.put("type", "service");
    return data;
  }

  private static String randomId(int length) {
    char[] chars = new char[length];
    for (int i = 0; i < length; i++) {
      chars[i] = BASE62[RANDOM.nextInt(BASE62.length)];
    }
    return new String(chars);
  }
}
