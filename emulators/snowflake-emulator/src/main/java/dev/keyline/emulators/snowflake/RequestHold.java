package dev.keyline.emulators.snowflake;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds ONE driver request that matches, before the emulator acts on it, until {@link #release()}.
 *
 * <p>Why: crash tests need a client to die at a precise point ("while its ALTER is in flight",
 * "after its login was sent"), which latency alone only makes likely. While a request is held its
 * client waits for the answer exactly as it would on a slow Snowflake; a released request is then
 * executed even when its client is gone, as Snowflake finishes a statement whose caller hung up.
 *
 * <p>A request matches when its description contains every fragment, ignoring case: the SQL text
 * for a statement, {@code LOGIN <ACCOUNT_NAME> <LOGIN_NAME>} for a login. Holds queue up: with two
 * holds on the same fragments the first matching request takes the first hold, the next one the
 * second.
 */
public final class RequestHold implements AutoCloseable {

  /** A held request is let go after this long even if no test releases it. */
  static final Duration MAX_HOLD = Duration.ofMinutes(2);

  private final RequestPattern pattern;
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch released = new CountDownLatch(1);
  private volatile String request;

  RequestHold(RequestPattern pattern) {
    this.pattern = pattern;
  }

  boolean matches(String description) {
    return pattern.matches(description);
  }

  /** Called on the request's thread: marks it held and blocks until released (or MAX_HOLD). */
  void hold(String description) {
    request = description;
    held.countDown();
    try {
      released.await(MAX_HOLD.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits until a matching request is being held. */
  public boolean awaitHeld(Duration timeout) {
    try {
      return held.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  public boolean isHolding() {
    return held.getCount() == 0 && released.getCount() == 1;
  }

  /** The description of the held request (SQL text or login), or {@code null} before one came. */
  public String heldRequest() {
    return request;
  }

  /** Lets the held request proceed; a hold that caught nothing yet stops waiting for one. */
  public void release() {
    released.countDown();
  }

  boolean isReleased() {
    return released.getCount() == 0;
  }

  @Override
  public void close() {
    release();
  }

  @Override
  public String toString() {
    return "RequestHold" + pattern.fragments() + (request == null ? "" : " holding " + request);
  }
}
