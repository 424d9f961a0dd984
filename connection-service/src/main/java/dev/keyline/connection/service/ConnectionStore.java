package dev.keyline.connection.service;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;


import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.security.Caller;
import dev.keyline.common.validation.ResourceNames;
import dev.keyline.connection.ConnectionType;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.snowflake.SnowflakeIdentifiers;
import dev.keyline.connection.vault.ConnectionSecrets;
import dev.keyline.connection.vault.StoredCredential;
import dev.keyline.keys.Pkcs8;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Parameters;

/**
 * The writes that must keep PostgreSQL and Vault in agreement, each in one transaction.
 *
 * <p>
 * The row is written and flushed first (a duplicate name fails before Vault is touched), then
 * Vault (check-and-set), then the transaction commits. If Vault fails, the exception rolls the row
 * back. If the commit itself fails after Vault succeeded, a transaction synchronization undoes the
 * Vault write. Rows point at an exact Vault version, so a half-finished change never alters what an
 * existing row reads. Nothing here talks to Snowflake: slow network calls stay outside transactions,
 * except under {@link #withRowLock}, which serializes a credential swap with key-slot changes, and an
 * API connector's registration at its certificate ({@link CertificateUse}, one short idempotent call
 * before the commit so a refused registration saves nothing).
 */
@ApplicationScoped
public class ConnectionStore {

    public static final String RESOURCE = "connection";

    @Inject
    ConnectionSecrets secrets;

    @Inject
    AuditTrail audit;

    @Inject
    Caller caller;

    @Inject
    CertificateUse certificateUse;

    @Transactional
    public ConnectionEntity create(ConnectionInput in) {
        requireUniqueName(in.name(), null);
        ConnectionEntity e = new ConnectionEntity();
        e.id = UUID.randomUUID();
        e.type = in.type().wire();
        e.createdAt = Instant.now();
        e.createdBy = caller.name();
        apply(e, in);
        if (in.isSnowflake()) {
            e.authType = in.authType();
            e.vaultPath = secrets.pathOf(e.id);
            applyKey(e, in.key());
            e.credentialVersion = 1;
            e.vaultVersion = 0;
        }
        writeNamed(e, e::persistAndFlush);
        if (in.isSnowflake()) {
            e.vaultVersion = secrets.createInTransaction(e.id, credential(in.key()));
        }
        // API connectors: registered at certificate-service before the commit (a refusal saves nothing).
        certificateUse.register(e, true);
        audit.success("connection.create", RESOURCE, e.id.toString(), e.keyFingerprint,
                "name=" + e.name + " type=" + e.type + (in.generatesKey()
                        ? " generated=true keyBits=" + in.generateKeyBits() + " slot=" + in.registeredSlot() : ""));
        return e;
    }

    @Transactional
    public ConnectionEntity replace(UUID id, ConnectionInput in, Long expectedVersion) {
        ConnectionEntity e = get(id);
        if (expectedVersion != null && expectedVersion != e.version) {
            throw new ProblemException(412, "stale-version", "Precondition failed",
                    "The connection changed since version " + expectedVersion + "; it is now at version " + e.version);
        }
        requireUniqueName(in.name(), id);
        String changes = ConnectionChanges.describe(e, in);
        UUID certificateBefore = e.certificateId;
        apply(e, in);
        writeNamed(e, () -> ConnectionEntity.flush());
        // Registered on every save (idempotent: keeps the name current, and registers connectors saved
        // before registrations existed); a new certificate first (before the commit), the old one left after it.
        boolean newCertificate = !java.util.Objects.equals(certificateBefore, e.certificateId);
        certificateUse.register(e, newCertificate);
        if (newCertificate) {
            certificateUse.unregisterAfterCommit(certificateBefore, id);
        }
        audit.success("connection.update", RESOURCE, id.toString(), e.keyFingerprint, changes);
        return e;
    }

    /**
     * Stores a new key if the credential version is still {@code expectedCredentialVersion}: the row
     * is locked, compared, then Vault is written with check-and-set on the version the row points at.
     */
    @Transactional
    public ConnectionEntity swapCredential(UUID id, ValidatedKey key, int expectedCredentialVersion) {
        ConnectionEntity e = ConnectionEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (e == null) {
            throw ProblemException.notFound("Connection", id);
        }
        requireCredentialVersion(e, expectedCredentialVersion);
        String oldFingerprint = e.keyFingerprint;
        applyKey(e, key);
        e.credentialVersion = e.credentialVersion + 1;
        stamp(e);
        e.flush();
        e.vaultVersion = secrets.writeInTransaction(id, credential(key), e.vaultVersion);
        audit.success("connection.credentials.swap", RESOURCE, id.toString(), oldFingerprint + " -> " + e.keyFingerprint,
                "credentialVersion=" + e.credentialVersion);
        return e;
    }

    /**
     * Runs {@code work} in a new transaction holding the connection's row lock ({@code SELECT … FOR
     * UPDATE}, the lock {@link #swapCredential} takes too) and hands it the row as just read under
     * that lock. Credential swaps and key-slot changes run their Snowflake calls inside it, so a slot
     * check always sees the stored key that is current when the {@code ALTER} runs, and a swap's login
     * with the new key cannot be overtaken by the unset of that key's slot. The transaction may last
     * a few Snowflake round trips: its timeout is {@code 2 × timeoutSecs + 30 s}.
     */
    public <T> T withRowLock(UUID id, int timeoutSecs, Function<ConnectionEntity, T> work) {
        return QuarkusTransaction.requiringNew().timeout(2 * timeoutSecs + 30).call(() -> {
            ConnectionEntity e = ConnectionEntity.findById(id, LockModeType.PESSIMISTIC_WRITE);
            if (e == null) {
                throw ProblemException.notFound("Connection", id);
            }
            return work.apply(e);
        });
    }

    /**
     * Like {@link #withRowLock}, but locks every managed Snowflake connection of the same (account,
     * user) too, in id order (so two of these never deadlock; a credential swap locks its one row
     * only), and hands {@code work} the target row and all of them, the target included. A slot
     * change checks under these locks that no connection of that user still holds the key it removes,
     * and no swap of a sibling to that key can commit in between.
     */
    public <T> T withUserLock(UUID id, int timeoutSecs, java.util.function.BiFunction<ConnectionEntity, List<ConnectionEntity>, T> work) {
        return QuarkusTransaction.requiringNew().timeout(2 * timeoutSecs + 30).call(() -> {
            // A projection, not the entity: an entity loaded here unlocked would be what the locking
            // query below hands back (the persistence context keeps one instance), state from before the lock.
            Object[] who = ConnectionEntity.getEntityManager()
                    .createQuery("select c.account, c.user from ConnectionEntity c where c.id = :id", Object[].class)
                    .setParameter("id", id).getResultStream().findFirst()
                    .orElseThrow(() -> ProblemException.notFound("Connection", id));
            String account = (String) who[0];
            String user = SnowflakeIdentifiers.objectName((String) who[1]);
            // Lock the rows of this user only, never the whole account: the lock is held across the
            // ALTER USER, and one slow statement must not stall key changes of every other user (found
            // by TwoInstancesIT: a held ALTER of one user made other users' REGISTER wait 20 s).
            // Users compare as Snowflake resolves them, which SQL cannot, so the ids are picked first.
            TypedQuery<Object[]> ofAccount = ConnectionEntity.getEntityManager().createQuery(
                    "select c.id, c.user from ConnectionEntity c where c.type = :type and " + sameAccountWhere("c.account"),
                    Object[].class).setParameter("type", ConnectionType.SNOWFLAKE.wire());
            sameAccount(account).map().forEach(ofAccount::setParameter);
            List<UUID> sameUser = ofAccount.getResultStream()
                    .filter(r -> r[1] != null && SnowflakeIdentifiers.objectName((String) r[1]).equals(user))
                    .map(r -> (UUID) r[0]).toList();
            List<ConnectionEntity> holders = sameUser.isEmpty() ? List.of()
                    : ConnectionEntity.<ConnectionEntity> find("id in ?1 order by id", sameUser)
                            .withLock(LockModeType.PESSIMISTIC_WRITE).stream()
                            .filter(e -> e.user != null && SnowflakeIdentifiers.objectName(e.user).equals(user))
                            .toList();
            ConnectionEntity locked = holders.stream().filter(e -> e.id.equals(id)).findFirst()
                    .orElseThrow(() -> ProblemException.conflict("concurrent-change",
                            "The connection was moved to another user or deleted meanwhile; retry"));
            return work.apply(locked, holders);
        });
    }

    /**
     * Every managed Snowflake connection of the same Snowflake (account, user) as {@code target},
     * {@code target} included, by name: the connections a key of that user may be shared by.
     */
    public List<ConnectionEntity> sameUser(ConnectionEntity target) {
        return ConnectionEntity.<ConnectionEntity> list("type = :type and " + sameAccountWhere("account")
                + " order by name, id", sameAccount(target.account).and("type", ConnectionType.SNOWFLAKE.wire()))
                .stream().filter(e -> sameUser(e, target)).toList();
    }

    /**
     * Accounts compare as a key-pair login names them ({@link SnowflakeIdentifiers#loginAccount}):
     * {@code xy12345} and {@code xy12345.eu-central-1} share one user's key slots, so a connection
     * spelling the account either way is a holder of that user's keys and under its lock (else a
     * rotation of one unset the key the other still stored). Its parameters: {@link #sameAccount}.
     */
    private static String sameAccountWhere(String path) {
        return "(lower(" + path + ") = :account or substring(lower(" + path + "), 1, :accountDotLength) = :accountDot)";
    }

    private static Parameters sameAccount(String account) {
        String login = SnowflakeIdentifiers.loginAccount(account);
        return Parameters.with("account", login).and("accountDot", login + ".")
                .and("accountDotLength", login.length() + 1);
    }

    /** Users compare as Snowflake resolves them ({@code svc_a} is {@code SVC_A}). */
    private static boolean sameUser(ConnectionEntity a, ConnectionEntity b) {
        return a.user != null && b.user != null
                && SnowflakeIdentifiers.objectName(a.user).equals(SnowflakeIdentifiers.objectName(b.user));
    }

    /** Deletes the row and every Vault version; if Vault refuses, the row stays. */
    @Transactional
    public void delete(UUID id) {
        ConnectionEntity e = get(id);
        long dependants = ConnectionEntity.count("keyAdminConnectionId", id);
        if (dependants > 0) {
            throw ProblemException.conflict("connection-in-use", "The connection is the key-admin connection of "
                    + dependants + " other connection(s); point their keyAdminConnectionId elsewhere first");
        }
        String fingerprint = e.keyFingerprint;
        boolean snowflake = e.isSnowflake();
        e.delete();
        ConnectionEntity.flush();
        if (snowflake) {
            secrets.deleteAll(id);
        }
        certificateUse.unregisterAfterCommit(e.certificateId, id);
        audit.success("connection.delete", RESOURCE, id.toString(), fingerprint, "name=" + e.name);
    }

    /** The connection, or null: for references a caller gave (keyAdminConnectionId), answered as a field error. */
    public ConnectionEntity find(UUID id) {
        return ConnectionEntity.findById(id);
    }

    /** The key-admin connections of an account (those declaring users they manage). */
    public List<ConnectionEntity> keyAdminsOf(String account) {
        return ConnectionEntity.list("managesUsers is not null and " + sameAccountWhere("account"), sameAccount(account));
    }

    public ConnectionEntity get(UUID id) {
        ConnectionEntity e = ConnectionEntity.findById(id);
        if (e == null) {
            throw ProblemException.notFound("Connection", id);
        }
        return e;
    }

    /**
     * A Snowflake connection, or 409 {@code not-a-snowflake-connection} saying what only Snowflake
     * connections have (an API connector has no keys, slots or catalog).
     */
    public ConnectionEntity getSnowflake(UUID id, String onlySnowflake) {
        ConnectionEntity e = get(id);
        if (!e.isSnowflake()) {
            throw new ProblemException(409, "not-a-snowflake-connection", "Not a Snowflake connection", onlySnowflake);
        }
        return e;
    }

    static void requireCredentialVersion(ConnectionEntity e, int expected) {
        if (expected != e.credentialVersion) {
            throw new ProblemException(409, "stale-credential-version", "Stale credential version",
                    "The connection's credential is at version " + e.credentialVersion + ", not " + expected
                            + "; read the connection again and retry",
                    List.of(new FieldError("expectedCredentialVersion", "is not the current credential version")));
        }
    }

    void requireUniqueName(String name, UUID self) {
        ConnectionEntity other = ConnectionEntity.find("nameKey", ResourceNames.key(name)).firstResult();
        if (other != null && !other.id.equals(self)) {
            throw nameTaken(other.name);
        }
    }

    /**
     * Writes the row now ({@code write}: its insert or flush). The name was checked before, but a
     * create or rename racing this one passes that check too: the unique index then refuses the
     * loser's row (PostgreSQL holds the loser's insert until the winner commits), and that is the
     * same 409 {@code name-taken} as the check's, not a 500. It happens before Vault is written, and
     * the rollback undoes anything written in the transaction.
     */
    private static void writeNamed(ConnectionEntity e, Runnable write) {
        try {
            write.run();
        } catch (jakarta.persistence.PersistenceException ex) {
            if (ConnectionEntity.nameTakenIn(ex)) {
                throw nameTaken(e.name);
            }
            throw ex;
        }
    }

    private static ProblemException nameTaken(String name) {
        return new ProblemException(409, "name-taken", "Conflict", "A connection named '" + name
                + "' already exists (names are unique regardless of case)",
                List.of(new FieldError("name", "already in use")));
    }

    private void apply(ConnectionEntity e, ConnectionInput in) {
        e.name = in.name();
        e.nameKey = ResourceNames.key(in.name());
        e.description = in.description();
        e.timeoutSecs = in.timeoutSecs();
        e.useFriendlyNames = in.useFriendlyNames();
        e.account = in.account();
        e.host = in.hostOverride();
        e.user = in.user();
        e.role = in.role();
        e.warehouse = in.warehouse();
        e.database = in.database();
        e.schema = in.schema();
        e.keyAdminConnectionId = in.keyAdminConnectionId();
        e.managesUsers = in.managesUsers() == null || in.managesUsers().isEmpty() ? null
                : String.join("\n", in.managesUsers());
        e.baseUrl = in.baseUrl();
        e.certificateId = in.certificateId();
        stamp(e);
    }

    private static void applyKey(ConnectionEntity e, ValidatedKey key) {
        e.keyFingerprint = key.fingerprint();
        e.keySizeBits = key.parsed().sizeBits();
        e.hasPassphrase = key.passphrase() != null;
    }

    private void stamp(ConnectionEntity e) {
        e.updatedAt = Instant.now();
        e.updatedBy = caller.name();
    }

    /**
     * What Vault stores: the key as plain PKCS#8, decrypted once at upload. The uploader's passphrase
     * and KDF parameters are dropped, so using the key never repeats a KDF whose cost the uploader
     * chose; Vault's barrier encrypts it at rest (README.md, Security).
     */
    private static StoredCredential credential(ValidatedKey key) {
        return new StoredCredential(Pkcs8.toPem(key.parsed().privateKey()), null);
    }
}
