package dev.keyline.emulators.vault;

import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The failures a test has asked for: sealed state, added latency and a queue of forced error
 * statuses for the next requests.
 *
 * <p>Why: the paths services get wrong are the unhappy ones (Vault sealed during a deploy, a 500
 * from a busy cluster, slow answers hitting client timeouts); tests need to provoke them on
 * demand.
 */
final class FaultInjector {

  private volatile boolean sealed;
  private volatile Duration latency = Duration.ZERO;
  private final Queue<Integer> forcedStatuses = new ConcurrentLinkedQueue<>();

  boolean sealed() {
    return sealed;
  }

  void sealed(boolean value) {
    sealed = value;
  }

  Duration latency() {
    return latency;
  }

  void latency(Duration value) {
    if (value == null || value.isNegative()) {
      throw new IllegalArgumentException("latency must be zero or positive: " + value);
    }
    latency = value;
  }

  void failNext(int count, int status) {
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative: " + count);
    }
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP error status: " + status);
    }
    for (int i = 0; i < count; i++) {
      forcedStatuses.add(status);
    }
  }

  /** The forced status for the request being handled, or {@code null} to answer normally. */
  Integer takeForcedStatus() {
    return forcedStatuses.poll();
  }

  void clear() {
    sealed = false;
    latency = Duration.ZERO;
    forcedStatuses.clear();
  }
}
