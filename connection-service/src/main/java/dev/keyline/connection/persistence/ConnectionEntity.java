package dev.keyline.connection.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.keyline.connection.ConnectionType;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * Metadata of one connection. Everything here is public information; the private key and its
 * passphrase live in Vault at {@link #vaultPath}, version {@link #vaultVersion}.
 */
@Entity
@Table(name = "connection")
public class ConnectionEntity extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String name;

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

    /** The key-admin connections of an account. */
    public static List<ConnectionEntity> keyAdminsOf(String account) {
        return list("managesUsers is not null and lower(account) = ?1", account.toLowerCase(java.util.Locale.ROOT));
    }

    public static ConnectionEntity findByName(String name) {
        return find("name", name).firstResult();
    }

    public static long countKeyAdminUsers(UUID adminId) {
        return count("keyAdminConnectionId", adminId);
    }
}
