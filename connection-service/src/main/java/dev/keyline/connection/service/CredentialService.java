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
 *
 * <p>
 * The login runs under the connection's row lock ({@link ConnectionStore#withRowLock}), which key-slot
 * changes take too: a slot cannot be unset between the login that proved its key and the swap storing it.
 *
 * <p>
 * Only a rejected key (390144) answers 422 {@code credential-login-failed}: the caller should give the
 * key up. Every other failure keeps the problem {@code /test} answers ({@link SnowflakeProblems}), so an
 * outage stays 504 {@code snowflake-timeout} / 502 {@code snowflake-unreachable} and may be retried.
 * Nothing is stored in either case.
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
            return store.withRowLock(id, e.timeoutSecs, locked -> {
                ConnectionStore.requireCredentialVersion(locked, expectedCredentialVersion);
                login(locked, key);
                return store.swapCredential(id, key, expectedCredentialVersion);
            });
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
            String why = " (" + SnowflakeProblems.slug(f.kind()) + "): "
                    + SnowflakeProblems.detail(f, logins.who(e, key.fingerprint(), null));
            if (f.kind() == SnowflakeFailure.Kind.JWT_REJECTED) {
                throw new ProblemException(422, "credential-login-failed", "Login with the new key failed",
                        "Logging in with the new key failed, so nothing was stored" + why);
            }
            // Not a verdict on the key (an outage, a timeout, a privilege): the same problem /test answers.
            throw SnowflakeProblems.problem(f, "The login with the new key did not complete, so nothing was stored" + why);
        }
    }

    private void record(ConnectionEntity e, String newFingerprint, String detail) {
        audit.standalone(ACTION, ConnectionStore.RESOURCE, e.id.toString(), Outcome.FAILED,
                newFingerprint == null ? e.keyFingerprint : e.keyFingerprint + " -> " + newFingerprint, detail);
    }
}
