package dev.keyline.connection.service;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.validation.ResourceNames;
import dev.keyline.connection.ConnectionType;
import dev.keyline.connection.LoginCheck;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.persistence.ConnectionReads;
import dev.keyline.connection.work.ConnectionWork;
import dev.keyline.connection.snowflake.SessionIdentity;
import dev.keyline.connection.snowflake.SnowflakeFailure;
import dev.keyline.connection.snowflake.SnowflakeGateway;
import dev.keyline.connection.snowflake.SnowflakeIdentifiers;
import dev.keyline.connection.snowflake.SnowflakeLogin;

/**
 * Creates, replaces and deletes connections. Validation and the create-time test login happen
 * before any transaction; {@link ConnectionStore} then writes PostgreSQL and Vault together.
 */
@ApplicationScoped
public class ConnectionService {

    @Inject
    ConnectionValidator validator;

    @Inject
    ConnectionStore store;

    @Inject
    ConnectionReads reads;

    @Inject
    ConnectionTester tester;

    @Inject
    AuditTrail audit;

    @Inject
    ConnectionWork work;

    @Inject
    SnowflakeLogins logins;

    @Inject
    KeyAdminScope scope;

    @Inject
    CertificateCoverage certificates;

    @Inject
    KeySlotService keySlots;

    @Inject
    SnowflakeGateway gateway;

    /** A new connection with the outcome of its first login (null for API connectors). */
    public record Created(ConnectionEntity connection, LoginCheck testLogin) {
    }

    public Created create(ConnectionDraft draft) {
        ConnectionInput in = validateNew(draft, List.of());
        // Cheap checks first: a taken name should not cost a Snowflake login.
        store.requireUniqueName(in.name(), null);
        if (in.isSnowflake()) {
            checkKeyAdmin(in, null);
        } else {
            certificates.check(in.certificateId(), in.baseUrl());
        }
        if (in.generatesKey()) {
            return createWithGeneratedKey(in);
        }
        // The key need not be registered yet (admins often register it afterwards): say how the login went.
        LoginCheck check = in.isSnowflake() ? tester.tryLogin(in) : null;
        ConnectionEntity created = store.create(in);
        return new Created(created, withSlotDiagnosis(check, created));
    }

    /**
     * A first login Snowflake refused as a JWT it cannot match (390144) says, as {@code /test} does, what
     * the key-admin connection sees in the user's key slots: most often the key is not registered yet.
     */
    private LoginCheck withSlotDiagnosis(LoginCheck check, ConnectionEntity created) {
        if (check == null || check.ok() || !"snowflake-jwt-rejected".equals(check.type())) {
            return check;
        }
        String diagnosis = keySlots.diagnoseRejectedKey(created);
        return diagnosis == null ? check
                : new LoginCheck(false, check.code(), check.type(), check.detail() + ". " + diagnosis, check.latencyMillis(),
                        check.errors());
    }

    /**
     * The first key pair of a user, made here so no person ever handles it: generated on the bounded
     * key pool, its public key set in a free slot through the key-admin connection (whose scope
     * {@link #checkKeyAdmin} checked), a real login with it, and only then the row and Vault. Any
     * failure after the slot was set unsets it again (if it still holds this key) and stores nothing.
     */
    private Created createWithGeneratedKey(ConnectionInput in) {
        ValidatedKey key = work.keys(() -> ValidatedKey.generate(in.generateKeyBits()));
        ConnectionEntity admin = store.get(in.keyAdminConnectionId());
        int slot = keySlots.registerInFreeSlot(admin, in.user(), key.parsed().publicKey());
        try {
            ConnectionInput generated = in.withGeneratedKey(key, slot);
            LoginCheck check = verifiedLogin(generated);
            return new Created(store.create(generated), check);
        } catch (RuntimeException e) {
            String reason = e instanceof ProblemException p ? p.slug() : e.getClass().getSimpleName();
            keySlots.unsetIfHolds(admin, in.user(), slot, key.fingerprint(), reason);
            throw e;
        }
    }

    /** A login with the generated key that must succeed: its failure is the creation's (nothing stored). */
    private LoginCheck verifiedLogin(ConnectionInput in) {
        long start = System.nanoTime();
        SnowflakeLogin login = logins.with(in, in.key().parsed().privateKey());
        SessionIdentity session;
        try {
            session = gateway.withSession(login, s -> s.identity());
        } catch (SnowflakeFailure f) {
            throw CredentialService.newKeyLoginFailed(f, new SnowflakeProblems.Who(in.name(), in.account(), in.user(),
                    in.role(), in.key().fingerprint(), null), ", so the generated key was unregistered and nothing stored",
                    "details.generateKeyPair");
        }
        // The key works (it is kept); a warehouse or database the session did not get is the test's answer.
        LoginCheck notApplied = SessionSettings.notAppliedCheck(login, session);
        return notApplied != null ? notApplied
                : new LoginCheck(true, null, null, "Logged in as " + in.user() + " with the generated key",
                        java.time.Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    /** A replaced connection with how a login with its stored key went, when the change touched the login (else null). */
    public record Replaced(ConnectionEntity connection, LoginCheck testLogin) {
    }

    /**
     * Replaces a connection. When a Snowflake connection holding a key changed what its login uses
     * (account, host, user, role, warehouse, database, schema), it logs in once more with the stored key
     * and says how that went, as a create does: a role the user lacks would otherwise only show at the
     * next test or rotation.
     */
    public Replaced replaceAndTryLogin(UUID id, ConnectionDraft draft, Long expectedVersion) {
        ConnectionEntity existing = store.get(id);
        List<String> before = loginSettings(existing);
        ConnectionEntity replaced = replace(id, draft, expectedVersion);
        boolean loginChanged = replaced.isSnowflake() && replaced.keyFingerprint != null
                && !before.equals(loginSettings(replaced));
        return new Replaced(replaced, loginChanged ? tester.tryStoredLogin(id) : null);
    }

    private static List<String> loginSettings(ConnectionEntity e) {
        return java.util.Arrays.asList(e.account, e.host, e.user, e.role, e.warehouse, e.database, e.schema);
    }

    public ConnectionEntity replace(UUID id, ConnectionDraft draft, Long expectedVersion) {
        ConnectionEntity existing = store.get(id);
        ConnectionInput in = validateReplacement(draft, existing.connectionType(), keyAdminReferenceProblems(draft, id));
        if (in.isSnowflake()) {
            requireKeyToMove(existing, in);
            checkKeyAdmin(in, id);
        } else if (in.certificateId() != null
                && !(in.certificateId().equals(existing.certificateId) && in.baseUrl().equals(existing.baseUrl))) {
            certificates.check(in.certificateId(), in.baseUrl());
        }
        ConnectionEntity replaced = store.replace(id, in, expectedVersion);
        gateway.forgetKeyAdminSessions(id); // logged in with the old settings
        return replaced;
    }

    /**
     * The 400 of a create ({@code id} null) or replace whose body bean validation refused: those
     * violations and every finding of the service's own checks, in one answer, so the caller fixes
     * them in one go instead of learning of the next one at each attempt. Always throws. Nothing is
     * read but the key-admin connection named and, on replace, the connection's type.
     */
    public void refuse(UUID id, ConnectionDraft draft, List<FieldError> violations) {
        if (draft == null) {
            // No details: which checks apply depends on them.
            throw ProblemException.invalidFields(violations);
        }
        if (id == null) {
            validateNew(draft, violations);
        } else {
            ConnectionEntity existing = store.find(id);
            List<FieldError> earlier = new java.util.ArrayList<>(violations);
            earlier.addAll(keyAdminReferenceProblems(draft, id));
            validateReplacement(draft, existing == null ? null : existing.connectionType(), earlier);
        }
        throw ProblemException.invalidFields(violations);
    }

    /** Validates a create with {@code violations} (bean validation's) and the key-admin reference's problems. */
    private ConnectionInput validateNew(ConnectionDraft draft, List<FieldError> violations) {
        List<FieldError> earlier = new java.util.ArrayList<>(violations);
        earlier.addAll(keyAdminReferenceProblems(draft, null));
        // A key (and its KDF) is parsed on the bounded key pool; 503 with Retry-After when it is full.
        return draft.privateKey() == null ? validator.validateNew(draft, earlier)
                : work.keys(() -> validator.validateNew(draft, earlier));
    }

    /**
     * Validates a replace as {@link #validateNew} does a create: a key sent again (to move the connection)
     * is parsed on the bounded key pool under the caller's share (429 past it, 503 when the pool is full),
     * not on the request's worker thread: an encrypted key at the KDF ceiling costs about a second of CPU,
     * and a caller's parallel PUTs held as many worker threads as it sent.
     */
    private ConnectionInput validateReplacement(ConnectionDraft draft, ConnectionType existing, List<FieldError> earlier) {
        return draft.privateKey() == null ? validator.validateReplacement(draft, existing, earlier)
                : work.keys(() -> validator.validateReplacement(draft, existing, earlier));
    }

    /**
     * What is wrong with {@code details.keyAdminConnectionId} as a reference (itself, no such connection,
     * not Snowflake, another account): found before the other checks so it is named with them, not
     * after they pass. Empty when it is absent or the connection is no Snowflake one (the validator
     * refuses the field for API connectors).
     */
    private List<FieldError> keyAdminReferenceProblems(ConnectionDraft draft, UUID self) {
        UUID adminId = draft.keyAdminConnectionId();
        if (adminId == null || !"snowflake".equals(draft.type())) {
            return List.of();
        }
        String account = draft.account() == null ? null : draft.account().strip();
        ConnectionEntity admin = adminId.equals(self) ? null : store.find(adminId);
        String reason = keyAdminReferenceProblem(adminId, admin, self, account,
                dev.keyline.connection.snowflake.SnowflakeEndpoint.accountProblem(account) == null);
        return reason == null ? List.of() : List.of(new FieldError(KEY_ADMIN_FIELD, reason));
    }

    private static final String KEY_ADMIN_FIELD = "details.keyAdminConnectionId";

    /**
     * Why {@code adminId} ({@code admin} as read, null when none) cannot be this connection's key admin,
     * or null; the account compared only when it is one.
     */
    private static String keyAdminReferenceProblem(UUID adminId, ConnectionEntity admin, UUID self, String account,
            boolean compareAccount) {
        if (adminId.equals(self)) {
            return "must be another connection; leave it out to use this connection itself";
        }
        if (admin == null) {
            return "no connection has this id";
        }
        if (!admin.isSnowflake()) {
            return "must be a snowflake connection";
        }
        if (compareAccount && !admin.account.equalsIgnoreCase(account)) {
            return "is a connection to account " + admin.account
                    + "; keys can only be changed by a connection to the same account";
        }
        return null;
    }

    public void delete(UUID id) {
        store.delete(id);
        logins.forget(id);
        gateway.forgetKeyAdminSessions(id);
    }

    /** The connection for {@code GET …/{id}}, read without Hibernate ({@link ConnectionReads}); 404 when absent. */
    public ConnectionEntity get(UUID id) {
        ConnectionEntity e = reads.byId(id);
        if (e == null) {
            throw ProblemException.notFound("Connection", id);
        }
        return e;
    }

    /** One page by name, and how many match, in one statement ({@link ConnectionReads#page}). */
    public ConnectionReads.Page list(String nameFilter, int page, int size) {
        return reads.page(ResourceNames.containsPattern(nameFilter), (long) page * size, size);
    }

    /**
     * A stored key signs in where the connection points: another account, host or user, or a
     * key-admin declaring users it did not declare before, needs the stored key presented again in
     * the same request (400 {@code key-required}); a different key is refused (422
     * {@code key-mismatch}): keys change through PUT …/credentials, which logs in with them first.
     */
    private static void requireKeyToMove(ConnectionEntity existing, ConnectionInput in) {
        boolean moved = !existing.account.equalsIgnoreCase(in.account())
                || !java.util.Objects.equals(existing.host, in.hostOverride())
                || !SnowflakeIdentifiers.objectName(existing.user).equals(SnowflakeIdentifiers.objectName(in.user()))
                || !existing.managedUsers().containsAll(in.managesUsers());
        String field = "details.privateKey";
        if (in.key() == null) {
            if (moved) {
                throw new ProblemException(400, "key-required", "Key required",
                        "Changing account, host or user of a connection that holds a key (or widening a key-admin's "
                                + "managesUsers) needs its stored private key in the same request",
                        List.of(new FieldError(field, "is required to change account, host, user or managesUsers")));
            }
            return;
        }
        if (!in.key().fingerprint().equals(existing.keyFingerprint)) {
            throw new ProblemException(422, "key-mismatch", "Not the stored key",
                    "The private key given is not the connection's stored key (" + existing.keyFingerprint
                            + "); replace keys with PUT /api/v1/connections/{id}/credentials, which logs in with them first",
                    List.of(new FieldError(field, "is not the stored key")));
        }
    }

    /**
     * A key-admin connection must be another Snowflake connection of the same account: key slots
     * are changed by a user of the account whose role may alter the target user. Its scope must
     * cover this connection's user ({@link KeyAdminScope}), and a key-admin's own declaration
     * must leave out its own user and other key-admins'.
     */
    private void checkKeyAdmin(ConnectionInput in, UUID self) {
        scope.checkDeclaration(self, in.account(), in.user(), in.managesUsers());
        UUID adminId = in.keyAdminConnectionId();
        String account = in.account();
        if (adminId == null) {
            return;
        }
        // Checked with the other fields already (keyAdminReferenceProblems); again here, where the
        // connection is read for the scope check, in case it changed in between.
        ConnectionEntity admin = adminId.equals(self) ? null : store.find(adminId);
        String problem = keyAdminReferenceProblem(adminId, admin, self, account, true);
        if (problem != null) {
            throw ProblemException.invalidField(KEY_ADMIN_FIELD, problem);
        }
        scope.checkTarget(admin, self, in.user(), !in.managesUsers().isEmpty());
    }
}
