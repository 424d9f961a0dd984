package dev.keyline.emulators.snowflake;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Failures on demand for the unhappy-path tests of the services. Thread-safe.
 *
 * <p>Forced HTTP statuses apply to every driver endpoint (the admin endpoints are never affected,
 * so a test can always inspect and repair the emulator); login and ALTER failures are queued and
 * each consumed by one call.
 */
final class FaultInjector {

  private Duration latency = Duration.ZERO;
  private int forcedStatusCount;
  private int forcedStatus = 503;
  private final Deque<String> loginFailures = new ArrayDeque<>();
  private final Deque<String> alterFailures = new ArrayDeque<>();

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
    loginFailures.add(requireCode(code));
  }

  synchronized String takeLoginFailure() {
    return loginFailures.poll();
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
  }

  private static String requireCode(String code) {
    if (code == null || !code.matches("\\d{6}")) {
      throw new IllegalArgumentException("a Snowflake error code has six digits: " + code);
    }
    return code;
  }
}
