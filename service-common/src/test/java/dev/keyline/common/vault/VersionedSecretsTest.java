package dev.keyline.common.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.keyline.common.tx.AfterCommit;
import dev.keyline.common.tx.RollbackUndo;

/**
 * The write-then-undo sequence and the codec, against a recording {@link KvStore} and a
 * {@link RollbackUndo} that keeps the undo instead of waiting for a transaction to end.
 */
class VersionedSecretsTest {

    record Pair(String secret, String optional) {
    }

    static final SecretCodec<Pair> CODEC = SecretCodec.of(p -> {
        Map<String, Object> data = new HashMap<>();
        data.put("secret", p.secret());
        SecretCodec.putIfPresent(data, "optional", p.optional());
        return data;
    }, d -> new Pair((String) d.get("secret"), (String) d.get("optional")));

    final List<String> calls = new ArrayList<>();
    final Map<String, Map<String, Object>> written = new HashMap<>();
    final List<Runnable> undos = new ArrayList<>();
    boolean vaultFails;
    int vaultVersionsAlready;
    /** When set, Vault's current version of every key (0: absent); a write with another cas is refused. */
    Integer vaultCurrent;

    final KvStore store = new KvStore(null, "secret", "test", Duration.ofSeconds(1)) {
        @Override
        public int write(String key, Map<String, Object> data, int expectedVersion) {
            calls.add("write " + key + " cas=" + expectedVersion);
            if (vaultCurrent != null) {
                if (vaultCurrent != expectedVersion) {
                    throw new VaultVersionConflictException();
                }
                vaultCurrent = expectedVersion + 1;
            }
            written.put(key, data);
            return expectedVersion + 1;
        }

        @Override
        public PendingWrite startWrite(String key, Map<String, Object> data, int expectedVersion) {
            calls.add("send " + key + " cas=" + expectedVersion);
            return () -> {
                calls.add("answer " + key);
                if (vaultFails) {
                    throw new VaultUnavailableException("write", 503);
                }
                written.put(key, data);
                return expectedVersion + 1 + vaultVersionsAlready;
            };
        }

        @Override
        public Map<String, Object> read(String key, int version) {
            calls.add("read " + key + " v" + version);
            return written.get(key);
        }

        @Override
        public void deleteAll(String key) {
            calls.add("deleteAll " + key);
        }

        @Override
        public void destroyVersion(String key, int version) {
            calls.add("destroy " + key + " v" + version);
        }

        @Override
        public void destroyVersions(String key, List<Integer> versions) {
            calls.add("destroy " + key + " v" + versions);
        }

        @Override
        public int currentVersion(String key) {
            calls.add("metadata " + key);
            return vaultCurrent;
        }
    };

    final RollbackUndo rollbackUndo = new RollbackUndo() {
        @Override
        public void register(String what, Runnable undo) {
            undos.add(undo);
        }
    };

    /** The clean-ups a commit would run, kept instead of waiting for a transaction to end. */
    final List<Runnable> afterCommits = new ArrayList<>();

    final AfterCommit afterCommit = new AfterCommit() {
        @Override
        public void register(String what, Runnable cleanUp) {
            afterCommits.add(cleanUp);
        }
    };

    final VersionedSecrets<Pair> secrets = new VersionedSecrets<>(store, CODEC, rollbackUndo, afterCommit);
    final UUID id = UUID.randomUUID();

    @Test
    void createWritesTheFirstVersionAndRegistersDeletingItOnRollback() {
        assertThat(secrets.createInTransaction(id, new Pair("s", null))).isEqualTo(1);
        assertThat(calls).containsExactly("write " + id + " cas=0");
        assertThat(undos).hasSize(1);

        undos.get(0).run();
        assertThat(calls).containsExactly("write " + id + " cas=0", "deleteAll " + id);
    }

    @Test
    void anOverlappedCreateSendsTheWriteRunsTheRowsInsertThenAwaitsVault() {
        secrets.createInTransaction(id, new Pair("s", null), () -> calls.add("insert row"));
        assertThat(calls).containsExactly("send " + id + " cas=0", "insert row", "answer " + id);
        assertThat(written).containsKey(id.toString());
        assertThat(undos).hasSize(1);
        undos.get(0).run();
        assertThat(calls).endsWith("deleteAll " + id);
    }

    @Test
    void whenTheInsertFailsVaultIsStillAwaitedBeforeTheFailureLeaves() {
        IllegalStateException insertFailed = new IllegalStateException("duplicate name");
        assertThatThrownBy(() -> secrets.createInTransaction(id, new Pair("s", null), () -> {
            throw insertFailed;
        })).isSameAs(insertFailed);
        // answered before the exception left, so the rollback's undo cannot race the write
        assertThat(calls).containsExactly("send " + id + " cas=0", "answer " + id);
        assertThat(undos).hasSize(1);
    }

    @Test
    void whenVaultFailsTheCreateFailsAfterTheInsertRan() {
        vaultFails = true;
        assertThatThrownBy(() -> secrets.createInTransaction(id, new Pair("s", null), () -> calls.add("insert row")))
                .isInstanceOf(VaultUnavailableException.class);
        assertThat(calls).containsExactly("send " + id + " cas=0", "insert row", "answer " + id);
        assertThat(undos).hasSize(1);
    }

    @Test
    void aFirstWriteThatIsNotVersionOneFailsTheCreate() {
        vaultVersionsAlready = 1;
        assertThatThrownBy(() -> secrets.createInTransaction(id, new Pair("s", null), () -> calls.add("insert row")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("version 2");
    }

    @Test
    void aLaterWriteRegistersDestroyingOnlyTheVersionItWrote() {
        assertThat(secrets.writeInTransaction(id, new Pair("s", "o"), 4)).isEqualTo(5);
        assertThat(undos).hasSize(1);

        undos.get(0).run();
        assertThat(calls).containsExactly("write " + id + " cas=4", "destroy " + id + " v5");
    }

    @Test
    void aCommittedReplacementDestroysTheVersionBeforeTheOneItReplacedAndKeepsThatOne() {
        assertThat(secrets.writeInTransaction(id, new Pair("s", "o"), 4)).isEqualTo(5);
        assertThat(afterCommits).hasSize(1);
        afterCommits.get(0).run();
        // v4 (what the row pointed at until now: a request that read it just before may still ask) stays.
        assertThat(calls).containsExactly("write " + id + " cas=4", "destroy " + id + " v3");
    }

    @Test
    void afterOrphansOrARestoreOnlyAVersionBeforeTheRowsIsDestroyed() {
        vaultCurrent = 6; // orphans 5 and 6 above the row's 4: written as 7, then 3 goes
        assertThat(secrets.writeInTransaction(id, new Pair("s", null), 4)).isEqualTo(7);
        afterCommits.forEach(Runnable::run);
        assertThat(calls).endsWith("destroy " + id + " v3");

        calls.clear();
        afterCommits.clear();
        vaultCurrent = 2; // restored from before 3 and 4: written as 3, which is also the row's 4 - 1
        assertThat(secrets.writeInTransaction(id, new Pair("s", null), 4)).isEqualTo(3);
        assertThat(afterCommits).isEmpty();
    }

    @Test
    void theFirstReplacementHasNoVersionBeforeThePreviousToDestroy() {
        assertThat(secrets.writeInTransaction(id, new Pair("s", "o"), 1)).isEqualTo(2);
        assertThat(afterCommits).isEmpty();
    }

    @Test
    void aPlainWriteRegistersNoUndo() {
        secrets.write(id, new Pair("s", "o"), 0);
        assertThat(undos).isEmpty();
    }

    @Test
    void theCodecLeavesEmptyOptionalFieldsOutAndReadsThemBackAsNull() {
        secrets.write(id, new Pair("s", ""), 0);
        assertThat(written.get(id.toString())).containsOnlyKeys("secret");
        assertThat(secrets.read(id, 1)).isEqualTo(new Pair("s", null));

        secrets.write(id, new Pair("s", "o"), 1);
        assertThat(secrets.read(id, 2)).isEqualTo(new Pair("s", "o"));
        assertThat(secrets.pathOf(id)).isEqualTo("test/" + id);
    }

    @Test
    void aSecretMissingFromVaultIsWrittenAsANewSecretAndTheRowPointsAtThatVersion() {
        vaultCurrent = 0; // deleted by hand: no metadata, no versions
        assertThat(secrets.writeInTransaction(id, new Pair("s", null), 4)).isEqualTo(1);
        assertThat(calls).containsExactly("write " + id + " cas=4", "metadata " + id, "write " + id + " cas=0");
        assertThat(undos).hasSize(1);
        undos.get(0).run();
        assertThat(calls).endsWith("destroy " + id + " v1");
    }

    @Test
    void aSecretRestoredToAnOlderVersionIsWrittenOnTopOfItsCurrentVersion() {
        vaultCurrent = 2; // a backup from before versions 3 and 4
        assertThat(secrets.writeInTransaction(id, new Pair("s", null), 4)).isEqualTo(3);
        assertThat(calls).containsExactly("write " + id + " cas=4", "metadata " + id, "write " + id + " cas=2");
        undos.get(0).run();
        assertThat(calls).endsWith("destroy " + id + " v3").doesNotContain("destroy " + id + " v[3]");
    }

    @Test
    void versionsAboveTheRowsAreOrphansDestroyedBeforeTheWriteOnTop() {
        vaultCurrent = 6;
        assertThat(secrets.writeInTransaction(id, new Pair("s", null), 4)).isEqualTo(7);
        assertThat(calls).containsExactly("write " + id + " cas=4", "metadata " + id, "destroy " + id + " v[5, 6]",
                "write " + id + " cas=6");
    }

    @Test
    void aWriterThatWinsTheRecoveryWriteIsStillAConcurrentChange() {
        KvStore racing = new KvStore(null, "secret", "test", Duration.ofSeconds(1)) {
            @Override
            public int write(String key, Map<String, Object> data, int expectedVersion) {
                calls.add("write " + key + " cas=" + expectedVersion);
                throw new VaultVersionConflictException(); // someone else writes between our reads
            }

            @Override
            public int currentVersion(String key) {
                calls.add("metadata " + key);
                return 0;
            }
        };
        VersionedSecrets<Pair> raced = new VersionedSecrets<>(racing, CODEC, rollbackUndo, afterCommit);
        assertThatThrownBy(() -> raced.writeInTransaction(id, new Pair("s", null), 4))
                .isInstanceOf(VaultVersionConflictException.class);
        assertThat(calls).containsExactly("write " + id + " cas=4", "metadata " + id, "write " + id + " cas=0");
        assertThat(undos).isEmpty();
    }
}
