package dev.keyline.rotation.service.steps;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import dev.keyline.common.work.BoundedWork;
import dev.keyline.common.work.WorkRejectedException;

/**
 * New RSA keys made ahead of time, in idle time, so a burst of due rotations takes ready keys in
 * GENERATE instead of each waiting for an RSA generation (and the PBKDF2 rounds of its encryption)
 * on the single-threaded key pool, which was the critical path of a burst (bench/README.md).
 *
 * <ul>
 * <li><b>Handed out once.</b> {@link #takeReady} removes the key it returns (an atomic poll), so no two
 * runs ever get the same key; a key that was never taken was never registered or stored anywhere,
 * so losing the reserve (crash, restart, {@link #close}) costs only the CPU that made it.
 * <li><b>Memory only, one key size.</b> Only {@code keySize} keys (the default and by far the most
 * common size) are held; a run of another size gets empty and generates on demand as before. Keys
 * are held in the form GENERATE writes (encrypted PKCS#8 + passphrase, plain PKCS#8, public key,
 * fingerprint), so the encryption is off the critical path too. The material is in Java Strings,
 * which cannot be zeroed: {@link #close} drops every reference, nothing more is possible.
 * <li><b>Filled only when the key pool is idle</b> (nothing running or queued on it, so no run is
 * waiting for a generation), one key at a time on that same bounded pool, so filling never takes
 * more CPU than {@code key-threads} allows and a live run waits behind at most one reserve key.
 * The filler itself is a daemon thread that only waits: it starts {@link #start a delay} after
 * start-up, stops when the reserve is full and wakes when a key is taken or more are expected.
 * <li><b>Sized to what falls due.</b> Beyond its base size the reserve holds a key for every
 * rotation {@link #expect expected} soon (the scheduler counts the policies due within a horizon),
 * up to a maximum: a burst of scheduled rotations then finds its keys made in the idle minutes
 * before it, instead of generating them while it runs. The CPU is the same; it moves out of the
 * burst. Several replicas each prepare for the whole burst (any of them may claim any run); keys
 * one does not use stay ready for the next burst.
 * </ul>
 */
public final class KeyReserve implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(KeyReserve.class);

    /** How long the filler waits before looking again at a busy key pool. */
    static final Duration BUSY_PAUSE = Duration.ofMillis(200);

    /** How long the filler waits after a generation failed for a reason that may pass. */
    static final Duration FAILURE_PAUSE = Duration.ofSeconds(10);

    /** What one {@link #fillOne} attempt did. */
    public enum Fill {
        /** A key was generated and is ready. */
        ADDED,
        /** The reserve is full (or disabled, or closed): nothing to do. */
        FULL,
        /** The key pool was running or queueing work: a live run may need it, so nothing was done. */
        BUSY,
        /** The generation failed; the filler tries again later. */
        FAILED
    }

    private final int capacity;
    private final int maximum;
    private final int keySize;
    private final int pbkdf2Iterations;
    private final BoundedWork keyWork;
    private final BlockingQueue<NewKey> ready;
    private final AtomicLong taken = new AtomicLong();
    private final AtomicLong missed = new AtomicLong();
    /** Runs generating their key on demand right now: while there is one, the pool is not idle. */
    private final AtomicInteger demand = new AtomicInteger();
    /** Rotations expected soon, beyond the base size ({@link #expect}). */
    private volatile int expected;
    private final Object changed = new Object();
    private volatile boolean closed;
    private volatile Thread filler;

    /** A reserve of a fixed size: {@link #expect} adds nothing. */
    public KeyReserve(int capacity, int keySize, int pbkdf2Iterations, BoundedWork keyWork) {
        this(capacity, capacity, keySize, pbkdf2Iterations, keyWork);
    }

    /**
     * @param capacity         keys held while no rotation is expected; 0 disables the reserve ({@link #take}
     *                         is always empty, {@link #expect} adds nothing)
     * @param maximum          keys held at most, expected rotations included (at least {@code capacity})
     * @param keySize          the only key size held and served
     * @param pbkdf2Iterations PBKDF2 rounds of the stored form's encryption, as GENERATE uses
     * @param keyWork          the bounded key pool: both the reserve's and GENERATE's generations run on it
     */
    public KeyReserve(int capacity, int maximum, int keySize, int pbkdf2Iterations, BoundedWork keyWork) {
        if (capacity < 0) {
            throw new IllegalArgumentException("the key reserve's size must be at least 0, not " + capacity);
        }
        if (maximum < capacity) {
            throw new IllegalArgumentException("the key reserve's maximum (" + maximum + ") is below its size ("
                    + capacity + ")");
        }
        this.capacity = capacity;
        this.maximum = maximum;
        this.keySize = keySize;
        this.pbkdf2Iterations = pbkdf2Iterations;
        this.keyWork = keyWork;
        this.ready = new ArrayBlockingQueue<>(Math.max(1, maximum));
    }

    /** A reserve that holds nothing: {@link #take} generates every key on demand, as before the reserve. */
    public static KeyReserve none(BoundedWork keyWork, int pbkdf2Iterations) {
        return new KeyReserve(0, 2048, pbkdf2Iterations, keyWork);
    }

    /**
     * A key for GENERATE: a ready one of {@code keySize} bits if the reserve holds one (removed, so
     * it is handed out exactly once), else one generated now on the key pool, as without a reserve.
     *
     * @throws dev.keyline.common.work.WorkRejectedException when the pool is full (the run retries later)
     */
    public NewKey take(int keySize) {
        Optional<NewKey> ready = takeReady(keySize);
        if (ready.isPresent()) {
            return ready.get();
        }
        demand.incrementAndGet();
        try {
            return keyWork.call(() -> NewKey.generate(keySize, pbkdf2Iterations));
        } finally {
            demand.decrementAndGet();
        }
    }

    /** A ready key of {@code keySize} bits, removed from the reserve; empty when it holds none. */
    public Optional<NewKey> takeReady(int keySize) {
        if (capacity == 0 || keySize != this.keySize) {
            return Optional.empty();
        }
        NewKey key = ready.poll();
        if (key == null) {
            missed.incrementAndGet();
            return Optional.empty();
        }
        taken.incrementAndGet();
        synchronized (changed) {
            changed.notifyAll();
        }
        return Optional.of(key);
    }

    /**
     * Starts the background filler after {@code delay} (start-up work and the first due runs go
     * first); nothing when the reserve is disabled or already started.
     */
    public synchronized void start(Duration delay) {
        if (capacity == 0 || closed || filler != null) {
            return;
        }
        filler = Thread.ofPlatform().daemon().name("key-reserve").start(() -> fill(delay));
    }

    private void fill(Duration delay) {
        try {
            Thread.sleep(delay);
            while (!closed) {
                switch (fillOne()) {
                    case ADDED -> {
                        // at once: the next key, if the pool is still idle
                    }
                    case FULL -> waitForTake();
                    case BUSY -> Thread.sleep(BUSY_PAUSE);
                    case FAILED -> Thread.sleep(FAILURE_PAUSE);
                }
            }
        } catch (InterruptedException e) {
            // closing
        } catch (IllegalArgumentException e) {
            // A key size RSA generation refuses: a configuration error that every attempt repeats.
            LOG.errorf("Key reserve stopped: %s", e.getMessage());
        }
    }

    private void waitForTake() throws InterruptedException {
        synchronized (changed) {
            while (!closed && ready.size() >= target()) {
                changed.wait();
            }
        }
    }

    /**
     * One step of the filler: a new key into the reserve when it has room and the key pool is idle,
     * that is no run is generating or waiting to generate a key on demand ({@link #take} counts
     * them exactly; the executor's own active count lags a finished task) and nothing is queued.
     * The idle check and the submission are not atomic: a run that submits in between waits behind
     * this one generation, which is the bound the reserve promises.
     *
     * @throws IllegalArgumentException when the configured key size cannot be generated
     */
    public Fill fillOne() {
        if (capacity == 0 || closed || ready.size() >= target()) {
            return Fill.FULL;
        }
        if (demand.get() > 0 || keyWork.load().queued() > 0) {
            return Fill.BUSY;
        }
        NewKey key;
        try {
            key = keyWork.call(() -> NewKey.generate(keySize, pbkdf2Iterations));
        } catch (WorkRejectedException e) {
            return Fill.BUSY;
        } catch (CancellationException e) {
            return Fill.FULL; // interrupted: closing
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.warnf("Key reserve: generating a key failed (%s); trying again in %s", e.getClass().getSimpleName(),
                    FAILURE_PAUSE);
            return Fill.FAILED;
        }
        if (!ready.offer(key)) {
            return Fill.FULL;
        }
        if (closed) {
            ready.clear(); // closed while this key was being made: it must not outlive close()
            return Fill.FULL;
        }
        return Fill.ADDED;
    }

    /**
     * How many rotations of the reserve's key size are expected soon (due within the scheduler's
     * horizon): the reserve fills up to its size plus these, at most its maximum. A lower count
     * drops no ready key; they are taken by the runs that come.
     */
    public void expect(int rotations) {
        int was = expected;
        expected = Math.max(0, rotations);
        if (expected > was) {
            synchronized (changed) {
                changed.notifyAll();
            }
        }
    }

    /** Keys the reserve fills up to now: its size plus the rotations expected, at most its maximum. */
    public int target() {
        return capacity == 0 ? 0 : (int) Math.min(maximum, (long) capacity + expected);
    }

    /** Keys ready now. */
    public int ready() {
        return ready.size();
    }

    /** Keys held while no rotation is expected; 0 when disabled. */
    public int capacity() {
        return capacity;
    }

    /** The one key size held. */
    public int keySize() {
        return keySize;
    }

    /** Keys handed out since start. */
    public long taken() {
        return taken.get();
    }

    /** Requests for the reserve's key size that found it empty (and generated on demand). */
    public long missed() {
        return missed.get();
    }

    /** The fingerprints (public) of the keys ready now, for tests and diagnostics. */
    public List<String> readyFingerprints() {
        List<String> out = new ArrayList<>();
        ready.forEach(k -> out.add(k.fingerprint()));
        return out;
    }

    /** Stops the filler and drops every ready key (never registered anywhere, so nothing is lost). */
    @Override
    public void close() {
        closed = true;
        Thread t = filler;
        if (t != null) {
            t.interrupt();
        }
        ready.clear();
        synchronized (changed) {
            changed.notifyAll();
        }
    }

    @Override
    public String toString() {
        return "KeyReserve[ready=" + ready.size() + "/" + target() + ", " + keySize + " bits]";
    }
}
