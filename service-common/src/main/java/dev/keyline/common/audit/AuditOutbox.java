package dev.keyline.common.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Reception;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;

/**
 * Writes audit events of uses (a connection test, say) after the answer instead of before it: the
 * event is stamped with its caller, time and trace where it happens, put into a bounded in-process
 * queue, and one writer thread inserts what has gathered in one statement (a multi-row INSERT), so the
 * request does not wait for a PostgreSQL transaction of its own.
 *
 * <p>What durability is kept:
 * <ul>
 * <li>An accepted event is committed within milliseconds on a healthy database; a read of the audit
 * trail on this replica first waits for the events accepted before it ({@link #flush}).</li>
 * <li>A failed write is logged, counted ({@code keyline.audit.outbox.failures}) and retried with
 * backoff, the events kept; when the queue is full, callers write their event themselves, as
 * {@link AuditTrail#standalone} does, so an event is never dropped for lack of room.</li>
 * <li>An orderly shutdown ({@link ShutdownEvent}, before the datasource closes) stops accepting (later
 * events are written synchronously) and writes everything queued; events it could not write within
 * {@code flush-wait} are logged as lost with their count and counted ({@code keyline.audit.outbox.lost}).</li>
 * <li>Not kept: a process killed without an orderly stop (SIGKILL, OOM kill, power loss) loses the
 * events accepted but not yet committed, in practice those of its last few milliseconds.</li>
 * </ul>
 * Changes are never audited through this class: their events commit with the change ({@link AuditTrail#success}).
 */
// Created at start (its writer thread still starts with the first event): the counters exist from the
// start at 0, as the alerts on keyline_audit_outbox_lost_total / _failures_total need (rate(), absent()).
@Startup
@ApplicationScoped
public class AuditOutbox {

    private static final Logger LOG = Logger.getLogger(AuditOutbox.class);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

    @Inject
    DataSource dataSource;

    @Inject
    AuditOutboxConfig config;

    @Inject
    MeterRegistry registry;

    private BlockingQueue<AuditRow.Stamped> queue;
    private Counter failures;
    private Counter lost;
    private Counter written;
    private Counter direct;
    /** Events accepted into the queue, and events the writer is done with (written or lost): flush waits on these. */
    private long accepted;
    private long done;
    private final Object progress = new Object();
    private volatile Thread writerThread;
    /** Writes one batch, all rows or none; replaced in unit tests. */
    BatchWriter batches;
    private volatile boolean closed;

    /** Writes a batch of rows, all or none. */
    @FunctionalInterface
    interface BatchWriter {
        void write(List<AuditRow.Stamped> rows);
    }

    @PostConstruct
    void init() {
        if (batches == null) {
            batches = this::insert;
        }
        queue = new ArrayBlockingQueue<>(config.capacity());
        failures = Counter.builder("keyline.audit.outbox.failures")
                .description("Failed writes of a batch of deferred audit events (each is retried)").register(registry);
        lost = Counter.builder("keyline.audit.outbox.lost")
                .description("Deferred audit events not written at an orderly shutdown (database unavailable)")
                .register(registry);
        written = Counter.builder("keyline.audit.outbox.written").description("Deferred audit events written")
                .register(registry);
        direct = Counter.builder("keyline.audit.outbox.direct")
                .description("Audit events written by their caller because the queue was full or closing")
                .register(registry);
        Gauge.builder("keyline.audit.outbox.pending", this, o -> o.queue.size())
                .description("Deferred audit events waiting to be written").register(registry);
    }

    /**
     * Accepts {@code row} for writing after the caller returns; stamps it with the current time and
     * trace. Writes it at once, on the caller's thread, when the queue is full or shutting down.
     */
    public void add(AuditRow row) {
        AuditRow.Stamped stamped = row.stamped();
        synchronized (progress) {
            if (!closed && queue.offer(stamped)) {
                accepted++;
                startWriter();
                return;
            }
        }
        direct.increment();
        batches.write(List.of(stamped));
    }

    /**
     * Waits until every event accepted before this call is written (or given up), at most {@code wait}.
     * @return whether they were
     */
    public boolean flush(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (progress) {
            long target = accepted;
            while (done < target) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return true;
        }
    }

    /** The read side's wait: read-your-writes on this replica, bounded by {@code flush-wait}. */
    void flushForRead() {
        if (!flush(config.flushWait())) {
            LOG.warnf("Reading the audit trail while %d deferred event(s) are not written yet", queue.size());
        }
    }

    /** Events waiting to be written (tests, diagnostics). */
    public int pending() {
        return queue.size();
    }

    /**
     * Before the datasource closes: no more events are queued (later ones are written by their
     * caller) and the queued ones are written, within {@code flush-wait}.
     */
    void shutdown(@Observes(notifyObserver = Reception.IF_EXISTS) ShutdownEvent event) {
        synchronized (progress) {
            closed = true;
        }
        boolean all = flush(config.flushWait());
        Thread w = writerThread;
        if (w != null) {
            w.interrupt();
            try {
                w.join(1000); // it counts a batch it was still retrying as lost
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (!all) {
            List<AuditRow.Stamped> left = new ArrayList<>();
            queue.drainTo(left);
            // The writer may hold one more batch it is retrying; it counts those itself when it gives up.
            if (!left.isEmpty()) {
                LOG.errorf("Shutting down: %d audit event(s) could not be written (database unavailable) and are lost",
                        left.size());
                lost.increment(left.size());
                finished(left.size());
            }
        }
    }

    private void startWriter() {
        if (writerThread == null) {
            // A platform thread: it outlives requests, and the PostgreSQL driver's blocking reads stay off the carriers.
            writerThread = Thread.ofPlatform().daemon().name("audit-outbox").start(this::drain);
        }
    }

    private void drain() {
        int batchSize = Math.min(config.batchSize(), AuditRow.MAX_ROWS_PER_INSERT);
        List<AuditRow.Stamped> batch = new ArrayList<>(batchSize);
        while (true) {
            try {
                if (batch.isEmpty()) {
                    AuditRow.Stamped first = queue.poll(1, TimeUnit.SECONDS);
                    if (first == null) {
                        if (closed && queue.isEmpty()) {
                            return;
                        }
                        continue;
                    }
                    batch.add(first);
                    queue.drainTo(batch, batchSize - 1);
                }
                writeWithRetries(batch);
                batch.clear();
            } catch (InterruptedException e) {
                if (!batch.isEmpty()) {
                    LOG.errorf("Shutting down: %d audit event(s) could not be written (database unavailable) and are lost",
                            batch.size());
                    lost.increment(batch.size());
                    finished(batch.size());
                }
                return;
            }
        }
    }

    /** Tries until written; interrupted (shutdown) while it still fails, it gives up. */
    private void writeWithRetries(List<AuditRow.Stamped> batch) throws InterruptedException {
        Duration delay = config.retryDelay();
        while (true) {
            try {
                batches.write(batch);
                written.increment(batch.size());
                finished(batch.size());
                return;
            } catch (RuntimeException e) {
                failures.increment();
                LOG.warnf("Writing %d deferred audit event(s) failed (%s); retrying in %d ms", batch.size(),
                        e.getClass().getSimpleName(), delay.toMillis());
                Thread.sleep(delay.toMillis());
                delay = delay.multipliedBy(2).compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay.multipliedBy(2);
            }
        }
    }

    private void finished(int count) {
        synchronized (progress) {
            done += count;
            progress.notifyAll();
        }
    }

    /**
     * One multi-row INSERT ({@link AuditRow#insertAll}), atomic on its own. The writer thread runs in
     * no transaction, so it writes on an autocommitted connection: no JTA transaction around it (that
     * cost a COMMIT round trip and the transaction's bookkeeping per batch, on a thread that competes
     * with requests for the cores). A caller writing its own event ({@link #add} with the queue full
     * or closing) may be inside a transaction, which the event must not join: that write runs in a
     * new one, as before.
     */
    private void insert(List<AuditRow.Stamped> rows) {
        if (QuarkusTransaction.isActive()) {
            QuarkusTransaction.requiringNew().run(() -> insertOn(rows, false));
        } else {
            insertOn(rows, true);
        }
    }

    private void insertOn(List<AuditRow.Stamped> rows, boolean ownCommit) {
        try (Connection c = dataSource.getConnection()) {
            AuditRow.insertAll(c, rows);
            if (ownCommit && !c.getAutoCommit()) {
                c.commit(); // a pool configured without autocommit: commit here, as autocommit would
            }
        } catch (SQLException e) {
            throw new IllegalStateException("audit events not written", e);
        }
    }
}
