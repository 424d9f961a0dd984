package dev.keyline.emulators.postgres;

/**
 * A cluster could not be created, started, used or stopped.
 *
 * <p>Why one unchecked type: callers are tests and launchers that can only report the failure;
 * what they need is a message that says what went wrong and what to do, which is why messages
 * include the tail of the server log or the failed command's output.
 */
public final class EmbeddedPostgresException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public EmbeddedPostgresException(String message) {
    super(message);
  }

  public EmbeddedPostgresException(String message, Throwable cause) {
    super(message, cause);
  }
}
