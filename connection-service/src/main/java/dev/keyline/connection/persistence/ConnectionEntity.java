package dev.keyline.connection.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.keyline.common.jdbc.UniqueViolation;
import dev.keyline.connection.ConnectionType;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * Metadata of one connection. Everything here is public information; the private key lives in
 * Vault at {@link #vaultPath}, version {@link #vaultVersion}, as plain PKCS#8 (an encrypted upload is
 * decrypted once and its passphrase dropped; versions written before that hold key and passphrase).
 */
@Entity
@Table(name = "connection")
public class ConnectionEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String name;

    /** {@link ResourceNames#key} of the name: unique, so names differing only in case or composition collide. */
    @Column(name = "name_key", nullable = false, unique = true)
    public String nameKey;

    public String description;

    /** {@code snowflake} or {@code api}, see {@link ConnectionType#wire()}. */
    @Column(nullable = false)
    public String type;

    @Column(name = "timeout_secs", nullable = false)
    public int timeoutSecs;

    /** Sigma's display option (friendly names instead of Snowflake identifiers), kept as the client gave it. */
    @Column(name = "use_friendly_names", nullable = false)
    public boolean useFriendlyNames;

    // ---- snowflake --------------------------------------------------------------------------

    /** The account identifier as given (org-account or locator, possibly with region). */
    public String account;

    /** Normalised endpoint override ({@code https://host[:port]} or loopback {@code http://...}); null = default. */
    public String host;

    /** The login name the driver sends. */
    @Column(name = "snowflake_user")
    public String user;

    public String role;

    public String warehouse;

    @Column(name = "database_name")
    public String database;

    @Column(name = "schema_name")
    public String schema;

    @Column(name = "auth_type")
    public String authType;

    /** {@code SHA256:<base64>} of the stored private key's public key, as DESC USER shows it. */
    @Column(name = "key_fingerprint")
    public String keyFingerprint;

    @Column(name = "key_size_bits")
    public Integer keySizeBits;

    /** Whether the key as uploaded was encrypted (came with a passphrase); the passphrase is not stored. */
    @Column(name = "has_passphrase", nullable = false)
    public boolean hasPassphrase;

    /** The connection used to read and change this connection's user's key slots; null = itself. */
    @Column(name = "key_admin_connection_id")
    public UUID keyAdminConnectionId;

    /**
     * Key-admin connections: the Snowflake users (names or {@code *} patterns) whose keys it may
     * change, one per line; null for every other connection.
     */
    @Column(name = "manages_users")
    public String managesUsers;

    /** Bumped by every credential swap; clients compare-and-set on it. */
    @Column(name = "credential_version", nullable = false)
    public int credentialVersion;

    @Column(name = "vault_path")
    public String vaultPath;

    /** The Vault KV version holding this row's key; reads ask for exactly this version. */
    @Column(name = "vault_version", nullable = false)
    public int vaultVersion;

    // ---- api --------------------------------------------------------------------------------

    @Column(name = "base_url")
    public String baseUrl;

    @Column(name = "certificate_id")
    public UUID certificateId;

    // ---- bookkeeping ------------------------------------------------------------------------

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

    public ConnectionType connectionType() {
        return ConnectionType.fromWire(type);
    }

    public boolean isSnowflake() {
        return ConnectionType.SNOWFLAKE.wire().equals(type);
    }

    /** The declared users (names or patterns); empty unless this is a key-admin connection. */
    public List<String> managedUsers() {
        return managesUsers == null || managesUsers.isEmpty() ? List.of() : List.of(managesUsers.split("\n"));
    }

    /** A connection that declares users it manages is a key-admin. */
    public boolean isKeyAdmin() {
        return managesUsers != null && !managesUsers.isEmpty();
    }

    /**
     * The unique indexes on the name (migrations V1 and V12_2): a create or rename that lost a race for
     * a name learns it from the index ({@link UniqueViolation}).
     */
    private static final Set<String> NAME_CONSTRAINTS = Set.of("connection_name_key_unique",
            "connection_name_unique");

    /** Whether {@code failure} (from an insert or a flush) is a unique index on the name refusing the row. */
    public static boolean nameTakenIn(Throwable failure) {
        return UniqueViolation.of(failure, NAME_CONSTRAINTS);
    }
}
