package dev.keyline.rotation.service;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.keyline.common.logging.FailureText;
import dev.keyline.rotation.PolicyRepository;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunRepository;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.RunStore;
import dev.keyline.rotation.client.ConnectionServiceClient;
import dev.keyline.rotation.config.RotationServiceConfig;
import dev.keyline.rotation.service.steps.StepContext;
import dev.keyline.rotation.vault.PendingKeyVault;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownDelayInitiatedEvent;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * The scheduler loop of one replica: every few seconds (and at the next due time when that comes
 * sooner: {@link ScheduleLookAhead}) it turns due policies into runs and claims
 * due runs (row leases, {@code FOR UPDATE SKIP LOCKED}), executing at most {@code concurrency} at
 * once (platform threads), of which at most {@code concurrency-per-owner} are one owner's runs
 * ({@link RotationRun#owner}): an owner's further due runs are not claimed while it holds its share,
 * so one person's runs against a Snowflake that never answers cannot take every worker. The lease
 * of a run being executed is renewed while its steps run ({@link LeaseKeeper}); a run that crashed
 * with its replica becomes claimable when its lease expires, and resumes from its last persisted step.
 */
@ApplicationScoped
public class RotationWorker {

    private static final Logger LOG = Logger.getLogger(RotationWorker.class);

    @Inject
    RunRepository runs;

    @Inject
    PolicyRepository policies;

    @Inject
    DeletedConnections deletedConnections;

    @Inject
    ConnectionServiceClient connections;

    @Inject
    PendingKeyVault pendingKeys;

    @Inject
    RotationServiceConfig config;

    @Inject
    MeterRegistry registry;

    @Inject
    RotationMetrics metrics;

    @Inject
    RotationWork work;

    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean ticking = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    /** The runs this replica executes now, with their owner ("" for none). */
    private final Map<UUID, String> inFlight = new ConcurrentHashMap<>();
    /** Due runs the last claim round with a free worker left because their owner held its share. */
    private final AtomicInteger waitingForShare = new AtomicInteger();
    private ExecutorService executor;
    private Semaphore slots;
    private int perOwner;
    private RotationEngine engine;
    private ScheduleLookAhead lookAhead;
    private LeaseKeeper leases;
    private String owner;
    private volatile boolean stopping;

    @PostConstruct
    void init() {
        owner = config.worker().id().orElseGet(RotationWorker::defaultId);
        runs.leaseDuration(config.worker().lease());
        leases = new LeaseKeeper(runs, config.worker().lease());
        // Platform threads: at most `concurrency` runs plus a tick are alive, and under load virtual
        // threads were seen parked for good in the PostgreSQL driver's socket read (bench/README.md).
        executor = Executors.newThreadPerTaskExecutor(Thread.ofPlatform().daemon().name("rotation-", 0).factory());
        slots = new Semaphore(config.worker().concurrency());
        perOwner = perOwner(config.worker().concurrency(), config.worker().concurrencyPerOwner());
        Gauge.builder("keyline_rotation_runs_waiting_for_share", waitingForShare, AtomicInteger::get)
                .description("Due runs the last claim round left unclaimed because their owner already held its share "
                        + "of this replica's workers (rotation-service.worker.concurrency-per-owner)")
                .register(registry);
        engine = new RotationEngine(
                new StepContext(connections, new HeldPendingKeys(pendingKeys), runs, clock, work.reserve()),
                new Backoff(config.retry().base(), config.retry().max()), this::finished);
        lookAhead = new ScheduleLookAhead(policies::upcoming, work.reserve(), config.work().keyReserveAhead(),
                ScheduleLookAhead.pollInterval(config.worker().poll()), this::kick);
    }

    /**
     * SIGTERM with {@code quarkus.shutdown.delay}: readiness is DOWN and the pod leaves the Service
     * while the delay runs; stop claiming now, so held runs are handed over during the delay already.
     */
    void shutdownDelayed(@Observes ShutdownDelayInitiatedEvent event) {
        stopClaiming();
    }

    /**
     * An orderly stop hands the held runs over at once instead of after their lease: no new claims,
     * each held run ends after its current step (saved), and its lease is released as it returns
     * (in {@link #start}), so another replica's next poll continues it. Waits at most
     * {@code worker.shutdown-wait}; a run still inside a step then is interrupted by {@link #stop}
     * and its lease released all the same (the step is repeated, every step being idempotent).
     */
    void handOver(@Observes ShutdownEvent event) {
        stopClaiming();
        long deadline = System.nanoTime() + config.worker().shutdownWait().toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (inFlight.isEmpty()) {
            LOG.info("Shutting down: every held run was saved and released");
        } else {
            LOG.warnf("Shutting down: %d run(s) still inside a step after %s; interrupting them", inFlight.size(),
                    config.worker().shutdownWait());
        }
    }

    private void stopClaiming() {
        if (!stopping) {
            stopping = true;
            engine.stopAfterCurrentStep();
            LOG.infof("Shutting down: claiming no more runs; %d held run(s) stop at the end of their current step",
                    inFlight.size());
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
        leases.close();
    }

    public String owner() {
        return owner;
    }

    @Scheduled(every = "${rotation-service.worker.poll:5s}", delayed = "${rotation-service.worker.initial-delay:2s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduled() {
        tick();
    }

    /** Ask for a tick now (after a run was created), without waiting for it. */
    public void kick() {
        try {
            executor.submit(this::tick);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    /**
     * One round: policies due → runs; due runs → claimed and started. A tick asked for while one is
     * running is not lost: the running one does another round, so a run waiting for a free slot
     * starts as soon as one is released, not at the next poll.
     */
    public void tick() {
        again.set(true);
        do {
            if (!ticking.compareAndSet(false, true)) {
                return;
            }
            try {
                while (again.getAndSet(false)) {
                    round();
                }
            } finally {
                ticking.set(false);
            }
        } while (again.get());
    }

    private void round() {
        if (stopping) {
            return;
        }
        try {
            createRunsForDuePolicies();
            lookAhead();
            int free = slots.availablePermits();
            if (free > 0) {
                RunRepository.Claim claim = runs.claimDue(owner, free, perOwner, heldPerOwner());
                waitingForShare.set(claim.waitingForShare());
                for (RotationRun run : claim.runs()) {
                    start(run);
                }
            }
            metrics.refresh();
        } catch (RuntimeException e) {
            LOG.warnf("Rotation tick failed: %s", e.getMessage());
        }
    }

    private void start(RotationRun run) {
        if (inFlight.containsKey(run.id)) {
            // Still executing here although its lease lapsed (a very slow step): never run it twice.
            return;
        }
        if (!slots.tryAcquire()) {
            runs.release(run.id, owner);
            return;
        }
        inFlight.put(run.id, run.owner == null ? "" : run.owner);
        executor.submit(() -> {
            // Renewed while the steps run, however long connection-service takes to answer.
            try (LeaseKeeper.Held held = leases.hold(run.id, owner)) {
                engine.execute(run);
            } catch (RunStore.LeaseLostException e) {
                LOG.warnf("Rotation %s: lease lost to another replica; stopping here", run.id);
            } catch (RuntimeException e) {
                LOG.warnf("Rotation %s stopped by %s; it resumes when claimed again", run.id, e.getClass().getSimpleName());
            } finally {
                try {
                    runs.release(run.id, owner);
                } catch (RuntimeException e) {
                    LOG.warnf("Rotation %s: releasing the lease failed; it expires by itself", run.id);
                }
                inFlight.remove(run.id);
                slots.release();
                // A slot is free: start the next due run now rather than at the next poll.
                if (!executor.isShutdown()) {
                    kick();
                }
            }
        });
    }

    /** The runs this replica executes now, per owner: what counts against each owner's share. */
    private Map<String, Integer> heldPerOwner() {
        Map<String, Integer> held = new HashMap<>();
        for (String o : inFlight.values()) {
            held.merge(o, 1, Integer::sum);
        }
        return held;
    }

    /**
     * Workers one owner's runs may occupy: the configured number, else all but one of {@code concurrency}
     * (at least 1); 0 when there is no limit (configured 0, or at least {@code concurrency}, which no
     * owner can exceed anyway). All but one, not half: one owner cannot take the last worker from everyone
     * else either way (a worker lent cannot be taken back from a Snowflake that never answers), and its
     * bursts (one automation saving every policy) keep three of four workers instead of two.
     */
    static int perOwner(int concurrency, OptionalInt configured) {
        if (configured.isPresent() && configured.getAsInt() < 0) {
            throw new IllegalArgumentException("rotation-service.worker.concurrency-per-owner must not be negative: "
                    + configured.getAsInt());
        }
        int share = configured.orElse(Math.max(1, concurrency - 1));
        return share >= concurrency ? 0 : share;
    }

    /** For tests: runs this replica is executing now. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * Due policies become runs; first, those whose connection connection-service no longer has are
     * disabled instead (rotation-service depends on connection-service, not the reverse, so nobody
     * tells it when a connection is deleted). Both use the same instant: a policy that falls due
     * while the connections are being looked up waits for the next round, so none becomes a run
     * without its connection having been checked.
     */
    void createRunsForDuePolicies() {
        Instant now = clock.instant();
        try {
            deletedConnections.disablePolicies(now);
            policies.startDueRuns(now, DeletedConnections.LIMIT);
        } catch (RuntimeException e) {
            LOG.warnf("Creating runs for due policies failed (the next round tries again): %s",
                    FailureText.ofRootCause(e));
        }
    }

    private void lookAhead() {
        try {
            lookAhead.update(clock.instant());
        } catch (RuntimeException e) {
            LOG.warnf("Looking at the policies due soon failed: %s", e.getClass().getSimpleName());
        }
    }

    private void finished(RotationRun run) {
        metrics.finished(run);
        if (run.state == RunState.DONE) {
            policies.forConnection(run.connectionId).ifPresent(p -> {
                Instant at = run.finishedAt;
                policies.markRotated(p.connectionId, at, p.parsedSchedule().nextDue(at, at));
            });
        } else if (run.state == RunState.ROLLED_BACK && "schedule".equals(run.trigger)) {
            // Nothing changed in Snowflake; the schedule moved on a whole period when the run was created.
            policies.dueAgainAt(run.connectionId, run.finishedAt.plus(config.retry().afterRollback()));
        }
        Timer.builder("keyline_rotation_duration_seconds").description("Duration of finished rotation runs")
                .tag("outcome", run.state.name().toLowerCase()).publishPercentileHistogram().register(registry)
                .record(Duration.between(run.createdAt, run.finishedAt));
    }


    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            host = "replica";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
