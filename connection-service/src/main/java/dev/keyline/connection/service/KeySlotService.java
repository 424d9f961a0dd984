package dev.keyline.connection.service;

import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.audit.Outcome;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.connection.KeyHolders;
import dev.keyline.connection.KeySlot;
import dev.keyline.connection.KeySlots;
import dev.keyline.connection.persistence.ConnectionEntity;
import dev.keyline.connection.snowflake.KeyAdminSessions;
import dev.keyline.connection.snowflake.SnowflakeFailure;
import dev.keyline.connection.snowflake.SnowflakeGateway;
import dev.keyline.connection.snowflake.SnowflakeIdentifiers;
import dev.keyline.connection.snowflake.SnowflakeLogin;
import dev.keyline.common.vault.VaultUnavailableException;
import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.KeyMaterialException;
import dev.keyline.keys.PublicKeys;

/**
 * Reads and changes the two key slots ({@code RSA_PUBLIC_KEY}, {@code RSA_PUBLIC_KEY_2}) of a
 * connection's Snowflake user, through its key-admin connection (or itself when it has none).
 *
 * <p>
 * A slot holding the public key of the connection's stored private key is never replaced or
 * unset: that would lock the connection out. Change the other slot, swap the credentials, then
 * this one — the order rotation follows.
 *
 * <p>
 * The check and the {@code ALTER USER} run under the connection's row lock, taken on the thread that
 * runs them ({@link ConnectionStore#withRowLock}, the lock a credential swap holds across its login),
 * with the stored fingerprint re-read under that lock: a swap cannot commit between check and ALTER,
 * and an ALTER abandoned at the caller's deadline still holds the lock until it has finished.
 *
 * <p>
 * Every statement here runs on a key-admin session ({@link SnowflakeGateway#withKeyAdminSession}): an
 * idle, logged-in session of the same admin connection, row and key is reused, else one is logged
 * in. The lock is still taken on the thread running the statements, per operation.
 */
@ApplicationScoped
public class KeySlotService {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(KeySlotService.class);

    private static final DateTimeFormatter SNOWFLAKE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss[.SSS]");

    @Inject
    ConnectionStore store;

    @Inject
    SnowflakeLogins logins;

    @Inject
    SnowflakeGateway gateway;

    @Inject
    AuditTrail audit;

    @Inject
    KeyAdminScope scope;

    public KeySlots read(UUID id) {
        ConnectionEntity target = snowflake(id);
        Admin admin = admin(target, "connection.key-slots.read");
        Map<String, String> desc = call(admin, target, "connection.key-slots.read",
                s -> s.describeUser(target.user));
        KeySlots slots = slots(target, admin.connection().id, desc);
        // DESC USER runs with the key-admin credential: a use, audited like the others (after the answer:
        // it changed nothing, AuditOutbox).
        audit.deferred("connection.key-slots.read", ConnectionStore.RESOURCE, target.id.toString(), Outcome.SUCCESS,
                "slot1: " + orEmpty(slots.slots().get(0).fingerprint()) + ", slot2: "
                        + orEmpty(slots.slots().get(1).fingerprint()),
                via(target, admin).trim());
        return slots;
    }

    /**
     * @param precondition what the slot must hold before the change (null: anything), checked under the
     *     user's lock before the holder checks: 409 {@code key-slot-changed} otherwise
     * @param byRotation whether the caller holds {@code connections:rotate} (rotation-service's identity): only
     *     a rotation may register a key on a key-admin connection's own user
     */
    public KeySlots set(UUID id, int slot, String publicKey, SlotPrecondition precondition, boolean byRotation) {
        checkSlot(slot);
        String action = "connection.key-slot.set";
        PublicKey key = ConnectionValidator.publicKey(publicKey);
        String fingerprint = Fingerprints.spkiSha256(key);
        ConnectionEntity target = snowflake(id);
        if (target.isKeyAdmin() && !byRotation) {
            // A key of one's own on the key-admin's user is a direct login with the key-admin's role, whose
            // Snowflake privileges reach further than its declared users, outside keyline and its audit.
            audit.standalone(action, ConnectionStore.RESOURCE, target.id.toString(), Outcome.DENIED, null,
                    KeyAdminScope.SLUG + " own user=" + target.user);
            throw KeyAdminScope.ownSlotsByRotationOnly(target);
        }
        Admin admin = admin(target, action);
        Changed changed = call(admin, target, action, s -> {
            Changed done = store.withUserLock(target.id, target.timeoutSecs, (locked, holders) -> {
                String current = fingerprint(s.describeUser(target.user), slot);
                if (precondition != null) {
                    precondition.check(slot, current);
                }
                if (!fingerprint.equals(current)) {
                    requireNotHeld(locked, holders, current, slot, "replacing");
                }
                s.setPublicKey(target.user, slot, PublicKeys.toBase64Der(key));
                return new Changed(locked, current, null);
            });
            return done.after(s.describeUser(target.user));
        });
        audit.standalone(action, ConnectionStore.RESOURCE, target.id.toString(), Outcome.SUCCESS,
                "slot" + slot + ": " + orEmpty(changed.before()) + " -> " + fingerprint, via(target, admin));
        return slots(changed.connection(), admin.connection().id, changed.desc());
    }

    /** @param precondition as for {@link #set(UUID, int, String, SlotPrecondition, boolean)} */
    public KeySlots unset(UUID id, int slot, SlotPrecondition precondition) {
        checkSlot(slot);
        String action = "connection.key-slot.unset";
        ConnectionEntity target = snowflake(id);
        Admin admin = admin(target, action);
        Changed changed = call(admin, target, action, s -> {
            Changed done = store.withUserLock(target.id, target.timeoutSecs, (locked, holders) -> {
                String current = fingerprint(s.describeUser(target.user), slot);
                if (precondition != null) {
                    precondition.check(slot, current);
                }
                requireNotHeld(locked, holders, current, slot, "unsetting");
                s.unsetPublicKey(target.user, slot);
                return new Changed(locked, current, null);
            });
            return done.after(s.describeUser(target.user));
        });
        audit.standalone(action, ConnectionStore.RESOURCE, target.id.toString(), Outcome.SUCCESS,
                "slot" + slot + ": " + orEmpty(changed.before()) + " -> (empty)", via(target, admin));
        return slots(changed.connection(), admin.connection().id, changed.desc());
    }

    /**
     * Registers a generated key of a connection not created yet in a free slot of its user, through
     * its key-admin connection (whose scope over the user the caller has checked, as for a saved
     * connection). Setting an empty slot removes nobody's key, so no holder check is needed. Answers
     * the slot set; 409 {@code no-free-key-slot} naming what both slots hold when neither is empty.
     */
    public int registerInFreeSlot(ConnectionEntity admin, String user, PublicKey key) {
        String base64 = PublicKeys.toBase64Der(key);
        return onUser(admin, user, s -> {
            Map<String, String> desc = s.describeUser(user);
            String one = fingerprint(desc, 1);
            String two = fingerprint(desc, 2);
            if (one != null && two != null) {
                throw new ProblemException(409, "no-free-key-slot", "No free key slot",
                        "Both key slots of user " + SnowflakeIdentifiers.objectName(user) + " hold a key (RSA_PUBLIC_KEY: "
                                + one + ", RSA_PUBLIC_KEY_2: " + two + "); unset one (DELETE .../key-slots/{n} on a "
                                + "connection of that user) or give the private key yourself");
            }
            int slot = one == null ? 1 : 2;
            s.setPublicKey(user, slot, base64);
            return slot;
        });
    }

    /**
     * Undoes {@link #registerInFreeSlot} after a later step failed: unsets the slot only if it still
     * holds {@code fingerprint} (someone may have set it meanwhile). Never throws: the caller is already
     * answering the failure; an undo that failed is logged and audited so an administrator can unset it.
     */
    public void unsetIfHolds(ConnectionEntity admin, String user, int slot, String fingerprint, String reason) {
        String action = "connection.key-slot.unset";
        try {
            boolean unset = onUser(admin, user, s -> {
                if (!fingerprint.equals(fingerprint(s.describeUser(user), slot))) {
                    return false;
                }
                s.unsetPublicKey(user, slot);
                return true;
            });
            audit.standalone(action, ConnectionStore.RESOURCE, null, Outcome.SUCCESS,
                    "slot" + slot + ": " + fingerprint + (unset ? " -> (empty)" : " (already replaced, left as is)"),
                    "generated key of a connection not created (" + reason + ") user=" + user + " via=" + admin.id);
        } catch (RuntimeException e) {
            LOG.warnf("Could not unset slot %d of user %s after a failed creation with a generated key (%s): %s", slot,
                    user, reason, e.getClass().getSimpleName());
            audit.standalone(action, ConnectionStore.RESOURCE, null, Outcome.FAILED, "slot" + slot + ": " + fingerprint,
                    "generated key of a connection not created left registered; unset it by hand user=" + user
                            + " via=" + admin.id);
        }
    }

    /** A session of the key-admin connection acting on {@code user}; Snowflake's failures as problems. */
    private <T> T onUser(ConnectionEntity admin, String user, SnowflakeGateway.Work<T> work) {
        try {
            return gateway.withKeyAdminSession(sessionKey(admin), logins.stored(admin), work);
        } catch (SnowflakeFailure f) {
            throw SnowflakeProblems.problem(f, logins.who(admin, admin.keyFingerprint, user));
        }
    }

    /** The managed connections of the connection's Snowflake (account, user), itself included. */
    public KeyHolders holders(UUID id) {
        ConnectionEntity target = snowflake(id);
        List<KeyHolders.Holder> holders = store.sameUser(target).stream()
                .map(e -> new KeyHolders.Holder(e.id, e.name, e.keyFingerprint, e.credentialVersion,
                        "\"" + e.version + "\""))
                .toList();
        return new KeyHolders(target.id, target.account, SnowflakeIdentifiers.objectName(target.user), holders);
    }

    /**
     * A slot change under the user lock: the row as read under it, what the slot held before, and
     * DESC USER afterwards.
     */
    private record Changed(ConnectionEntity connection, String before, Map<String, String> desc) {
        Changed after(Map<String, String> desc) {
            return new Changed(connection, before, desc);
        }
    }

    /**
     * The key leaving a slot must be nobody's stored key: not this connection's (409
     * {@code slot-holds-stored-key}) nor any other managed connection's of the same user (409
     * {@code key-in-use}, naming them), or they would be locked out.
     */
    static void requireNotHeld(ConnectionEntity target, List<ConnectionEntity> holders, String leaving, int slot,
            String what) {
        if (leaving == null) {
            return;
        }
        if (leaving.equals(target.keyFingerprint)) {
            throw holdsStoredKey(target, slot, what);
        }
        List<ConnectionEntity> others = holders.stream()
                .filter(e -> !e.id.equals(target.id) && leaving.equals(e.keyFingerprint)).toList();
        if (!others.isEmpty()) {
            String names = others.stream().map(e -> "'" + e.name + "' (" + e.id + ")")
                    .collect(java.util.stream.Collectors.joining(", "));
            throw new ProblemException(409, "key-in-use", "Key in use",
                    "Slot " + slot + " holds " + leaving + ", the stored key of " + others.size()
                            + " other connection(s) of user " + target.user + ": " + names + "; " + what
                            + " it would lock them out. Swap their credentials to the key of the other slot first "
                            + "(GET .../key-holders lists them)");
        }
    }

    /**
     * For a rejected login: what the key-admin connection sees in the user's slots, as a sentence to
     * append to the problem's detail. Null when the connection has no key-admin connection or the
     * look-up fails (the original problem stands on its own).
     */
    public String diagnoseRejectedKey(ConnectionEntity target) {
        if (target.keyAdminConnectionId == null) {
            return null;
        }
        try {
            ConnectionEntity admin = store.get(target.keyAdminConnectionId);
            scope.checkTarget(admin, target.id, target.user, target.isKeyAdmin());
            Map<String, String> desc = gateway.withKeyAdminSession(sessionKey(admin), logins.stored(admin),
                    s -> s.describeUser(target.user));
            String one = fingerprint(desc, 1);
            String two = fingerprint(desc, 2);
            if (one == null && two == null) {
                return "Both key slots of user " + target.user + " are empty (seen through key-admin connection '"
                        + admin.name + "'): register the public key with PUT .../key-slots/1.";
            }
            return "Through key-admin connection '" + admin.name + "', DESC USER " + target.user + " shows RSA_PUBLIC_KEY_FP="
                    + orEmpty(one) + " and RSA_PUBLIC_KEY_2_FP=" + orEmpty(two) + "; the stored key is "
                    + target.keyFingerprint + ".";
        } catch (RuntimeException e) {
            return null;
        }
    }

    private record Admin(ConnectionEntity connection, SnowflakeLogin login, SnowflakeProblems.Who who) {
    }

    /**
     * The key-admin session a request may reuse: one logged in with the admin row and key this
     * request read, so a changed or deleted admin connection is never served by an older session.
     */
    private static KeyAdminSessions.Key sessionKey(ConnectionEntity admin) {
        return new KeyAdminSessions.Key(admin.id, admin.version, admin.credentialVersion, admin.keyFingerprint);
    }

    private ConnectionEntity snowflake(UUID id) {
        return store.getSnowflake(id, "Key slots exist for Snowflake connections only");
    }

    private Admin admin(ConnectionEntity target, String action) {
        ConnectionEntity admin = target.keyAdminConnectionId == null ? target : store.get(target.keyAdminConnectionId);
        if (!admin.account.equalsIgnoreCase(target.account)) {
            throw new ProblemException(409, "key-admin-account-mismatch", "Key-admin connection mismatch",
                    "The key-admin connection '" + admin.name + "' is for account " + admin.account
                            + ", this connection for account " + target.account);
        }
        try {
            scope.checkTarget(admin, target.id, target.user, target.isKeyAdmin());
        } catch (ProblemException refused) {
            audit.standalone(action, ConnectionStore.RESOURCE, target.id.toString(), Outcome.DENIED, null,
                    refused.slug() + " user=" + target.user + " via=" + admin.id);
            throw refused;
        }
        try {
            SnowflakeLogin login = logins.stored(admin);
            return new Admin(admin, login,
                    logins.who(admin, admin.keyFingerprint, admin == target ? null : target.user));
        } catch (VaultUnavailableException e) {
            audit.standalone(action, ConnectionStore.RESOURCE, target.id.toString(), Outcome.FAILED, null,
                    "vault-unavailable");
            throw e;
        }
    }

    private <T> T call(Admin admin, ConnectionEntity target, String action, SnowflakeGateway.Work<T> work) {
        try {
            return gateway.withKeyAdminSession(sessionKey(admin.connection()), admin.login(), work);
        } catch (SnowflakeFailure f) {
            ProblemException problem = SnowflakeProblems.problem(f, admin.who());
            audit.standalone(action, ConnectionStore.RESOURCE, target.id.toString(), Outcome.FAILED, null,
                    problem.slug() + via(target, admin));
            throw problem;
        } catch (ProblemException p) {
            audit.standalone(action, ConnectionStore.RESOURCE, target.id.toString(), Outcome.DENIED, null,
                    p.slug() + via(target, admin));
            throw p;
        }
    }

    static ProblemException holdsStoredKey(ConnectionEntity target, int slot, String what) {
        return new ProblemException(409, "slot-holds-stored-key", "Slot holds the stored key",
                "Slot " + slot + " holds the public key of this connection's stored private key (" + target.keyFingerprint
                        + "); " + what + " it would lock the connection out. Set the other slot, swap the credentials "
                        + "(PUT .../credentials), then change slot " + slot);
    }

    private static KeySlots slots(ConnectionEntity target, UUID adminId, Map<String, String> desc) {
        return new KeySlots(target.id, target.account, target.user, target.keyFingerprint, target.credentialVersion,
                adminId, List.of(slot(desc, 1, target.keyFingerprint), slot(desc, 2, target.keyFingerprint)));
    }

    private static KeySlot slot(Map<String, String> desc, int slot, String stored) {
        String fingerprint = fingerprint(desc, slot);
        String setTime = value(desc, property(slot) + "_LAST_SET_TIME");
        return new KeySlot(slot, fingerprint, isoOrRaw(setTime), fingerprint != null && fingerprint.equals(stored));
    }

    static String fingerprint(Map<String, String> desc, int slot) {
        return value(desc, property(slot) + "_FP");
    }

    private static String property(int slot) {
        return slot == 1 ? "RSA_PUBLIC_KEY" : "RSA_PUBLIC_KEY_2";
    }

    /** DESC USER spells absent values as the string {@code null}. */
    private static String value(Map<String, String> desc, String property) {
        String v = desc.get(property);
        return v == null || v.isBlank() || v.equalsIgnoreCase("null") ? null : v;
    }

    static String isoOrRaw(String snowflakeTime) {
        if (snowflakeTime == null) {
            return null;
        }
        try {
            return LocalDateTime.parse(snowflakeTime, SNOWFLAKE_TIME).toInstant(ZoneOffset.UTC).toString();
        } catch (DateTimeParseException e) {
            return snowflakeTime;
        }
    }

    private static void checkSlot(int slot) {
        if (slot != 1 && slot != 2) {
            throw ProblemException.invalidField("slot", "must be 1 (RSA_PUBLIC_KEY) or 2 (RSA_PUBLIC_KEY_2)");
        }
    }

    private static String via(ConnectionEntity target, Admin admin) {
        return " user=" + target.user + (admin.connection() == target ? "" : " via=" + admin.connection().id);
    }

    private static String orEmpty(String fingerprint) {
        return fingerprint == null ? "(empty)" : fingerprint;
    }
}
