package dev.keyline.connection.service;

import java.security.PrivateKey;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.snowflake.SnowflakeEndpoint;
import dev.keyline.connection.snowflake.SnowflakeHostPolicy;
import dev.keyline.connection.snowflake.SnowflakeLogin;
import dev.keyline.connection.vault.ConnectionSecrets;
import dev.keyline.connection.vault.StoredCredential;
import dev.keyline.keys.KeyMaterialException;
import dev.keyline.keys.PrivateKeys;

/** Builds driver logins for stored connections: the row's settings plus the key from Vault (exact version). */
@ApplicationScoped
public class SnowflakeLogins {

    private static final Logger LOG = Logger.getLogger(SnowflakeLogins.class);

    @Inject
    ConnectionSecrets secrets;

    @Inject
    SnowflakeHostPolicy hostPolicy;

    /** With the stored key; reading it needs Vault (503 problem when it is away). */
    public SnowflakeLogin stored(ConnectionEntity e) {
        StoredCredential credential = secrets.read(e.id, e.vaultVersion);
        char[] pass = credential.passphraseChars();
        try {
            return with(e, PrivateKeys.parse(credential.privateKeyPem(), pass).privateKey());
        } catch (KeyMaterialException ex) {
            LOG.errorf("The stored key of connection %s (Vault version %d) cannot be parsed: %s", e.id, e.vaultVersion,
                    ex.reason());
            throw new ProblemException(500, "stored-key-unreadable", "Stored key unreadable",
                    "The stored private key of this connection cannot be read; replace it with PUT .../credentials");
        } finally {
            if (pass != null) {
                java.util.Arrays.fill(pass, '\0');
            }
        }
    }

    /** With another key (a candidate being tried) and the row's settings. */
    public SnowflakeLogin with(ConnectionEntity e, PrivateKey key) {
        return new SnowflakeLogin(endpoint(e), e.account, e.user, e.role, e.warehouse, e.database, e.schema, key,
                Duration.ofSeconds(e.timeoutSecs));
    }

    /** With validated, not yet stored settings. */
    public SnowflakeLogin with(ConnectionInput in, PrivateKey key) {
        return new SnowflakeLogin(in.endpoint(), in.account(), in.user(), in.role(), in.warehouse(), in.database(),
                in.schema(), key, Duration.ofSeconds(in.timeoutSecs()));
    }

    public SnowflakeProblems.Who who(ConnectionEntity e, String fingerprint, String keyAdminFor) {
        return new SnowflakeProblems.Who(e.name, e.account, e.user, e.role, fingerprint, keyAdminFor);
    }

    private SnowflakeEndpoint endpoint(ConnectionEntity e) {
        try {
            return hostPolicy.resolve(e.account, e.host);
        } catch (IllegalArgumentException ex) {
            // Stored while the policy allowed it (an emulator, a host since taken off the allow-list), refused now.
            throw new ProblemException(409, "snowflake-endpoint-refused", "Endpoint refused",
                    "The connection's host " + ex.getMessage() + "; change details.host with PUT");
        }
    }
}
