package dev.keyline.certificate.service;

import java.time.Instant;
import java.util.UUID;

import dev.keyline.certificate.persistence.CertificateEntity;

/**
 * Fired after a certificate was created, changed or deleted, so caches and gauges refresh. It carries
 * what the expiry gauge shows, so observers need not read the row again.
 *
 * @param id       the certificate
 * @param name     its name now; {@code null} when it was deleted
 * @param notAfter its expiry now; {@code null} when it was deleted
 */
public record CertificateChanged(UUID id, String name, Instant notAfter) {

    static CertificateChanged saved(CertificateEntity e) {
        return new CertificateChanged(e.id, e.name, e.notAfter);
    }

    static CertificateChanged deleted(UUID id) {
        return new CertificateChanged(id, null, null);
    }

    public boolean isDeleted() {
        return name == null;
    }
}
