package dev.keyline.connection.service;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.audit.Outcome;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.problem.Violations;
import dev.keyline.connection.TestResult;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.snowflake.SessionIdentity;
import dev.keyline.connection.snowflake.SnowflakeLogin;
import dev.keyline.connection.snowflake.SnowflakeFailure;
import dev.keyline.connection.snowflake.SnowflakeGateway;
import dev.keyline.connection.work.ConnectionWork;
import dev.keyline.common.vault.VaultUnavailableException;
import dev.keyline.common.vault.VaultVersionConflictException;

/**
 * Replaces a connection's stored private key: only after a real login with the new key succeeded,
 * and only if the credential version is still the one the caller read (compare-and-set). Also checks
 * a candidate key without storing it ({@link #check}), which is how a rotation verifies a new key
 * before anything depends on it.
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

    private static final Logger LOG = Logger.getLogger(CredentialService.class);

    static final String ACTION = "connection.credentials.swap";
    static final String CHECK_ACTION = "connection.credentials.check";

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

    @Inject
    ConnectionWork work;

    @Inject
    KeyAdminScope scope;

    /**
     * The 400 of a credential swap or candidate test whose body bean validation refused: those
     * violations and the key's own problems (parsed on the key pool, unless bean validation refused the
     * key or its passphrase already) in one answer. Always throws; nothing is read or stored.
     */
    public void refuse(String privateKey, String passphrase, List<FieldError> violations) {
        List<FieldError> errors = new java.util.ArrayList<>(violations);
        if (privateKey != null && !privateKey.isBlank() && !Violations.covered("privateKey", violations)
                && !Violations.covered("privateKeyPassphrase", violations)) {
            try {
                work.keys(() -> validator.key(privateKey, passphrase, ""));
            } catch (ProblemException p) {
                if (p.status() != 400) {
                    throw p; // the key pool's 429/503: honest, and no field's fault
                }
                errors.addAll(p.errors());
            }
        }
        throw ProblemException.invalidFields(errors);
    }

    public ConnectionEntity swap(UUID id, String privateKey, String passphrase, int expectedCredentialVersion) {
        ConnectionEntity e = store.getSnowflake(id, "Only Snowflake connections have private keys");
        String newFingerprint = null;
        try {
            // A stale caller learns it before a login is spent; the store checks again under a row lock.
            ConnectionStore.requireCredentialVersion(e, expectedCredentialVersion);
            if (e.keyAdminConnectionId != null) {
                // The key its key-admin will register and retire later must be for a user in its scope.
                scope.checkTarget(store.get(e.keyAdminConnectionId), e.id, e.user, e.isKeyAdmin());
            }
            ValidatedKey key = work.keys(() -> validator.key(privateKey, passphrase, ""));
            newFingerprint = key.fingerprint();
            ConnectionEntity swapped = store.withRowLock(id, e.timeoutSecs, locked -> {
                ConnectionStore.requireCredentialVersion(locked, expectedCredentialVersion);
                login(locked, key);
                return store.swapCredential(id, key, expectedCredentialVersion);
            });
            gateway.forgetKeyAdminSessions(id); // logged in with the old key
            return swapped;
        } catch (ProblemException p) {
            record(e, newFingerprint, p.slug());
            throw p;
        } catch (VaultUnavailableException | VaultVersionConflictException x) {
            if (x instanceof VaultVersionConflictException) {
                // Rare under the row lock (a write outside this service raced the swap's): say so, not only the 409.
                LOG.warnf("Credential swap of connection %s: Vault's check-and-set on %s failed, and not because "
                        + "of a missing or orphaned version (a writer other than this service changed the secret "
                        + "meanwhile); nothing was stored: 409 concurrent-change", id, e.vaultPath);
            }
            record(e, newFingerprint, x instanceof VaultUnavailableException ? "vault-unavailable" : "concurrent-change");
            throw x;
        }
    }

    /**
     * Logs in as the connection's user with {@code privateKey}; nothing is stored or changed. Answers
     * like a swap would: 422 {@code credential-login-failed} when Snowflake rejects the key, the
     * problem {@code /test} answers for an outage.
     */
    public TestResult check(UUID id, String privateKey, String passphrase) {
        ConnectionEntity e = store.getSnowflake(id, "Only Snowflake connections have private keys");
        String fingerprint = null;
        try {
            ValidatedKey key = work.keys(() -> validator.key(privateKey, passphrase, ""));
            fingerprint = key.fingerprint();
            SnowflakeLogin login = logins.with(e, key.parsed().privateKey());
            long start = System.nanoTime();
            SessionIdentity identity = login(e, key, login, "; the key was only checked, not stored");
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            // Only checked, nothing stored: written after the answer (AuditOutbox).
            audit.deferred(CHECK_ACTION, ConnectionStore.RESOURCE, e.id.toString(), Outcome.SUCCESS, fingerprint,
                    "user=" + identity.user() + " role=" + identity.role());
            return TestResult.snowflake(millis, identity, fingerprint, login.endpoint().url());
        } catch (ProblemException p) {
            audit.standalone(CHECK_ACTION, ConnectionStore.RESOURCE, e.id.toString(), Outcome.FAILED, fingerprint,
                    p.slug());
            throw p;
        }
    }

    private void login(ConnectionEntity e, ValidatedKey key) {
        login(e, key, logins.with(e, key.parsed().privateKey()), ", so nothing was stored");
    }

    private SessionIdentity login(ConnectionEntity e, ValidatedKey key, SnowflakeLogin login, String consequence) {
        try {
            return gateway.withSession(login, s -> s.identity());
        } catch (SnowflakeFailure f) {
            throw newKeyLoginFailed(f, logins.who(e, key.fingerprint(), null), consequence, "privateKey");
        }
    }

    /**
     * The problem for a failed login with a new key: 422 {@code credential-login-failed} only when
     * Snowflake rejected the key (give it up), otherwise what {@code /test} answers (retry later).
     * Also used when a generated key's first login fails.
     *
     * @param keyField the request's field that gave the key ({@code privateKey}, {@code details.generateKeyPair}):
     *        the field error of {@code credential-login-failed}
     */
    static ProblemException newKeyLoginFailed(SnowflakeFailure f, SnowflakeProblems.Who who, String consequence,
            String keyField) {
        String why = " (" + SnowflakeProblems.slug(f.kind()) + "): " + SnowflakeProblems.detail(f, who);
        if (f.kind() == SnowflakeFailure.Kind.JWT_REJECTED) {
            return new ProblemException(422, "credential-login-failed", "Login with the new key failed",
                    "Logging in with the new key failed" + consequence + why,
                    List.of(new FieldError(keyField, "Snowflake rejected the key with fingerprint " + who.fingerprint()
                            + " for user " + who.user() + " in account " + who.account()
                            + ": it is in neither RSA_PUBLIC_KEY_FP nor RSA_PUBLIC_KEY_2_FP of DESC USER [code 390144]")));
        }
        // Not a verdict on the key (an outage, a timeout, a privilege, a role): the same problem /test answers.
        return SnowflakeProblems.problem(f, "The login with the new key did not complete" + consequence + why, who);
    }

    private void record(ConnectionEntity e, String newFingerprint, String detail) {
        audit.standalone(ACTION, ConnectionStore.RESOURCE, e.id.toString(), Outcome.FAILED,
                newFingerprint == null ? e.keyFingerprint : e.keyFingerprint + " -> " + newFingerprint, detail);
    }
}
