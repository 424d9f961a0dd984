package dev.keyline.connection.service;

import java.security.PrivateKey;
import java.time.Duration;
import java.util.UUID;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import dev.keyline.common.keys.KeyLimitsConfig;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.vault.SecretNotFoundException;
import dev.keyline.connection.config.ConnectionServiceConfig;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.persistence.SnowflakeRow;
import dev.keyline.connection.snowflake.SnowflakeEndpoint;
import dev.keyline.connection.snowflake.SnowflakeHostPolicy;
import dev.keyline.connection.snowflake.SnowflakeLogin;
import dev.keyline.connection.vault.ConnectionSecrets;
import dev.keyline.connection.vault.StoredCredential;
import dev.keyline.connection.work.ConnectionWork;
import dev.keyline.keys.KeyMaterialException;
import dev.keyline.keys.PrivateKeys;

/**
 * Builds driver logins for stored connections: the row's settings plus the key from Vault (exact version).
 *
 * <p>
 * Parsed stored keys are cached, at most {@code connection-service.key-cache.max-entries}, keyed by
 * (connection id, credential version, Vault version) as the row read for this request names them: a
 * swap or delete on any replica moves the row to another credential version (or removes it), so a
 * replaced key is never used again, with no cross-replica invalidation. The credential version is in
 * the key because a Vault version number alone can come back: a swap that recovers a secret missing
 * from Vault (deleted, or Vault restored to an older state) writes version 1, or the one after the
 * restored state, again, with another key. A miss reads Vault and parses on the bounded key pool;
 * new versions are plain PKCS#8 (no KDF), older ones are decrypted there once with their passphrase.
 */
@ApplicationScoped
public class SnowflakeLogins {

    private static final Logger LOG = Logger.getLogger(SnowflakeLogins.class);

    record Version(UUID id, int credentialVersion, int vaultVersion) {
    }

    @Inject
    ConnectionSecrets secrets;

    @Inject
    SnowflakeHostPolicy hostPolicy;

    @Inject
    ConnectionWork work;

    @Inject
    ConnectionServiceConfig config;

    @Inject
    KeyLimitsConfig keyLimits;

    private Cache<Version, PrivateKey> keys;

    @PostConstruct
    void init() {
        keys = Caffeine.newBuilder().maximumSize(config.keyCache().maxEntries()).build();
    }

    /** With the stored key; reading it needs Vault (503 problem when it is away). */
    public SnowflakeLogin stored(ConnectionEntity e) {
        return stored(SnowflakeRow.of(e));
    }

    /** As {@link #stored(ConnectionEntity)}, from the columns the connection test reads. */
    public SnowflakeLogin stored(SnowflakeRow row) {
        return with(row, storedKey(row.id(), row.credentialVersion(), row.vaultVersion()));
    }

    /** The stored key of the version the row points at, parsed once per version. */
    PrivateKey storedKey(UUID id, int credentialVersion, int vaultVersion) {
        // Per key, Caffeine loads once: concurrent first uses of one version share one Vault read and parse.
        return keys.get(new Version(id, credentialVersion, vaultVersion), v -> parse(v, read(v)));
    }

    /**
     * The stored credential, or 500 {@code material-missing} naming the way out when Vault no longer has
     * the version the row points at (deleted by hand, Vault restored from an older backup): logged at
     * ERROR once per request that finds it missing (a failed load is not cached), never with key material.
     */
    private StoredCredential read(Version v) {
        try {
            return secrets.read(v.id(), v.vaultVersion());
        } catch (SecretNotFoundException e) {
            LOG.errorf("The stored key of connection %s is missing from Vault: %s has no version %d (the secret was "
                    + "deleted, or Vault restored to an older state); it works again once the key registered in "
                    + "Snowflake is stored with PUT /api/v1/connections/%s/credentials", v.id(), secrets.pathOf(v.id()),
                    v.vaultVersion(), v.id());
            throw new ProblemException(500, "material-missing", "Material missing",
                    "The stored private key of connection " + v.id() + " is missing from Vault (deleted there, or Vault "
                            + "restored from an older backup), so nothing can log in with it. Store the key that is "
                            + "registered in Snowflake for its user again with PUT /api/v1/connections/" + v.id()
                            + "/credentials (If-Match and expectedCredentialVersion: its credentialVersion, "
                            + v.credentialVersion() + ")");
        }
    }

    /** The public key of the stored key (setup SQL); the private key never leaves this class's cache. */
    public java.security.PublicKey storedPublicKey(ConnectionEntity e) {
        return dev.keyline.keys.PublicKeys.ofRsa(storedKey(e.id, e.credentialVersion, e.vaultVersion));
    }

    /** Forgets a deleted connection's keys at once (other replicas never ask for them again: the row is gone). */
    public void forget(UUID id) {
        keys.asMap().keySet().removeIf(v -> v.id().equals(id));
    }

    int cachedKeys() {
        keys.cleanUp();
        return (int) keys.estimatedSize();
    }

    private PrivateKey parse(Version v, StoredCredential credential) {
        return work.storedKeys(() -> {
            char[] pass = credential.passphraseChars();
            try {
                // Only records stored before keys were kept as plain PKCS#8 still need a derivation.
                return PrivateKeys.parseStored(credential.privateKeyPem(), pass, keyLimits.kdfLimits()).privateKey();
            } catch (KeyMaterialException ex) {
                LOG.errorf("The stored key of connection %s (Vault version %d) cannot be parsed: %s", v.id(),
                        v.vaultVersion(), ex.reason());
                throw new ProblemException(500, "stored-key-unreadable", "Stored key unreadable",
                        "The stored private key of this connection cannot be read; replace it with PUT .../credentials");
            } finally {
                if (pass != null) {
                    java.util.Arrays.fill(pass, '\0');
                }
            }
        });
    }

    /** With another key (a candidate being tried) and the row's settings. */
    public SnowflakeLogin with(ConnectionEntity e, PrivateKey key) {
        return with(SnowflakeRow.of(e), key);
    }

    private SnowflakeLogin with(SnowflakeRow row, PrivateKey key) {
        return new SnowflakeLogin(endpoint(row.account(), row.host()), row.account(), row.user(), row.role(),
                row.warehouse(), row.database(), row.schema(), key, Duration.ofSeconds(row.timeoutSecs()));
    }

    /** With validated, not yet stored settings. */
    public SnowflakeLogin with(ConnectionInput in, PrivateKey key) {
        return new SnowflakeLogin(in.endpoint(), in.account(), in.user(), in.role(), in.warehouse(), in.database(),
                in.schema(), key, Duration.ofSeconds(in.timeoutSecs()));
    }

    public SnowflakeProblems.Who who(ConnectionEntity e, String fingerprint, String keyAdminFor) {
        return who(SnowflakeRow.of(e), fingerprint, keyAdminFor);
    }

    public SnowflakeProblems.Who who(SnowflakeRow row, String fingerprint, String keyAdminFor) {
        return new SnowflakeProblems.Who(row.name(), row.account(), row.user(), row.role(), fingerprint, keyAdminFor);
    }

    private SnowflakeEndpoint endpoint(String account, String host) {
        try {
            return hostPolicy.resolve(account, host);
        } catch (IllegalArgumentException ex) {
            // Stored while the policy allowed it (an emulator, a host since taken off the allow-list), refused now.
            throw new ProblemException(409, "snowflake-endpoint-refused", "Endpoint refused",
                    "The connection's host " + ex.getMessage() + "; change details.host with PUT");
        }
    }
}
