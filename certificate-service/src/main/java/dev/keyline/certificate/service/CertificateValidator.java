package dev.keyline.certificate.service;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.certificate.AuthorizedDomains;
import dev.keyline.certificate.AuthorizedDomains.InvalidDomainsException;
import dev.keyline.common.keys.KeyLimitsConfig;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.problem.Violations;
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
        Checked c = check(upload, storedKey, false, List.of());
        if (!c.errors().isEmpty()) {
            throw invalidCertificate(c.errors());
        }
        X509Certificate leaf = c.chain().get(0);
        List<X509Certificate> cas = c.cas();
        return new ValidatedCertificate(c.chain(), c.key(), cas == null ? List.of() : cas, c.domains(),
                CertificateSummary.of(leaf), Certificates.toPem(c.chain()), usedPassphrase(upload.passphrase(), c.key()),
                cas == null ? null : Certificates.toPem(cas));
    }

    /**
     * What is wrong with {@code upload} on the fields {@code earlier} does not name already (bean
     * validation's violations, a multipart upload's file checks), for the 400 that names every bad field
     * at once: a value refused before is not refused again, and a key is not parsed when it or its
     * passphrase was refused already (too long to be either). Parses the key otherwise: run it on the key
     * pool when one is given.
     *
     * @param update material left out keeps what is stored: it is not required, and what is sent is
     *     checked on its own and against the rest of what is sent (the stored material is not read here;
     *     its checks follow once the fields pass)
     */
    public List<FieldError> problems(CertificateUpload upload, boolean update, Collection<FieldError> earlier) {
        return check(upload, false, update, earlier).errors();
    }

    /** The 400 of this class: {@code invalid-certificate}, each field's problems in the order found. */
    public static ProblemException invalidCertificate(List<FieldError> errors) {
        return new ProblemException(400, "invalid-certificate", "Invalid certificate upload",
                "The upload was rejected; nothing was stored", errors);
    }

    /** What {@link #check} found: errors (empty when valid) and what parsed. */
    private record Checked(List<FieldError> errors, AuthorizedDomains domains, List<X509Certificate> chain,
            ParsedPrivateKey key, List<X509Certificate> cas) {
    }

    /**
     * Every check, each finding collected: domains, client certificate, key, CA, then the certificate's
     * validity and the key/certificate match when both parsed. Fields {@code earlier} names are not
     * checked again (and their findings dropped).
     */
    private Checked check(CertificateUpload upload, boolean storedKey, boolean update, Collection<FieldError> earlier) {
        List<FieldError> errors = new ArrayList<>();
        AuthorizedDomains domains = Violations.covered("authorizedDomains", earlier) ? null
                : domains(upload.authorizedDomains(), errors);

        List<X509Certificate> chain = null;
        String certificate = upload.clientCertificate();
        if (Violations.covered("clientCertificate", earlier)) {
            // refused already
        } else if (isBlank(certificate)) {
            if (!update || certificate != null) {
                errors.add(new FieldError("clientCertificate", "is required"));
            }
        } else {
            chain = parseChain("clientCertificate", certificate, errors);
        }

        ParsedPrivateKey key = null;
        String keyPem = upload.clientKey();
        if (Violations.covered("clientKey", earlier)) {
            // refused already
        } else if (isBlank(keyPem)) {
            if (!update || keyPem != null) {
                errors.add(new FieldError("clientKey", "is required"));
            }
        } else if (!Violations.covered("passphrase", earlier)) {
            key = parseKey(keyPem, upload.passphrase(), keyLimits.kdfLimits(), storedKey, errors);
            String sizeRefusal = key == null ? null : keyLimits.sizeRefusal(key).orElse(null);
            if (sizeRefusal != null) {
                errors.add(new FieldError("clientKey", sizeRefusal));
                key = null;
            }
        }
        if (update && keyPem == null && !isBlank(upload.passphrase())) {
            errors.add(new FieldError("passphrase", PASSPHRASE_WITHOUT_KEY));
        }

        List<X509Certificate> cas = null;
        if (Violations.covered("caCertificate", earlier)) {
            // refused already
        } else if (!isBlank(upload.caCertificate())) {
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
        errors.removeIf(e -> Violations.covered(e.field(), earlier));
        return new Checked(errors, domains, chain, key, cas);
    }

    /** An update's passphrase sent without a key: the stored key is plain PKCS#8, there is nothing to decrypt. */
    public static final String PASSPHRASE_WITHOUT_KEY = "a passphrase only decrypts an uploaded key; send it with clientKey";

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
