package dev.keyline.certificate.service;

import java.security.cert.X509Certificate;
import java.util.List;

import dev.keyline.certificate.AuthorizedDomains;
import dev.keyline.keys.CertificateSummary;
import dev.keyline.keys.ParsedPrivateKey;

/**
 * An upload that passed every check: parsed chain and key that belong together, parsed CA
 * certificates, validated domains, and the normalised certificate PEM that goes to Vault (the key
 * goes there as plain PKCS#8 made from {@code key}, so the uploaded key text is not kept).
 */
public record ValidatedCertificate(List<X509Certificate> chain, ParsedPrivateKey key, List<X509Certificate> caCertificates,
        AuthorizedDomains domains, CertificateSummary summary, String certificatePem, String passphrase,
        String caCertificatePem) {

    @Override
    public String toString() {
        return "ValidatedCertificate[" + summary.sha256Fingerprint() + ", material=masked]";
    }
}
