package dev.keyline.certificate.egress;

/**
 * An outbound call that was not attempted because of where it would go. The message names the
 * host and the kind of address, never the resolved internal address itself, so the API cannot be
 * used to map a private network.
 */
public class EgressRefusedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the call was refused; lets the API pick a status without parsing the message. */
    public enum Reason {
        /** The host is not a valid host name or IP literal. */
        INVALID_HOST,
        /** DNS gave no address. */
        UNRESOLVABLE,
        /** Loopback, private, link-local, shared, reserved, multicast or unspecified, and private egress is off. */
        NON_PUBLIC_ADDRESS,
        /** A cloud metadata endpoint: refused even when private egress is on. */
        METADATA_ADDRESS
    }

    private final Reason reason;

    public EgressRefusedException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
