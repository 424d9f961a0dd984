package dev.keyline.certificate.service;

import java.util.List;

/**
 * What a client sent to create or change a certificate, whether as JSON or as a multipart upload.
 * On update every material field may be null (keep what is stored). {@link #toString()} is masked.
 */
public record CertificateUpload(String name, String description, List<String> authorizedDomains,
        String clientCertificate, String clientKey, String passphrase, String caCertificate) {

    public boolean changesMaterial() {
        return clientCertificate != null || clientKey != null || passphrase != null || caCertificate != null;
    }

    @Override
    public String toString() {
        return "CertificateUpload[name=" + name + ", material=masked]";
    }
}
