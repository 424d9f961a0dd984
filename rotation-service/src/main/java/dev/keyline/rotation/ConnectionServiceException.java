package dev.keyline.rotation;

/**
 * connection-service refused or could not be reached. Carries the problem type and detail it
 * answered (never secrets: its problem details are secret-free by contract).
 *
 * @see #transientFailure()
 */
public class ConnectionServiceException extends RuntimeException {

    public static final String UNAVAILABLE = "urn:keyline:problem:connection-service-unavailable";

    /** A key slot's compare-and-set failed: it no longer holds what the step expected (nothing changed). */
    public static final String KEY_SLOT_CHANGED = "key-slot-changed";

    private final int status;
    private final String problemType;

    public ConnectionServiceException(int status, String problemType, String detail) {
        super(detail);
        this.status = status;
        this.problemType = problemType == null ? "about:blank" : problemType;
    }

    public static ConnectionServiceException unavailable(String detail) {
        return new ConnectionServiceException(0, UNAVAILABLE, detail);
    }

    /** 0 when there was no HTTP answer (timeout, refused, circuit open). */
    public int status() {
        return status;
    }

    public String problemType() {
        return problemType;
    }

    /** No answer, 5xx, 408 or 429: the same call may succeed later. */
    public boolean transientFailure() {
        return status == 0 || status >= 500 || status == 408 || status == 429;
    }

    /**
     * connection-service refused a slot change because the slot does not hold what the step expected
     * ({@code key-slot-changed}) or holds the stored key ({@code slot-holds-stored-key}): the step reads
     * the slots and decides as it would have on that read.
     */
    public boolean slotNotAsExpected() {
        return status == 409 && (is(KEY_SLOT_CHANGED) || is("slot-holds-stored-key"));
    }

    public boolean is(String slug) {
        return problemType.endsWith(":" + slug);
    }
}
