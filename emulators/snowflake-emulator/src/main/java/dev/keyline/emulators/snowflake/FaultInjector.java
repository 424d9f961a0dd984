package dev.keyline.emulators.snowflake;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Failures on demand for the unhappy-path tests of the services. Thread-safe.
 *
 * <p>Forced HTTP statuses apply to every driver endpoint (the admin endpoints are never affected,
 * so a test can always inspect and repair the emulator); login and ALTER failures are queued and
 * each consumed by one call; statement failures and login failures for one user are consumed by
 * the first request that matches them; {@link RequestHold}s block one matching request each.
 */
final class FaultInjector {

  private Duration latency = Duration.ZERO;
  private int forcedStatusCount;
  private int forcedStatus = 503;
  private final Deque<LoginFailure> loginFailures = new ArrayDeque<>();
  private final Deque<String> alterFailures = new ArrayDeque<>();
  private final List<StatementFailure> statementFailures = new ArrayList<>();
  private final List<RequestHold> holds = new ArrayList<>();
  private final List<RequestHold> holding = new ArrayList<>();

  /** A login failure for any user ({@code user == null}) or for one LOGIN_NAME. */
  private record LoginFailure(String code, String user) {}

  private record StatementFailure(String code, RequestPattern pattern) {}

  synchronized void latency(Duration latency) {
    if (latency == null || latency.isNegative()) {
      throw new IllegalArgumentException("latency must be zero or positive: " + latency);
    }
    this.latency = latency;
  }

  synchronized Duration latency() {
    return latency;
  }

  synchronized void failNextRequests(int count, int status) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be 4xx or 5xx: " + status);
    }
    forcedStatusCount += count;
    forcedStatus = status;
  }

  /** The status to answer this request with, or {@code null}. */
  synchronized Integer takeForcedStatus() {
    if (forcedStatusCount == 0) {
      return null;
    }
    forcedStatusCount--;
    return forcedStatus;
  }

  synchronized void failNextLogin(String code) {
    loginFailures.add(new LoginFailure(requireCode(code), null));
  }

  synchronized void failNextLoginOf(String user, String code) {
    if (user == null || user.isBlank()) {
      throw new IllegalArgumentException("a user is required");
    }
    loginFailures.add(new LoginFailure(requireCode(code), user.toUpperCase(Locale.ROOT)));
  }

  /** The code the login of {@code loginName} fails with, or {@code null}. */
  synchronized String takeLoginFailure(String loginName) {
    String user = loginName == null ? null : loginName.toUpperCase(Locale.ROOT);
    for (Iterator<LoginFailure> it = loginFailures.iterator(); it.hasNext(); ) {
      LoginFailure f = it.next();
      if (f.user() == null || f.user().equals(user)) {
        it.remove();
        return f.code();
      }
    }
    return null;
  }

  synchronized void failNextStatement(String code, List<String> fragments) {
    statementFailures.add(new StatementFailure(requireCode(code), new RequestPattern(fragments)));
  }

  /** The code the statement {@code sql} fails with, or {@code null}. */
  synchronized String takeStatementFailure(String sql) {
    for (Iterator<StatementFailure> it = statementFailures.iterator(); it.hasNext(); ) {
      StatementFailure f = it.next();
      if (f.pattern().matches(sql)) {
        it.remove();
        return f.code();
      }
    }
    return null;
  }

  synchronized RequestHold holdNext(List<String> fragments) {
    RequestHold hold = new RequestHold(new RequestPattern(fragments));
    holds.add(hold);
    return hold;
  }

  /** Blocks the calling request while a hold claims it; returns at once when none matches. */
  void holdIfMatching(String description) {
    RequestHold claimed = null;
    synchronized (this) {
      for (Iterator<RequestHold> it = holds.iterator(); it.hasNext(); ) {
        RequestHold h = it.next();
        if (h.isReleased()) {
          it.remove(); // released before it caught anything
        } else if (h.matches(description)) {
          it.remove();
          claimed = h;
          holding.add(h);
          break;
        }
      }
    }
    if (claimed != null) {
      try {
        claimed.hold(description);
      } finally {
        synchronized (this) {
          holding.remove(claimed);
        }
      }
    }
  }

  synchronized void failNextAlter(String code) {
    alterFailures.add(requireCode(code));
  }

  synchronized String takeAlterFailure() {
    return alterFailures.poll();
  }

  synchronized void clear() {
    latency = Duration.ZERO;
    forcedStatusCount = 0;
    forcedStatus = 503;
    loginFailures.clear();
    alterFailures.clear();
    statementFailures.clear();
    holds.forEach(RequestHold::release);
    holds.clear();
    holding.forEach(RequestHold::release);
  }

  private static String requireCode(String code) {
    if (code == null || !code.matches("\\d{6}")) {
      throw new IllegalArgumentException("a Snowflake error code has six digits: " + code);
    }
    return code;
  }
}
