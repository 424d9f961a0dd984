package dev.keyline.emulators.snowflake;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Session and master tokens, as the driver uses them: the session token on every call, the master
 * token only to renew an expired session token at {@code /session/token-request}. Guarded by the
 * state's lock.
 *
 * <p>A renewed (retired) session token stays known as expired, as in Snowflake: a statement that
 * raced the renewal gets 390112 again, and the driver then sees that its session already holds a
 * newer token and retries without another renewal. The new token is never answered with 390112
 * unless it expires itself: the driver would otherwise renew forever.
 */
final class Sessions {

  enum Status {
    VALID,
    EXPIRED,
    UNKNOWN
  }

  private static final SecureRandom RANDOM = new SecureRandom();

  private final Map<String, Session> byToken = new HashMap<>();
  private final Map<String, Session> byMasterToken = new HashMap<>();
  private final Map<String, Session> retiredTokens = new HashMap<>();
  private long nextId = 1_000_001;
  private int renewals;

  Session open(
      Account account,
      User user,
      Instant now,
      Duration tokenValidity,
      Duration masterValidity) {
    Session session =
        new Session(
            nextId++,
            account,
            user,
            newToken("st"),
            now.plus(tokenValidity),
            newToken("mt"),
            now.plus(masterValidity));
    byToken.put(session.token, session);
    byMasterToken.put(session.masterToken, session);
    return session;
  }

  Status status(String token, Instant now) {
    if (token == null) {
      return Status.UNKNOWN;
    }
    Session session = byToken.get(token);
    if (session != null) {
      return now.isBefore(session.tokenExpiresAt) ? Status.VALID : Status.EXPIRED;
    }
    Session retired = retiredTokens.get(token);
    return retired != null && !retired.closed ? Status.EXPIRED : Status.UNKNOWN;
  }

  Session byToken(String token) {
    return byToken.get(token);
  }

  Session byMasterToken(String masterToken) {
    return masterToken == null ? null : byMasterToken.get(masterToken);
  }

  /**
   * Issues a new session token. When {@code oldToken} is no longer the session's current token
   * (another thread renewed first), the current one is returned instead of a new one.
   */
  String renew(Session session, String oldToken, Instant now, Duration tokenValidity) {
    if (oldToken != null && !oldToken.equals(session.token) && retiredTokens.get(oldToken) == session
        && now.isBefore(session.tokenExpiresAt)) {
      return session.token;
    }
    byToken.remove(session.token);
    retiredTokens.put(session.token, session);
    session.token = newToken("st");
    session.tokenExpiresAt = now.plus(tokenValidity);
    byToken.put(session.token, session);
    renewals++;
    return session.token;
  }

  int renewals() {
    return renewals;
  }

  /** Makes the session tokens of matching open sessions expired now; returns how many. */
  int expire(Predicate<Session> which, Instant now) {
    int count = 0;
    for (Session session : byToken.values()) {
      if (!session.closed && which.test(session)) {
        session.tokenExpiresAt = now;
        count++;
      }
    }
    return count;
  }

  /**
   * Ends matching open sessions on the server's side, as {@code SYSTEM$ABORT_SESSION} does: their
   * session and master tokens are forgotten, so the next call gets 390111 and no renewal helps.
   */
  int end(Predicate<Session> which) {
    List<Session> ending = new ArrayList<>();
    for (Session session : byToken.values()) {
      if (!session.closed && which.test(session)) {
        ending.add(session);
      }
    }
    for (Session session : ending) {
      close(session);
    }
    return ending.size();
  }

  void close(Session session) {
    session.closed = true;
    byToken.remove(session.token);
    byMasterToken.remove(session.masterToken);
  }

  List<Session> open() {
    List<Session> open = new ArrayList<>();
    for (Session session : byToken.values()) {
      if (!session.closed) {
        open.add(session);
      }
    }
    return open;
  }

  void resetCounters() {
    renewals = 0;
  }

  private static String newToken(String kind) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return "ver:1-emu:" + kind + "-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
