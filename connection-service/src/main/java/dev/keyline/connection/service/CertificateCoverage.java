package dev.keyline.connection.service;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.client.CertificateServiceClient;
import dev.keyline.connection.client.CertificateServiceException;

/**
 * An API connector names a certificate of certificate-service: when it is saved, that certificate
 * must exist and its authorized domains must cover the connector's base URL. Asked with the
 * caller's own token (certificate-service's {@code GET …/authorization}), so nobody attaches a
 * certificate they cannot see, and a random or foreign id is refused before it is stored.
 */
@ApplicationScoped
public class CertificateCoverage {

    @Inject
    CertificateServiceClient certificates;

    @Inject
    JsonWebToken caller;

    /** 422 when the certificate is unknown or does not cover {@code baseUrl}; nothing to check without one. */
    public void check(UUID certificateId, String baseUrl) {
        if (certificateId == null) {
            return;
        }
        URI url = URI.create(baseUrl);
        int port = url.getPort() < 0 ? 443 : url.getPort();
        String refusal;
        try {
            refusal = certificates.refusal(certificateId, url.getHost(), port, "Bearer " + caller.getRawToken());
        } catch (CertificateServiceException x) {
            throw problem(x, certificateId);
        } catch (FaultToleranceException x) {
            throw new ProblemException(503, "certificate-service-unavailable", "certificate-service unavailable",
                    "certificate-service did not answer whether certificate " + certificateId + " covers the base URL");
        }
        if (refusal != null) {
            throw new ProblemException(422, "api-host-not-authorized", "Host not authorized",
                    "Certificate " + certificateId + " may not be presented to " + url.getHost() + ":" + port + ": "
                            + refusal,
                    List.of(new FieldError("details.baseUrl", "its host is not an authorized domain of the certificate")));
        }
    }

    private static ProblemException problem(CertificateServiceException x, UUID certificateId) {
        if (x instanceof CertificateServiceException.Unavailable || x instanceof CertificateServiceException.Timeout
                || x.status() == 0 || x.status() >= 500) {
            return new ProblemException(503, "certificate-service-unavailable", "certificate-service unavailable",
                    x.getMessage());
        }
        return switch (x.status()) {
            case 404 -> new ProblemException(422, "certificate-not-found", "Certificate not found",
                    "certificate-service has no certificate " + certificateId,
                    List.of(new FieldError("details.certificateId", "no such certificate")));
            case 401, 403 -> new ProblemException(403, "certificate-not-accessible", "Certificate not accessible",
                    "certificate-service did not let your token read certificate " + certificateId
                            + " (it needs certificates:read and the certificate-service audience)",
                    List.of(new FieldError("details.certificateId", "not readable with your token")));
            default -> new ProblemException(502, "certificate-service-error", "certificate-service error",
                    "certificate-service answered HTTP " + x.status() + " (" + x.problemType() + "): " + x.getMessage());
        };
    }
}
