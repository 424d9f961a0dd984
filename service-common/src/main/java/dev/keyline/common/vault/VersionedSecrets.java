package dev.keyline.common.vault;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.jboss.logging.Logger;

import dev.keyline.common.tx.AfterCommit;
import dev.keyline.common.tx.RollbackUndo;

/**
 * A service's typed secrets in Vault: one KV v2 secret per id at {@code <prefix>/<id>}, each version
 * one {@code T} encoded by a {@link SecretCodec}. A service's CDI bean extends it, naming its corner
 * of Vault and its codec once, so the codec and the write-then-undo sequence are not repeated per
 * service.
 *
 * <p>The {@code …InTransaction} writes are for a database row that points at the version: the caller
 * checks the row's constraints first (so a conflict stops before Vault is touched), Vault is written
 * with check-and-set, and an undo is registered with {@link RollbackUndo} for a row or a commit that
 * fails after the Vault write succeeded. Once a replacing write has committed, the version before the
 * one it replaced is destroyed ({@link AfterCommit}): a secret keeps its current version and the previous
 * one (which a request that read the row just before the commit may still ask for), not every key it ever
 * held. A probe found connections whose eight versions were all readable, each an earlier private key.
 */
public class VersionedSecrets<T> {

    private static final Logger LOG = Logger.getLogger(VersionedSecrets.class);

    /** The version Vault gives a secret's first write (check-and-set 0). */
    public static final int FIRST_VERSION = 1;

    private final KvStore store;
    private final SecretCodec<T> codec;
    private final RollbackUndo rollbackUndo;
    private final AfterCommit afterCommit;

    protected VersionedSecrets(KvStore store, SecretCodec<T> codec, RollbackUndo rollbackUndo, AfterCommit afterCommit) {
        this.store = store;
        this.codec = codec;
        this.rollbackUndo = rollbackUndo;
        this.afterCommit = afterCommit;
    }

    /** Only for CDI client proxies of the subclasses, which delegate every call. */
    protected VersionedSecrets() {
        this(null, null, null, null);
    }

    public String pathOf(UUID id) {
        return store.pathOf(id.toString());
    }

    /** Writes a new version; {@code expectedVersion} 0 means "must not exist yet". Returns the new version. */
    public int write(UUID id, T value, int expectedVersion) {
        return store.write(id.toString(), codec.encode(value), expectedVersion);
    }

    /** Writes the first version inside the current transaction; if it does not commit, the secret is deleted again. */
    public int createInTransaction(UUID id, T value) {
        int version = write(id, value, 0);
        rollbackUndo.register("the Vault secret " + pathOf(id), () -> deleteAll(id));
        return version;
    }

    /**
     * Like {@link #createInTransaction(UUID, Object)}, but Vault writes while {@code alongside} runs
     * on this thread: the row's INSERT can name the version before Vault answers, because a new
     * secret's first version is always {@link #FIRST_VERSION}, and a create then costs the longer of
     * the two instead of their sum. The undo is registered before the write is sent, and Vault's
     * answer is always awaited before this returns or throws, so a rollback never deletes while the
     * write is still in flight. Throws what {@code alongside} threw, else Vault's failure.
     */
    public void createInTransaction(UUID id, T value, Runnable alongside) {
        rollbackUndo.register("the Vault secret " + pathOf(id), () -> deleteAll(id));
        KvStore.PendingWrite write = store.startWrite(id.toString(), codec.encode(value), 0);
        RuntimeException failure = null;
        try {
            alongside.run();
        } catch (RuntimeException e) {
            failure = e;
        }
        try {
            int version = write.await();
            if (version != FIRST_VERSION && failure == null) {
                failure = new IllegalStateException("Vault made version " + version + " of a new secret");
            }
        } catch (RuntimeException e) {
            if (failure == null) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /**
     * Writes the version after {@code expectedVersion} inside the current transaction; if it does not
     * commit, that version is destroyed again and the row keeps pointing at the one before.
     *
     * <p>The caller holds the row's lock ({@code SELECT … FOR UPDATE}, or its flushed {@code UPDATE}), so
     * no other writer can be between its own Vault write and its commit. When the check-and-set on
     * {@code expectedVersion} fails, the secret's metadata says why:
     * <ul>
     * <li>a version above {@code expectedVersion} is one no row points at or ever will. It is left by a
     * write whose answer timed out (counted as failed, so nothing undid it) and that Vault applied
     * afterwards. Such versions are destroyed and this write goes on top of them; before, every later
     * check-and-set on the row's version failed, and the row could never change its material again.</li>
     * <li>a current version below {@code expectedVersion} (0: the secret is absent) means the version
     * the row points at is gone: the secret was deleted by hand, or Vault was restored from a backup
     * older than the row. Nothing can read the row's material any more, so this write is the way back:
     * it goes where Vault allows it (check-and-set 0 for an absent secret, else on Vault's current
     * version) and the caller points the row at the version answered. Before, the check-and-set failed
     * forever and the row's material could not be replaced.</li>
     * </ul>
     * The second write is check-and-set too: a writer that got there in between still makes this a
     * {@link VaultVersionConflictException}.
     */
    public int writeInTransaction(UUID id, T value, int expectedVersion) {
        int version;
        try {
            version = write(id, value, expectedVersion);
        } catch (VaultVersionConflictException conflict) {
            int current = store.currentVersion(id.toString());
            if (current == expectedVersion) {
                throw conflict;
            }
            if (current > expectedVersion) {
                List<Integer> orphans = IntStream.rangeClosed(expectedVersion + 1, current).boxed().toList();
                LOG.warnf("Vault holds version(s) %s of %s that no row points at (a write that timed out and was "
                        + "applied later): destroyed, and the new version written after them", orphans, pathOf(id));
                store.destroyVersions(id.toString(), orphans);
            } else {
                LOG.warnf("Vault holds %s of %s, not version %d that the row points at (the secret was deleted, or "
                        + "Vault restored to an older state): the new material is written as version %d",
                        current == 0 ? "no version" : "versions up to " + current, pathOf(id), expectedVersion,
                        current + 1);
            }
            version = write(id, value, current);
        }
        int written = version;
        rollbackUndo.register("version " + written + " of the Vault secret " + pathOf(id), () -> destroyVersion(id, written));
        // The version before the one the row pointed at; never the one just written or its predecessor (a
        // secret restored from an older backup is written on top of whatever Vault has).
        int superseded = expectedVersion - 1;
        if (superseded >= FIRST_VERSION && superseded < written - 1) {
            afterCommit.register("version " + superseded + " of the Vault secret " + pathOf(id),
                    () -> destroyVersion(id, superseded));
        }
        return version;
    }

    /** Reads one exact version. */
    public T read(UUID id, int version) {
        return codec.decode(store.read(id.toString(), version));
    }

    /** Removes the secret with every version; absent is fine. */
    public void deleteAll(UUID id) {
        store.deleteAll(id.toString());
    }

    public void destroyVersion(UUID id, int version) {
        store.destroyVersion(id.toString(), version);
    }

    /** Checks that Vault answers and accepts our token, for {@link VaultReadinessCheck}. */
    public void ping() {
        store.ping();
    }
}
