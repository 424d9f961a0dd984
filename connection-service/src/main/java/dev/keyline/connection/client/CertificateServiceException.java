package dev.keyline.connection.client;

/**
 * certificate-service answered with an error. {@code problemType} is the slug of its problem type
 * ({@code host-not-authorized}, {@code not-found}, ...), {@code detail} its human detail (its
 * problem details never carry key material).
 */
public class CertificateServiceException extends RuntimeException {

    private final int status;
    private final String problemType;

    public CertificateServiceException(int status, String problemType, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.problemType = problemType;
    }

    /** HTTP status certificate-service answered, 0 when there was no answer. */
    public int status() {
        return status;
    }

    public String problemType() {
        return problemType;
    }

    /** certificate-service did not answer usefully (unreachable, 503): worth a retry, counts for the circuit breaker. */
    public static class Unavailable extends CertificateServiceException {
        public Unavailable(int status, String detail) {
            super(status, "unavailable", detail);
        }
    }

    /** No answer in time: counts for the circuit breaker, not retried (the exchange may be slow, not lost). */
    public static class Timeout extends CertificateServiceException {
        public Timeout(String detail) {
            super(0, "timeout", detail);
        }
    }
}
