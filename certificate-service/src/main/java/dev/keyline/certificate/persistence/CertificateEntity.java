package dev.keyline.certificate.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;

import dev.keyline.common.jdbc.UniqueViolation;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * Metadata of one stored client certificate. Everything here is public information about the
 * certificate; the certificate PEM, key, passphrase and CA live in Vault at {@link #vaultPath},
 * version {@link #vaultVersion}.
 */
@Entity
@Table(name = "certificate")
public class CertificateEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String name;

    /** {@link dev.keyline.common.validation.ResourceNames#key} of the name: unique regardless of case. */
    @Column(name = "name_key", nullable = false, unique = true)
    public String nameKey;

    public String description;

    /** Canonical rules as {@code AuthorizedDomains#canonical()} writes them. */
    @JdbcTypeCode(SqlTypes.ARRAY)
    @Column(name = "authorized_domains", nullable = false)
    public List<String> authorizedDomains;

    @Column(nullable = false)
    public String subject;

    @Column(nullable = false)
    public String issuer;

    @Column(name = "serial_number", nullable = false)
    public String serialNumber;

    @Column(name = "not_before", nullable = false)
    public Instant notBefore;

    @Column(name = "not_after", nullable = false)
    public Instant notAfter;

    @Column(name = "sha256_fingerprint", nullable = false)
    public String sha256Fingerprint;

    @Column(name = "key_algorithm", nullable = false)
    public String keyAlgorithm;

    @Column(name = "key_size_bits", nullable = false)
    public int keySizeBits;

    @Column(name = "chain_length", nullable = false)
    public int chainLength;

    @Column(name = "has_passphrase", nullable = false)
    public boolean hasPassphrase;

    @Column(name = "ca_subject")
    public String caSubject;

    @Column(name = "vault_path", nullable = false)
    public String vaultPath;

    /** The Vault KV version holding this row's material; reads ask for exactly this version. */
    @Column(name = "vault_version", nullable = false)
    public int vaultVersion;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "created_by", nullable = false)
    public String createdBy;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "updated_by", nullable = false)
    public String updatedBy;

    @Version
    public long version;

    /**
     * The unique indexes on the name (migrations V1 and V12_2): an insert refused by one of them means
     * the name is taken, which a create learns from the insert instead of a SELECT before it.
     */
    private static final Set<String> NAME_CONSTRAINTS = Set.of("certificate_name_key_unique",
            "certificate_name_unique");

    /** Whether {@code failure} (from an insert or a flush) is a unique index on the name refusing the row. */
    public static boolean nameTakenIn(Throwable failure) {
        return UniqueViolation.of(failure, NAME_CONSTRAINTS);
    }
}
