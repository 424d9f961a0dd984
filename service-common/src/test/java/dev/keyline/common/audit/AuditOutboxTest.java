package dev.keyline.common.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The deferred audit writer's guarantees, with a stand-in for the database: accepted events are
 * written soon after (batched), a failing database delays them without losing them, an orderly
 * shutdown writes every queued event before it returns, and a database still down at shutdown
 * loses only what is counted and logged as lost.
 */
class AuditOutboxTest {

    /** What the stand-in database holds; {@code down} makes every write fail. */
    final List<AuditRow.Stamped> table = Collections.synchronizedList(new ArrayList<>());
    final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    final AtomicBoolean down = new AtomicBoolean();
    volatile CountDownLatch gate = new CountDownLatch(0);
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    AuditOutbox outbox;

    AuditOutbox outbox(int capacity, Duration flushWait) {
        AuditOutbox o = new AuditOutbox();
        o.registry = registry;
        o.config = new AuditOutboxConfig() {
            public int capacity() {
                return capacity;
            }

            public int batchSize() {
                return 50;
            }

            public Duration retryDelay() {
                return Duration.ofMillis(20);
            }

            public Duration flushWait() {
                return flushWait;
            }
        };
        o.batches = rows -> {
            try {
                gate.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            if (down.get()) {
                throw new IllegalStateException("database unavailable");
            }
            batchSizes.add(rows.size());
            table.addAll(rows);
        };
        o.init();
        outbox = o;
        return o;
    }

    @AfterEach
    void stop() {
        if (outbox != null) {
            gate.countDown();
            down.set(false);
            outbox.shutdown(null);
        }
    }

    static AuditRow row(int n) {
        return new AuditRow("uma", null, "connection.test", "connection", "c" + n, Outcome.SUCCESS, null, "n=" + n);
    }

    @Test
    void acceptedEventsAreInTheTableSoonAfterInOneOrFewBatches() throws Exception {
        AuditOutbox o = outbox(1000, Duration.ofSeconds(5));
        gate = new CountDownLatch(1); // the writer waits: events gather
        for (int i = 0; i < 120; i++) {
            o.add(row(i));
        }
        assertThat(table).isEmpty();
        gate.countDown();
        assertThat(o.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(table).extracting(s -> s.row().resourceId()).hasSize(120).doesNotHaveDuplicates();
        assertThat(batchSizes).hasSizeLessThanOrEqualTo(4).allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(50));
        assertThat(table.get(0).occurredAt()).as("stamped when it happened").isNotNull();
        assertThat(registry.counter("keyline.audit.outbox.written").count()).isEqualTo(120);
    }

    @Test
    void aFailingDatabaseDelaysEventsWithoutLosingThemAndEveryFailureIsCounted() throws Exception {
        AuditOutbox o = outbox(1000, Duration.ofSeconds(5));
        down.set(true);
        for (int i = 0; i < 10; i++) {
            o.add(row(i));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.counter("keyline.audit.outbox.failures").count() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(registry.counter("keyline.audit.outbox.failures").count()).isGreaterThanOrEqualTo(2);
        assertThat(o.flush(Duration.ofMillis(50))).as("not written while the database is down").isFalse();
        down.set(false);
        assertThat(o.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(table).hasSize(10);
        assertThat(registry.counter("keyline.audit.outbox.lost").count()).isZero();
    }

    @Test
    void anOrderlyShutdownWritesEveryQueuedEventBeforeItReturns() throws Exception {
        AuditOutbox o = outbox(1000, Duration.ofSeconds(10));
        gate = new CountDownLatch(1);
        for (int i = 0; i < 300; i++) {
            o.add(row(i));
        }
        Thread opener = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(200); // the database answers slowly: shutdown must wait for it
            } catch (InterruptedException e) {
                return;
            }
            gate.countDown();
        });
        o.shutdown(null);
        opener.join();
        assertThat(table).hasSize(300);
        assertThat(registry.counter("keyline.audit.outbox.lost").count()).isZero();

        // After shutdown an event is written by its caller, before add returns.
        o.add(row(300));
        assertThat(table).hasSize(301);
        assertThat(registry.counter("keyline.audit.outbox.direct").count()).isEqualTo(1);
    }

    @Test
    void aDatabaseStillDownAtShutdownLosesOnlyWhatIsCountedAsLost() throws Exception {
        AuditOutbox o = outbox(1000, Duration.ofMillis(300));
        down.set(true);
        for (int i = 0; i < 80; i++) {
            o.add(row(i));
        }
        o.shutdown(null);
        assertThat(table).isEmpty();
        assertThat(registry.counter("keyline.audit.outbox.lost").count()).isEqualTo(80);
        assertThat(o.pending()).isZero();
    }

    @Test
    void aFullQueueMakesTheCallerWriteItsEventItselfNothingIsDropped() throws Exception {
        AuditOutbox o = outbox(5, Duration.ofSeconds(5));
        gate = new CountDownLatch(1);
        o.add(row(0)); // taken by the writer, which then waits at the gate
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (o.pending() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        for (int i = 1; i <= 5; i++) {
            o.add(row(i));
        }
        assertThat(o.pending()).isEqualTo(5);
        Thread caller = Thread.ofPlatform().start(() -> o.add(row(6)));
        Thread.sleep(100);
        assertThat(caller.isAlive()).as("the caller writes synchronously (and here waits for the database)").isTrue();
        gate.countDown();
        caller.join(10_000);
        assertThat(o.flush(Duration.ofSeconds(10))).isTrue();
        assertThat(table).extracting(s -> s.row().resourceId()).containsExactlyInAnyOrder("c0", "c1", "c2", "c3", "c4",
                "c5", "c6");
        assertThat(registry.counter("keyline.audit.outbox.direct").count()).isEqualTo(1);
    }
}
