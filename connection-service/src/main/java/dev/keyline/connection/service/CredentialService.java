package dev.keyline.connection.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.audit.Outcome;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.snowflake.SnowflakeFailure;
import dev.keyline.connection.snowflake.SnowflakeGateway;
import dev.keyline.connection.vault.ConnectionSecrets;
import dev.keyline.common.vault.VaultUnavailableException;
import dev.keyline.common.vault.VaultVersionConflictException;

/**
 * Replaces a connection's stored private key: only after a real login with the new key succeeded,
 * and only if the credential version is still the one the caller read (compare-and-set).
 */
@ApplicationScoped
public class CredentialService {

    static final String ACTION = "connection.credentials.swap";

    @Inject
    ConnectionStore store;

    @Inject
    ConnectionValidator validator;

    @Inject
    SnowflakeLogins logins;

    @Inject
    SnowflakeGateway gateway;

    @Inject
    AuditTrail audit;

    public ConnectionEntity swap(UUID id, String privateKey, String passphrase, int expectedCredentialVersion) {
        ConnectionEntity e = store.get(id);
        if (!e.isSnowflake()) {
            throw new ProblemException(409, "not-a-snowflake-connection", "Not a Snowflake connection",
                    "Only Snowflake connections have stored private keys");
        }
        String newFingerprint = null;
        try {
            // A stale caller learns it before a login is spent; the store checks again under a row lock.
            ConnectionStore.requireCredentialVersion(e, expectedCredentialVersion);
            ValidatedKey key = validator.key(privateKey, passphrase, "");
            newFingerprint = key.fingerprint();
            login(e, key);
            return store.swapCredential(id, key, expectedCredentialVersion);
        } catch (ProblemException p) {
            record(e, newFingerprint, p.slug());
            throw p;
        } catch (VaultUnavailableException | VaultVersionConflictException x) {
            record(e, newFingerprint, x instanceof VaultUnavailableException ? "vault-unavailable" : "concurrent-change");
            throw x;
        }
    }

    private void login(ConnectionEntity e, ValidatedKey key) {
        try {
            gateway.withSession(logins.with(e, key.parsed().privateKey()), s -> s.identity());
        } catch (SnowflakeFailure f) {
            String slug = SnowflakeProblems.slug(f.kind());
            throw new ProblemException(422, "credential-login-failed", "Login with the new key failed",
                    "Logging in with the new key failed, so nothing was stored (" + slug + "): "
                            + SnowflakeProblems.detail(f, logins.who(e, key.fingerprint(), null)));
        }
    }

    private void record(ConnectionEntity e, String newFingerprint, String detail) {
        audit.standalone(ACTION, ConnectionStore.RESOURCE, e.id.toString(), Outcome.FAILED,
                newFingerprint == null ? e.keyFingerprint : e.keyFingerprint + " -> " + newFingerprint, detail);
    }
}
