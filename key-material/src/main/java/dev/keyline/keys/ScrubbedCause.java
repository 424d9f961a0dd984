package dev.keyline.keys;

/**
 * Stand-in for an exception thrown by a parser or a crypto provider, keeping its type and stack
 * trace for debugging but not its message.
 *
 * <p>Why: messages of BouncyCastle and JDK exceptions are not under our control and could quote
 * the input they failed on, while {@link KeyMaterialException} promises that its whole cause chain
 * is safe to show and to log.
 */
final class ScrubbedCause extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private ScrubbedCause(Throwable original, Throwable scrubbedCause) {
    super(original.getClass().getName(), scrubbedCause, false, false);
    setStackTrace(original.getStackTrace());
  }

  /** A scrubbed copy of {@code original} and of its causes; {@code null} for {@code null}. */
  static ScrubbedCause of(Throwable original) {
    return of(original, 0);
  }

  private static ScrubbedCause of(Throwable original, int depth) {
    if (original == null) {
      return null;
    }
    Throwable next = original.getCause();
    ScrubbedCause scrubbedNext = (next == null || next == original || depth > 8) ? null : of(next, depth + 1);
    return new ScrubbedCause(original, scrubbedNext);
  }
}
