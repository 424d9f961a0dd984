package dev.keyline.certificate.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.FutureTask;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;
import jakarta.transaction.Transactional;


import dev.keyline.certificate.AuthorizedDomains;
import dev.keyline.certificate.DomainMatch;
import dev.keyline.certificate.host.HostName;
import dev.keyline.certificate.persistence.CertificateEntity;
import dev.keyline.certificate.persistence.CertificateReads;
import dev.keyline.certificate.persistence.NameHolders;
import dev.keyline.certificate.vault.CertificateSecrets;
import dev.keyline.certificate.vault.StoredMaterial;
import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.security.Caller;
import dev.keyline.common.validation.ResourceNames;
import dev.keyline.common.vault.VersionedSecrets;
import dev.keyline.keys.CertificateSummary;
import dev.keyline.keys.Pkcs8;

/**
 * Creates, changes and deletes certificates so that PostgreSQL and Vault never disagree.
 *
 * <p>
 * A create checks the name first (a duplicate fails before Vault is touched), then writes Vault
 * while it inserts the row, whose unique index still refuses a name taken by a create racing it
 * (409 too; the secret written meanwhile is deleted again); an update flushes the row first, then
 * writes Vault. If Vault fails, the exception rolls the transaction back. If the row
 * or the commit fails after Vault succeeded, a transaction synchronization undoes the Vault write.
 * Rows point at an exact Vault version, so a half-finished update never changes what an existing
 * row reads.
 */
@ApplicationScoped
public class CertificateService {

    public static final String RESOURCE = "certificate";

    /**
     * A new certificate's version and ETag: 1 since the first release (Hibernate would insert 0,
     * which an UPDATE at commit then made 1; setting it saves that statement).
     */
    static final long FIRST_VERSION = 1;

    @Inject
    CertificateSecrets secrets;

    @Inject
    CertificateValidator validator;

    @Inject
    AuditTrail audit;

    @Inject
    Caller caller;

    @Inject
    Event<CertificateChanged> changed;

    @Inject
    KeyWork keyWork;

    @Inject
    AuthorizedDomainsCache domainsCache;

    @Inject
    NameHolders nameHolders;

    @Inject
    CertificateReads reads;

    @Transactional
    public CertificateEntity create(CertificateUpload upload) {
        // Parsing and decrypting the key (most of a create's time) runs on the key pool while this
        // thread asks PostgreSQL whether the name is free; an invalid upload still answers 400 first,
        // and a taken name 409 before any key material goes to Vault.
        FutureTask<ValidatedCertificate> validating = keyWork.submit(() -> validator.validate(upload));
        NameHolders.Holder sameName;
        try {
            sameName = nameHolders.find(upload.name());
        } catch (RuntimeException e) {
            keyWork.cancel(validating);
            throw e;
        }
        ValidatedCertificate valid = keyWork.join(validating);
        requireNameFree(sameName, null);

        CertificateEntity e = new CertificateEntity();
        e.id = UUID.randomUUID();
        e.createdAt = Instant.now();
        e.createdBy = caller.name();
        e.vaultPath = secrets.pathOf(e.id);
        applyMetadata(e, upload, valid.domains());
        applyMaterial(e, valid);
        // Vault writes while the row and its audit event are inserted (the row names the secret's
        // first version before Vault answers). The name was checked above; a create racing for the
        // same name fails on the unique index at the flush (409 name-taken, like the check above),
        // and the rollback deletes the secret.
        e.vaultVersion = VersionedSecrets.FIRST_VERSION;
        e.version = FIRST_VERSION;
        secrets.createInTransaction(e.id, material(valid), () -> {
            writeNamed(e, e::persistAndFlush);
            audit.success("certificate.create", RESOURCE, e.id.toString(), e.sha256Fingerprint, "name=" + e.name);
        });
        changed.fire(CertificateChanged.saved(e));
        return e;
    }

    /**
     * Replaces name, description and domains; replaces the material when the upload carries any.
     * A new certificate alone (renewal with the same key) is checked against the stored key.
     */
    @Transactional
    public CertificateEntity update(UUID id, CertificateUpload upload, Long expectedVersion) {
        CertificateEntity e = get(id);
        if (expectedVersion != null && expectedVersion != e.version) {
            throw new ProblemException(412, "stale-version", "Precondition failed",
                    "The certificate changed since version " + expectedVersion + "; it is now at version " + e.version);
        }
        if (upload.clientKey() == null && upload.passphrase() != null && !upload.passphrase().isBlank()) {
            // The stored key is plain PKCS#8: a passphrase alone has nothing to decrypt, and dropping
            // it silently would let the caller believe something changed. Named with the other fields'
            // problems, as invalid-request (this answer's type since it exists).
            refuse(upload, true, List.of(), true);
        }
        requireUniqueName(upload.name(), id);
        String oldFingerprint = e.sha256Fingerprint;
        if (upload.changesMaterial()) {
            StoredMaterial stored = secrets.read(id, e.vaultVersion);
            CertificateUpload merged = new CertificateUpload(upload.name(), upload.description(), upload.authorizedDomains(),
                    or(upload.clientCertificate(), stored.certificatePem()),
                    or(upload.clientKey(), stored.privateKeyPem()),
                    upload.clientKey() != null ? upload.passphrase() : stored.passphrase(),
                    or(upload.caCertificate(), stored.caCertificatePem()));
            ValidatedCertificate valid = keyWork.call(() -> validator.validate(merged, upload.clientKey() == null));
            boolean uploadedWithPassphrase = e.hasPassphrase;
            applyMetadata(e, upload, valid.domains());
            applyMaterial(e, valid);
            if (upload.clientKey() == null) {
                // The stored key is plain PKCS#8 now; whether it was uploaded encrypted did not change.
                e.hasPassphrase = uploadedWithPassphrase;
            }
            stampUpdate(e);
            writeNamed(e, () -> CertificateEntity.flush());
            e.vaultVersion = secrets.writeInTransaction(id, material(valid), e.vaultVersion);
        } else {
            applyMetadata(e, upload, validator.domainsOnly(upload.authorizedDomains()));
            stampUpdate(e);
            // Flushed here, not at the commit, so a rename racing another one for the name is a 409 too.
            writeNamed(e, () -> CertificateEntity.flush());
        }
        audit.success("certificate.update", RESOURCE, id.toString(), fingerprints(oldFingerprint, e.sha256Fingerprint),
                "name=" + e.name);
        changed.fire(CertificateChanged.saved(e));
        return e;
    }

    /**
     * The 400 of a create or update ({@code update}) that failed checks made before this service's:
     * {@code earlier} (bean validation's violations, a multipart upload's file checks) with every finding
     * of the validator on the other fields, in one answer, so the caller fixes them in one go instead of
     * learning of the next one at each attempt. Always throws; nothing is stored, read or audited. A key
     * given is parsed on the key pool under the caller's share (429 past it), as a create's is.
     *
     * @param violations whether bean validation refused something: the answer is then {@code invalid-request},
     *     as a violation's always was, else {@code invalid-certificate}, as the file checks' and the
     *     validator's always were
     */
    public void refuse(CertificateUpload upload, boolean update, List<FieldError> earlier, boolean violations) {
        List<FieldError> errors = new ArrayList<>(earlier);
        errors.addAll(upload.clientKey() == null || upload.clientKey().isBlank()
                ? validator.problems(upload, update, earlier)
                : keyWork.call(() -> validator.problems(upload, update, earlier)));
        if (violations) {
            throw ProblemException.invalidFields(errors);
        }
        errors.sort(Comparator.comparing(FieldError::field));
        throw CertificateValidator.invalidCertificate(errors);
    }

    /**
     * Deletes the row and every Vault version; if Vault refuses, the row stays. Refused (409
     * {@code certificate-in-use}) while consumers are registered; the row lock orders this with
     * {@link CertificateConsumers#register}.
     */
    @Transactional
    public void delete(UUID id) {
        CertificateEntity e = CertificateEntity.findById(id, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            throw ProblemException.notFound("Certificate", id);
        }
        CertificateConsumers.requireUnused(e);
        String fingerprint = e.sha256Fingerprint;
        e.delete();
        CertificateEntity.flush();
        secrets.deleteAll(id);
        audit.success("certificate.delete", RESOURCE, id.toString(), fingerprint, "name=" + e.name);
        changed.fire(CertificateChanged.deleted(id));
    }

    public CertificateEntity get(UUID id) {
        CertificateEntity e = CertificateEntity.findById(id);
        if (e == null) {
            throw ProblemException.notFound("Certificate", id);
        }
        return e;
    }

    /** Answers whether the certificate may be presented to host:port under its stored rules. */
    public DomainMatch authorize(UUID id, String host, int port) {
        CertificateEntity e = get(id);
        try {
            // A host that is no host name is bad input (400), not one more way of being refused.
            HostName.normalise(host);
        } catch (IllegalArgumentException ex) {
            throw ProblemException.invalidField("host", "invalid host: " + ex.getMessage());
        }
        try {
            return domainsCache.of(e).match(host, port);
        } catch (IllegalArgumentException ex) {
            throw ProblemException.invalidField("host", ex.getMessage());
        }
    }

    /** One page of certificates by name, each with its consumers, and how many match in all. */
    public record Listed(List<CertificateReads.WithConsumers> items, long total) {
    }

    /**
     * One page, ordered by name, with its total and the consumers of its rows, in one statement
     * ({@link CertificateReads#page}).
     */
    public Listed list(String nameFilter, int page, int size) {
        CertificateReads.Page found = reads.page(ResourceNames.containsPattern(nameFilter),
                (long) page * size, size);
        return new Listed(found.items(), found.total());
    }

    /** The certificate with its consumers, in one statement; 404 when it does not exist. */
    public CertificateReads.WithConsumers getWithConsumers(UUID id) {
        return reads.byId(id).orElseThrow(() -> ProblemException.notFound("Certificate", id));
    }

    /**
     * Writes the row now ({@code write}: its insert or flush). The name was checked before, but a
     * create or rename racing this one can take it in between: the unique index then refuses the
     * row, and that is the same 409 {@code name-taken} as the check's, not a 500.
     */
    private static void writeNamed(CertificateEntity e, Runnable write) {
        try {
            write.run();
        } catch (PersistenceException ex) {
            if (CertificateEntity.nameTakenIn(ex)) {
                throw nameTaken("A certificate named '" + e.name + "' already exists (names are unique regardless of case)");
            }
            throw ex;
        }
    }

    private void requireUniqueName(String name, UUID self) {
        requireNameFree(nameHolders.find(name), self);
    }

    private static void requireNameFree(NameHolders.Holder other, UUID self) {
        if (other != null && !other.id().equals(self)) {
            throw nameTaken("A certificate named '" + other.name() + "' already exists (names are unique regardless of case)");
        }
    }

    private static ProblemException nameTaken(String detail) {
        return new ProblemException(409, "name-taken", "Conflict", detail,
                List.of(new FieldError("name", "already in use")));
    }

    private void applyMetadata(CertificateEntity e, CertificateUpload upload, AuthorizedDomains domains) {
        e.name = upload.name();
        e.nameKey = dev.keyline.common.validation.ResourceNames.key(upload.name());
        e.description = upload.description();
        e.authorizedDomains = domains.canonical();
        e.updatedAt = Instant.now();
        e.updatedBy = caller.name();
    }

    private static void applyMaterial(CertificateEntity e, ValidatedCertificate valid) {
        CertificateSummary s = valid.summary();
        e.subject = s.subject();
        e.issuer = s.issuer();
        e.serialNumber = s.serialNumberHex();
        e.notBefore = s.notBefore();
        e.notAfter = s.notAfter();
        e.sha256Fingerprint = s.sha256Fingerprint();
        e.keyAlgorithm = valid.key().algorithm();
        e.keySizeBits = valid.key().sizeBits();
        e.chainLength = valid.chain().size();
        e.hasPassphrase = valid.passphrase() != null;
        e.caSubject = valid.caCertificates().isEmpty() ? null
                : valid.caCertificates().get(0).getSubjectX500Principal().getName();
    }

    private void stampUpdate(CertificateEntity e) {
        e.updatedAt = Instant.now();
        e.updatedBy = caller.name();
    }

    /**
     * What Vault stores: the key as plain PKCS#8, decrypted once here at upload. The uploader's
     * passphrase and KDF parameters are dropped, so reading the key back never repeats a KDF whose
     * cost the uploader chose; Vault's barrier encrypts it at rest (README.md, Security).
     */
    private static StoredMaterial material(ValidatedCertificate valid) {
        return new StoredMaterial(valid.certificatePem(), Pkcs8.toPem(valid.key().privateKey()), null,
                valid.caCertificatePem());
    }

    private static String or(String given, String stored) {
        return given != null ? given : stored;
    }

    private static String fingerprints(String before, String after) {
        return before.equals(after) ? after : before + " -> " + after;
    }

}
