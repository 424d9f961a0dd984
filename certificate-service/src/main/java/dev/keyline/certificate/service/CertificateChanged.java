package dev.keyline.certificate.service;

import java.util.UUID;

/** Fired after a certificate was created, changed or deleted, so caches and gauges refresh. */
public record CertificateChanged(UUID id) {
}
