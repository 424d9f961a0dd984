package dev.keyline.common.logging;

/**
 * A failure as one short log line: what an operator needs to see why an outage began (the address refused,
 * the SQLState), without the stack trace every retry would repeat. Messages come from drivers and clients
 * (no request data reaches them); they are folded onto one line and cut, since some quote whole answers.
 */
public final class FailureText {

    /** Longest message kept; longer ones end in "…". */
    static final int MAX_MESSAGE = 200;

    private FailureText() {
    }

    /** {@code SimpleName: message}, or the simple name alone when there is no message. */
    public static String of(Throwable failure) {
        String message = message(failure);
        return failure.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

    /** {@link #of} of the innermost cause: the one that says what failed (a refused connection, not its wrapper). */
    public static String ofRootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return of(root);
    }

    /** The message on one line, cut at {@value #MAX_MESSAGE} characters; empty when there is none. */
    public static String message(Throwable failure) {
        String message = failure.getMessage();
        if (message == null) {
            return "";
        }
        String oneLine = message.replaceAll("\\s+", " ").strip();
        return oneLine.length() > MAX_MESSAGE ? oneLine.substring(0, MAX_MESSAGE) + "…" : oneLine;
    }
}
