package dev.keyline.certificate.service;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.certificate.AuthorizedDomains;
import dev.keyline.certificate.AuthorizedDomains.InvalidDomainsException;
import dev.keyline.common.keys.KeyLimitsConfig;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.keys.CertificateSummary;
import dev.keyline.keys.Certificates;
import dev.keyline.keys.KdfLimits;
import dev.keyline.keys.KeyMaterialException;
import dev.keyline.keys.KeyPairs;
import dev.keyline.keys.ParsedPrivateKey;
import dev.keyline.keys.PrivateKeys;

/**
 * Checks a complete upload and reports every bad field at once, so a user fixes them in one go.
 * Each field is checked on its own; the key/certificate match is checked only when both parsed.
 */
@ApplicationScoped
public class CertificateValidator {

    @Inject
    KeyLimitsConfig keyLimits;

    public ValidatedCertificate validate(CertificateUpload upload) {
        return validate(upload, false);
    }

    /**
     * @param storedKey the key is the one stored (an update that keeps it): a passphrase kept next to a
     *     plain key by versions before that was refused is ignored, not refused
     */
    public ValidatedCertificate validate(CertificateUpload upload, boolean storedKey) {
        List<FieldError> errors = new ArrayList<>();
        AuthorizedDomains domains = domains(upload.authorizedDomains(), errors);

        List<X509Certificate> chain = null;
        if (isBlank(upload.clientCertificate())) {
            errors.add(new FieldError("clientCertificate", "is required"));
        } else {
            chain = parseChain("clientCertificate", upload.clientCertificate(), errors);
        }

        ParsedPrivateKey key = null;
        if (isBlank(upload.clientKey())) {
            errors.add(new FieldError("clientKey", "is required"));
        } else {
            key = parseKey(upload.clientKey(), upload.passphrase(), keyLimits.kdfLimits(), storedKey, errors);
            String sizeRefusal = key == null ? null : keyLimits.sizeRefusal(key).orElse(null);
            if (sizeRefusal != null) {
                errors.add(new FieldError("clientKey", sizeRefusal));
                key = null;
            }
        }

        List<X509Certificate> cas = null;
        if (!isBlank(upload.caCertificate())) {
            cas = parseChain("caCertificate", upload.caCertificate(), errors);
        } else if (upload.caCertificate() != null && !upload.caCertificate().isEmpty()) {
            // Only whitespace: not a CA, and not the explicit "no CA" of an empty value. Dropping it
            // silently would leave the server unpinned while the user believes it pinned.
            errors.add(new FieldError("caCertificate", "holds only whitespace; leave it out (or empty) for no CA"));
        }

        if (chain != null) {
            X509Certificate leaf = chain.get(0);
            Instant now = Instant.now();
            if (leaf.getNotAfter().toInstant().isBefore(now)) {
                errors.add(new FieldError("clientCertificate", "the certificate expired on " + leaf.getNotAfter().toInstant()));
            } else if (leaf.getNotBefore().toInstant().isAfter(now)) {
                errors.add(new FieldError("clientCertificate",
                        "the certificate is not valid before " + leaf.getNotBefore().toInstant()));
            }
            if (key != null && !KeyPairs.matches(key, leaf)) {
                errors.add(new FieldError("clientKey", "the private key does not belong to the client certificate"));
            }
        }

        if (!errors.isEmpty()) {
            throw new ProblemException(400, "invalid-certificate", "Invalid certificate upload",
                    "The upload was rejected; nothing was stored", errors);
        }
        X509Certificate leaf = chain.get(0);
        return new ValidatedCertificate(chain, key, cas == null ? List.of() : cas, domains, CertificateSummary.of(leaf),
                Certificates.toPem(chain), usedPassphrase(upload.passphrase(), key), cas == null ? null : Certificates.toPem(cas));
    }

    /** Validates the domains alone, for updates that keep the stored material. */
    public AuthorizedDomains domainsOnly(List<String> entries) {
        List<FieldError> errors = new ArrayList<>();
        AuthorizedDomains domains = domains(entries, errors);
        if (!errors.isEmpty()) {
            throw new ProblemException(400, "invalid-certificate", "Invalid certificate upload",
                    "The request was rejected; nothing was changed", errors);
        }
        return domains;
    }

    private static AuthorizedDomains domains(List<String> entries, List<FieldError> errors) {
        if (entries == null || entries.isEmpty()) {
            errors.add(new FieldError("authorizedDomains", "at least one authorized domain is required"));
            return null;
        }
        try {
            return AuthorizedDomains.parse(entries);
        } catch (InvalidDomainsException e) {
            e.errors().forEach(err -> errors.add(new FieldError("authorizedDomains[" + err.index() + "]", err.reason())));
            return null;
        }
    }

    private static List<X509Certificate> parseChain(String field, String pem, List<FieldError> errors) {
        try {
            return Certificates.parseChain(pem);
        } catch (KeyMaterialException e) {
            errors.add(new FieldError(field, e.getMessage()));
            return null;
        }
    }

    /**
     * The KDF ceiling is checked before any derivation work: a key asking for more is a 400 on clientKey.
     * A passphrase with a key that is not encrypted is a 400 on passphrase (key-material refuses it).
     */
    private static ParsedPrivateKey parseKey(String pem, String passphrase, KdfLimits limits, boolean stored,
            List<FieldError> errors) {
        char[] pass = isBlank(passphrase) ? null : passphrase.toCharArray();
        try {
            return stored ? PrivateKeys.parseStored(pem, pass, limits) : PrivateKeys.parse(pem, pass, limits);
        } catch (KeyMaterialException e) {
            String field = switch (e.reason()) {
                case WRONG_PASSPHRASE, PASSPHRASE_REQUIRED, KEY_NOT_ENCRYPTED -> "passphrase";
                default -> "clientKey";
            };
            errors.add(new FieldError(field, e.getMessage()));
            return null;
        }
    }

    /**
     * The passphrase only when it decrypted the key (one sent with a plain key is refused, one kept next
     * to a stored plain key ignored), so hasPassphrase means "the uploaded key was encrypted".
     */
    private static String usedPassphrase(String passphrase, ParsedPrivateKey key) {
        return isBlank(passphrase) || !key.wasEncrypted() ? null : passphrase;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
