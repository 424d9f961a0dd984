package dev.keyline.connection.service;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.client.CertificateServiceException;
import dev.keyline.connection.persistence.ConnectionEntity;

/**
 * certificate-service's answers to an API connector's exchange, in this service's problem
 * vocabulary (as {@link SnowflakeProblems} does for Snowflake): who refused what, and whether the
 * remote API or certificate-service itself failed.
 */
final class CertificateServiceProblems {

    private CertificateServiceProblems() {
    }

    /** certificate-service's answers, in this service's vocabulary. Its details are safe to pass on. */
    static ProblemException problem(CertificateServiceException x, ConnectionEntity e) {
        if (x instanceof CertificateServiceException.Unavailable || x instanceof CertificateServiceException.Timeout) {
            return unavailable(x.getMessage());
        }
        return switch (x.status()) {
            case 0 -> new ProblemException(503, "certificate-service-unavailable", "certificate-service unavailable",
                    x.getMessage());
            case 401 -> new ProblemException(403, "certificate-service-rejected-token",
                    "certificate-service refused your token",
                    "certificate-service did not accept your token, which connection-service forwards to present "
                            + "certificate " + e.certificateId + " for you: it must be valid for certificate-service too");
            case 403 -> switch (x.problemType()) {
                case "host-not-authorized" -> new ProblemException(422, "api-host-not-authorized", "Host not authorized",
                        "certificate-service refuses to present certificate " + e.certificateId + " to " + e.baseUrl
                                + ": " + x.getMessage(),
                        java.util.List.of(new FieldError("details.baseUrl",
                                "its host is not an authorized domain of the certificate")));
                case "egress-refused" -> new ProblemException(422, "api-egress-refused", "Egress refused",
                        "certificate-service refuses to connect to " + e.baseUrl + ": " + x.getMessage());
                default -> new ProblemException(403, "certificate-use-forbidden", "Certificate use forbidden",
                        "Testing or calling through this API connector presents certificate " + e.certificateId
                                + " for you, and saving it binds that certificate to it: both need your own "
                                + "certificates:use at certificate-service");
            };
            case 404 -> new ProblemException(422, "certificate-not-found", "Certificate not found",
                    "certificate-service has no certificate " + e.certificateId,
                    java.util.List.of(new FieldError("details.certificateId", "no such certificate")));
            case 409 -> "too-many-consumers".equals(x.problemType())
                    ? new ProblemException(409, "certificate-too-many-consumers", "Certificate has too many users",
                            "certificate-service refuses another user of certificate " + e.certificateId + ": "
                                    + x.getMessage() + "; the connector was not saved",
                            java.util.List.of(new FieldError("details.certificateId", "already has as many users as it may")))
                    : otherwise(x);
            case 429 -> new ProblemException(429, "certificate-service-too-many-requests",
                    "Too many requests at certificate-service", "certificate-service refused your request for now: "
                            + x.getMessage());
            case 502 -> new ProblemException(502, "api-unreachable", "API unreachable",
                    "The exchange with " + e.baseUrl + " failed: " + x.getMessage());
            case 504 -> new ProblemException(504, "api-timeout", "API timeout",
                    "The exchange with " + e.baseUrl + " timed out: " + x.getMessage());
            default -> otherwise(x);
        };
    }

    private static ProblemException otherwise(CertificateServiceException x) {
        return new ProblemException(502, "certificate-service-error", "certificate-service error",
                "certificate-service answered HTTP " + x.status() + " (" + x.problemType() + "): " + x.getMessage());
    }

    static ProblemException unavailable(String detail) {
        return new ProblemException(503, "certificate-service-unavailable", "certificate-service unavailable", detail);
    }

}
