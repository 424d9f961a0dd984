package dev.keyline.certificate.rest;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import dev.keyline.certificate.persistence.CertificateEntity;

/** What the API tells about a certificate: metadata only, never material. */
public record CertificateView(UUID id, String name, String description, List<String> authorizedDomains, String subject,
        String issuer, String serialNumber, Instant notBefore, Instant notAfter, long secondsUntilExpiry,
        String sha256Fingerprint, String keyAlgorithm, int keySizeBits, int chainLength, boolean hasPassphrase,
        boolean hasCaCertificate, String caSubject, Instant createdAt, String createdBy, Instant updatedAt, String updatedBy,
        long version, List<String> warnings, List<ConsumerView> consumers) {

    /** {@code consumers}: who uses the certificate (API connectors); deleting it is refused while any is listed. */
    public static CertificateView of(CertificateEntity e, Duration expiryWarning, List<ConsumerView> consumers) {
        Instant now = Instant.now();
        long secondsLeft = Duration.between(now, e.notAfter).toSeconds();
        List<String> warnings = new ArrayList<>();
        if (secondsLeft <= 0) {
            warnings.add("the certificate has expired");
        } else if (secondsLeft < expiryWarning.toSeconds()) {
            warnings.add("the certificate expires in " + Duration.ofSeconds(secondsLeft).toDays() + " day(s), on "
                    + e.notAfter);
        }
        return new CertificateView(e.id, e.name, e.description, e.authorizedDomains, e.subject, e.issuer, e.serialNumber,
                e.notBefore, e.notAfter, secondsLeft, e.sha256Fingerprint, e.keyAlgorithm, e.keySizeBits, e.chainLength,
                e.hasPassphrase, e.caSubject != null, e.caSubject, e.createdAt, e.createdBy, e.updatedAt, e.updatedBy,
                e.version, warnings, consumers);
    }
}
