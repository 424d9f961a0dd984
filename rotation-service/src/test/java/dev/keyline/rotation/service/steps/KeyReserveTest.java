package dev.keyline.rotation.service.steps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.keyline.common.work.BoundedWork;
import dev.keyline.rotation.service.steps.KeyReserve.Fill;

/**
 * The key reserve on its own, with real RSA generation on a real bounded pool: each key is handed
 * out once even to concurrent takers, the size bound holds, it fills only while no run waits for a
 * generation (by the filler step and by the background thread), a size of 0 disables it, another
 * key size is never served (but generated on demand), and the keys differ.
 */
class KeyReserveTest {

    /** A generous guard for background work on a shared 2-core machine, not a timing assertion. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final BoundedWork pool = new BoundedWork("keys", "key generation", 1, 4, false, 1, Duration.ofSeconds(5));
    private final List<KeyReserve> reserves = new ArrayList<>();

    @AfterEach
    void close() {
        reserves.forEach(KeyReserve::close);
        pool.close();
    }

    private KeyReserve reserve(int capacity) {
        KeyReserve r = new KeyReserve(capacity, 2048, 1000, pool);
        reserves.add(r);
        return r;
    }

    @Test
    void aKeyIsHandedOutExactlyOnceToConcurrentTakers() throws Exception {
        KeyReserve reserve = reserve(6);
        while (reserve.fillOne() == Fill.ADDED) {
            // fill it
        }
        Set<String> filled = new HashSet<>(reserve.readyFingerprints());
        assertThat(filled).hasSize(6);

        int takers = 12;
        CyclicBarrier start = new CyclicBarrier(takers);
        ConcurrentLinkedQueue<NewKey> got = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < takers; i++) {
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (Optional<NewKey> k = reserve.takeReady(2048); k.isPresent(); k = reserve.takeReady(2048)) {
                    got.add(k.get());
                }
            }));
        }
        for (Thread t : threads) {
            t.join(PATIENCE.toMillis());
        }

        List<String> taken = got.stream().map(NewKey::fingerprint).toList();
        assertThat(taken).as("every reserved key once, none twice").hasSize(6).doesNotHaveDuplicates();
        assertThat(new HashSet<>(taken)).isEqualTo(filled);
        assertThat(reserve.ready()).isZero();
        assertThat(reserve.taken()).isEqualTo(6);
        assertThat(reserve.missed()).as("each taker's last, empty-handed try").isEqualTo(takers);
    }

    @Test
    void holdsAtMostItsSize() {
        KeyReserve reserve = reserve(2);
        assertThat(reserve.fillOne()).isEqualTo(Fill.ADDED);
        assertThat(reserve.fillOne()).isEqualTo(Fill.ADDED);
        assertThat(reserve.fillOne()).isEqualTo(Fill.FULL);
        assertThat(reserve.ready()).isEqualTo(2);

        reserve.takeReady(2048).orElseThrow();
        assertThat(reserve.fillOne()).as("room again after a take").isEqualTo(Fill.ADDED);
        assertThat(reserve.ready()).isEqualTo(2);
    }

    @Test
    void rotationsExpectedSoonRaiseWhatItFillsUpToAtMostItsMaximum() throws Exception {
        KeyReserve reserve = new KeyReserve(1, 4, 2048, 1000, pool);
        reserves.add(reserve);
        assertThat(reserve.fillOne()).isEqualTo(Fill.ADDED);
        assertThat(reserve.fillOne()).as("its size with nothing expected").isEqualTo(Fill.FULL);

        reserve.expect(2);
        assertThat(reserve.target()).isEqualTo(3);
        assertThat(reserve.fillOne()).isEqualTo(Fill.ADDED);
        assertThat(reserve.fillOne()).isEqualTo(Fill.ADDED);
        assertThat(reserve.fillOne()).isEqualTo(Fill.FULL);
        assertThat(reserve.ready()).isEqualTo(3);

        reserve.expect(100);
        assertThat(reserve.target()).as("bounded by the maximum").isEqualTo(4);
        assertThat(reserve.fillOne()).isEqualTo(Fill.ADDED);
        assertThat(reserve.fillOne()).isEqualTo(Fill.FULL);

        reserve.expect(0);
        assertThat(reserve.ready()).as("fewer expected drops no ready key").isEqualTo(4);
        reserve.takeReady(2048).orElseThrow();
        reserve.takeReady(2048).orElseThrow();
        assertThat(reserve.fillOne()).as("still above its size").isEqualTo(Fill.FULL);

        assertThat(new KeyReserve(0, 8, 2048, 1000, pool).target()).as("disabled stays disabled").isZero();
    }

    @Test
    void theBackgroundFillerWakesWhenMoreRotationsAreExpected() throws Exception {
        KeyReserve reserve = new KeyReserve(1, 8, 2048, 1000, pool);
        reserves.add(reserve);
        reserve.start(Duration.ZERO);
        waitFor(() -> reserve.ready() == 1);
        reserve.expect(2);
        waitFor(() -> reserve.ready() == 3);
    }

    @Test
    void aMaximumBelowItsSizeIsRefused() {
        assertThatThrownBy(() -> new KeyReserve(4, 2, 2048, 1000, pool))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maximum");
    }

    @Test
    void fillsOnlyWhileNoRunWaitsForAGeneration() throws Exception {
        KeyReserve reserve = reserve(4);
        Run run = runWaitingForItsKey(reserve);
        assertThat(reserve.fillOne()).as("a run waits for its key").isEqualTo(Fill.BUSY);
        assertThat(pool.load().queued()).as("the reserve queued nothing, only the run").isEqualTo(1);

        NewKey runKey = run.finish();
        assertThat(reserve.fillOne()).isEqualTo(Fill.ADDED);
        assertThat(reserve.ready()).isEqualTo(1);
        assertThat(reserve.readyFingerprints()).doesNotContain(runKey.fingerprint());
        assertThat(reserve.missed()).as("the run found it empty").isEqualTo(1);
    }

    @Test
    void theBackgroundFillerWaitsWhileARunNeedsThePoolStopsWhenFullAndRefillsAfterATake() throws Exception {
        KeyReserve reserve = reserve(2);
        Run run = runWaitingForItsKey(reserve);
        reserve.start(Duration.ZERO);
        // Several of the filler's busy pauses: it must neither generate nor queue behind the run.
        Thread.sleep(KeyReserve.BUSY_PAUSE.toMillis() * 4);
        assertThat(reserve.ready()).isZero();
        assertThat(pool.load().queued()).as("only the run's generation is queued").isEqualTo(1);

        run.finish();
        waitFor(() -> reserve.ready() == 2);
        Thread.sleep(KeyReserve.BUSY_PAUSE.toMillis() * 2);
        assertThat(reserve.ready()).as("full: it stopped").isEqualTo(2);
        waitFor(() -> pool.load().active() == 0);
        assertThat(pool.load().queued()).as("no generation while full").isZero();

        String left = reserve.readyFingerprints().get(1);
        NewKey taken = reserve.take(2048);
        assertThat(taken.fingerprint()).as("the oldest ready key").isNotEqualTo(left);
        waitFor(() -> reserve.ready() == 2);
        assertThat(reserve.readyFingerprints()).contains(left).doesNotContain(taken.fingerprint());

        reserve.close();
        assertThat(reserve.ready()).as("close drops the keys").isZero();
        assertThat(reserve.takeReady(2048)).isEmpty();
    }

    /** A run in GENERATE on an empty reserve, its on-demand generation queued behind a held pool thread. */
    private Run runWaitingForItsKey(KeyReserve reserve) throws InterruptedException {
        CountDownLatch release = new CountDownLatch(1);
        FutureTask<Void> blocker = pool.submit(() -> {
            release.await();
            return null;
        });
        waitFor(() -> pool.load().active() == 1);
        FutureTask<NewKey> run = new FutureTask<>(() -> reserve.take(2048));
        Thread.ofPlatform().daemon().start(run);
        waitFor(() -> pool.load().queued() == 1);
        return () -> {
            release.countDown();
            pool.join(blocker);
            return run.get(PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        };
    }

    private interface Run {
        NewKey finish() throws Exception;
    }

    @Test
    void disabledAtZero() throws Exception {
        KeyReserve reserve = reserve(0);
        assertThat(reserve.fillOne()).isEqualTo(Fill.FULL);
        reserve.start(Duration.ZERO);
        Thread.sleep(KeyReserve.BUSY_PAUSE.toMillis() * 2);
        assertThat(reserve.ready()).isZero();
        assertThat(pool.load().active()).as("nothing generated").isZero();
        assertThat(reserve.takeReady(2048)).isEmpty();
        assertThat(KeyReserve.none(pool, 1000).takeReady(2048)).isEmpty();
    }

    @Test
    void anotherKeySizeIsNeverServed() {
        KeyReserve reserve = reserve(1);
        assertThat(reserve.fillOne()).isEqualTo(Fill.ADDED);
        assertThat(reserve.takeReady(3072)).isEmpty();
        assertThat(reserve.takeReady(4096)).isEmpty();
        assertThat(reserve.ready()).as("kept for a 2048-bit run").isEqualTo(1);
        assertThat(reserve.missed()).as("not a miss of the reserve's size").isZero();
        NewKey key = reserve.takeReady(2048).orElseThrow();
        assertThat(key.keySize()).isEqualTo(2048);
        NewKey onDemand = reserve.take(3072);
        assertThat(onDemand.keySize()).as("generated on demand").isEqualTo(3072);
        assertThat(onDemand.fingerprint()).isNotEqualTo(key.fingerprint());
    }

    @Test
    void keysDifferAndShowNoMaterial() {
        KeyReserve reserve = reserve(3);
        while (reserve.fillOne() == Fill.ADDED) {
            // fill it
        }
        List<NewKey> keys = List.of(reserve.takeReady(2048).orElseThrow(), reserve.takeReady(2048).orElseThrow(),
                reserve.takeReady(2048).orElseThrow());
        assertThat(keys.stream().map(NewKey::fingerprint)).doesNotHaveDuplicates();
        assertThat(keys.stream().map(k -> k.plain().privateKeyPem())).doesNotHaveDuplicates();
        assertThat(keys.stream().map(k -> k.stored().passphrase())).doesNotHaveDuplicates();
        for (NewKey k : keys) {
            assertThat(k.stored().privateKeyPem()).contains("ENCRYPTED PRIVATE KEY");
            assertThat(k.plain().passphrase()).isNull();
            assertThat(k.plain().fingerprint()).isEqualTo(k.fingerprint());
            assertThat(k.toString()).contains(k.fingerprint()).doesNotContain("PRIVATE", k.stored().passphrase());
        }
        assertThat(reserve.toString()).isEqualTo("KeyReserve[ready=0/3, 2048 bits]");
    }

    private static void waitFor(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not reached within " + PATIENCE);
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }
}
