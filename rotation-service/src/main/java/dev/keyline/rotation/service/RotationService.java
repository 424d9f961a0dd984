package dev.keyline.rotation.service;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.keyline.common.audit.AuditTrail;
import dev.keyline.common.audit.Outcome;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.rotation.ConnectionInfo;
import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.PendingKeys;
import dev.keyline.rotation.PolicyRepository;
import dev.keyline.rotation.ResultPage;
import dev.keyline.rotation.RotationPolicy;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunRepository;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.RunStore.StepLog;
import dev.keyline.rotation.Schedule;
import dev.keyline.rotation.client.ConnectionServiceClient;
import dev.keyline.rotation.config.RotationServiceConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What the API does with runs and policies: the checks before anything is persisted, the reads,
 * and an operator's decision on a run that needs attention.
 */
@ApplicationScoped
public class RotationService {

    private static final Logger LOG = Logger.getLogger(RotationService.class);

    /** The longest reason an operator may give for retrying or closing a run. */
    public static final int MAX_REASON_LENGTH = 500;

    @Inject
    ConnectionServiceClient connections;

    @Inject
    RunRepository runs;

    @Inject
    PolicyRepository policies;

    @Inject
    PendingKeys pendingKeys;

    @Inject
    RotationMetrics metrics;

    @Inject
    RotationWorker worker;

    @Inject
    RotationServiceConfig config;

    @Inject
    AuditTrail audit;

    /** A policy as the API receives it. */
    public record PolicyInput(UUID connectionId, String schedule, String windowStart, String windowEnd,
            String windowZone, Integer keySize, String gracePeriod, Integer maxAttempts, Boolean enabled) {
    }

    /**
     * Starts a run for {@code caller}, whose own token ({@code callerToken}) must let it manage the
     * connection at connection-service (adopt included); the run then executes under this service's
     * identity.
     */
    public RotationRun startRun(UUID connectionId, boolean adopt, String caller, String callerToken) {
        ConnectionInfo c;
        try {
            c = keyPairConnection(connectionId, "connectionId", callerToken);
        } catch (ProblemException e) {
            if (e.status() == 403) {
                audit.standalone("rotation.started", "rotation", null, Outcome.DENIED, null,
                        "connection " + connectionId + (adopt ? ", adopt" : "") + ": " + e.slug());
            }
            throw e;
        }
        RotationRun run = RotationRun.create(connectionId, c.account(), c.user(), Instant.now());
        run.adopt = adopt;
        run.createdBy = caller;
        run.owner = caller;
        run.maxAttempts = config.retry().defaultMaxAttempts();
        policies.forConnection(connectionId).ifPresent(p -> {
            run.policyId = p.id;
            run.keySize = p.keySize;
            run.gracePeriod = p.gracePeriod;
            run.maxAttempts = p.maxAttempts;
        });
        try {
            // The run and its audit event commit together.
            QuarkusTransaction.requiringNew().run(() -> {
                runs.insert(run);
                audit.success("rotation.started", "rotation", run.id.toString(), null, "connection " + connectionId
                        + (adopt ? ", adopt" : "") + (run.policyId != null ? ", policy " + run.policyId : ""));
            });
        } catch (RunRepository.ActiveRunExistsException e) {
            audit.standalone("rotation.started", "rotation", null, Outcome.DENIED, null,
                    "connection " + connectionId + ": a rotation is already active for its Snowflake user");
            throw ProblemException.conflict("rotation-active", "A rotation is already active for Snowflake user "
                    + c.user() + " in account " + c.account());
        }
        worker.kick();
        return run;
    }

    public Optional<RotationRun> run(UUID id) {
        return runs.find(id);
    }

    public List<StepLog> steps(UUID runId) {
        return runs.steps(runId);
    }

    public ResultPage<RotationRun> runs(RunRepository.RunFilter filter, int page, int size) {
        return runs.list(filter, page, size);
    }

    public Optional<RotationPolicy> policy(UUID id) {
        return policies.find(id);
    }

    public ResultPage<RotationPolicy> policies(PolicyRepository.PolicyFilter filter, int page, int size) {
        return policies.list(filter, page, size);
    }

    /**
     * Resumes a NEEDS_ATTENTION run in the step it stopped in, with fresh attempts, for
     * {@code caller}, who must be allowed to manage its connection (own token, as for starting a run).
     *
     * <p>Why the step it stopped in is a safe point: every step first re-reads the real state (both
     * key slots, the stored key of each connection, the pending key in Vault) and does only what is
     * still missing, which is what makes a resume after a crash harmless; a run the operator resumes
     * is the same case. A run stops in NEEDS_ATTENTION only in PLAN (it changed nothing yet), in
     * ROLLING_BACK (which unsets the new slot only while it holds the new key, or rolls forward when
     * the new key is stored), or after SWAP: MOVE (the other connections holding the old key; the
     * pending key is kept for it, and connections already on the new key are skipped), DRAIN or RETIRE
     * (RETIRE unsets the old slot only while it still holds the PLAN key and no connection stores it).
     * Steps before SWAP never stop there (their failures roll back). Starting over at PLAN instead
     * would be wrong after SWAP: PLAN would take the new key for the current one and the old key
     * would stay registered for ever.
     *
     * @param reason required, trimmed, at most {@value #MAX_REASON_LENGTH} characters; audited
     */
    public RotationRun retry(UUID runId, String reason, String caller, String callerToken) {
        String why = reason(reason);
        RotationRun run = needingAttention(runId, "retried");
        operatorMayManage(run, "rotation.retried", callerToken, false);
        RunState at = run.stoppedIn != null ? run.stoppedIn : RunState.PLAN;
        Instant now = Instant.now();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                if (!runs.resume(runId, at, now, caller, new StepLog(RunState.NEEDS_ATTENTION.name(), "RETRIED", now, now,
                        "by " + caller + ", resumed in " + at + ": " + why))) {
                    throw notNeedingAttention(runId, "retried");
                }
                audit.success("rotation.retried", "rotation", runId.toString(), null,
                        "connection " + run.connectionId + ", resumed in " + at + "; reason: " + why);
            });
        } catch (RunRepository.ActiveRunExistsException e) {
            throw ProblemException.conflict("rotation-active", "Another rotation is active for Snowflake user "
                    + run.snowflakeUser + " in account " + run.account + "; retry this one after it ended");
        }
        metrics.refresh();
        worker.kick();
        return runs.find(runId).orElseThrow();
    }

    /**
     * Ends a NEEDS_ATTENTION run as CLOSED for {@code caller} (allowed to manage its connection, or
     * the connection no longer exists): Snowflake is not touched, whatever the run left there is the
     * operator's to judge. Only the run's pending key (if one is left in Vault) is deleted: no copy
     * of a private key outlives its run.
     */
    public RotationRun close(UUID runId, String reason, String caller, String callerToken) {
        String why = reason(reason);
        RotationRun run = needingAttention(runId, "closed");
        operatorMayManage(run, "rotation.closed", callerToken, true);
        Instant now = Instant.now();
        QuarkusTransaction.requiringNew().run(() -> {
            if (!runs.close(runId, why, now, new StepLog(RunState.CLOSED.name(), "OK", now, now,
                    "by " + caller + ": " + why))) {
                throw notNeedingAttention(runId, "closed");
            }
            audit.success("rotation.closed", "rotation", runId.toString(),
                    RotationEngine.fingerprints(run.oldFingerprint, run.newFingerprint),
                    "connection " + run.connectionId + ", stopped in " + run.stoppedIn + "; reason: " + why);
        });
        try {
            pendingKeys.delete(runId);
        } catch (RuntimeException e) {
            // Absent is the usual case; a sealed Vault keeps it until someone deletes it.
            LOG.warnf("Rotation %s closed; deleting its pending key failed (%s)", runId, e.getClass().getSimpleName());
        }
        metrics.refresh();
        return runs.find(runId).orElseThrow();
    }

    private static String reason(String reason) {
        String r = reason == null ? "" : reason.strip();
        if (r.isEmpty()) {
            throw ProblemException.invalidField("reason", "is required: say why (it is audited)");
        }
        if (r.length() > MAX_REASON_LENGTH) {
            throw ProblemException.invalidField("reason", "must be at most " + MAX_REASON_LENGTH + " characters");
        }
        return r;
    }

    private RotationRun needingAttention(UUID runId, String verb) {
        RotationRun run = runs.find(runId).orElseThrow(() -> ProblemException.notFound("Rotation", runId));
        if (run.state != RunState.NEEDS_ATTENTION) {
            throw new ProblemException(409, "run-not-needs-attention", "Conflict", "Rotation " + runId + " is "
                    + run.state + "; only a run in NEEDS_ATTENTION can be " + verb);
        }
        return run;
    }

    private static ProblemException notNeedingAttention(UUID runId, String verb) {
        return new ProblemException(409, "run-not-needs-attention", "Conflict", "Rotation " + runId
                + " left NEEDS_ATTENTION meanwhile; only a run in NEEDS_ATTENTION can be " + verb);
    }

    /**
     * The same delegation check as starting a run: the caller's own token must let it manage the
     * run's connection at connection-service. A connection that no longer exists can only be closed.
     */
    private void operatorMayManage(RotationRun run, String action, String callerToken, boolean goneIsFine) {
        if (!callerMayManage(run.connectionId, action, "rotation", run.id, callerToken) && !goneIsFine) {
            throw ProblemException.conflict("connection-deleted", "Connection " + run.connectionId
                    + " no longer exists at connection-service: there is nothing to retry; close the run instead");
        }
    }

    /**
     * Whether the connection still exists, if the caller's own token lets it manage it at
     * connection-service (403 {@code connection-not-manageable}, audited {@code DENIED} on the
     * resource, otherwise).
     */
    private boolean callerMayManage(UUID connectionId, String action, String resourceType, UUID resourceId,
            String callerToken) {
        try {
            keyPairConnection(connectionId, "connectionId", callerToken);
            return true;
        } catch (ProblemException e) {
            if (e.status() == 404) {
                return false;
            }
            if (e.status() == 403) {
                audit.standalone(action, resourceType, resourceId.toString(), Outcome.DENIED, null,
                        "connection " + connectionId + ": " + e.slug());
            }
            throw e;
        }
    }

    /** A policy rotates the connection on a schedule: the caller must be allowed to manage it (own token). */
    public RotationPolicy createPolicy(PolicyInput in, String caller, String callerToken) {
        if (in.connectionId() == null) {
            throw ProblemException.invalidField("connectionId", "is required");
        }
        RotationPolicy p = new RotationPolicy();
        p.id = UUID.randomUUID();
        p.connectionId = in.connectionId();
        p.createdAt = Instant.now();
        p.createdBy = caller;
        apply(p, in, caller);
        ConnectionInfo c = keyPairConnection(in.connectionId(), "connectionId", callerToken);
        p.account = c.account();
        p.snowflakeUser = c.user();
        boolean inserted = QuarkusTransaction.requiringNew().call(() -> {
            if (!policies.insert(p)) {
                return false;
            }
            audit.success("rotation-policy.created", "rotation-policy", p.id.toString(), null, describe(p));
            return true;
        });
        if (!inserted) {
            throw new ProblemException(409, "policy-exists", "Conflict", "Connection " + in.connectionId()
                    + " already has a rotation policy; change it with PUT",
                    List.of(new FieldError("connectionId", "already has a policy")));
        }
        return p;
    }

    /** Replaces the policy if it is still at {@code expectedVersion} (the If-Match the caller sent); 412 otherwise. */
    public RotationPolicy updatePolicy(UUID id, PolicyInput in, String caller, String callerToken, long expectedVersion) {
        RotationPolicy p = policies.find(id).orElseThrow(() -> ProblemException.notFound("Rotation policy", id));
        if (p.version != expectedVersion) {
            throw stale(expectedVersion, p.version);
        }
        if (in.connectionId() != null && !in.connectionId().equals(p.connectionId)) {
            throw ProblemException.invalidField("connectionId", "cannot change; delete the policy and create another");
        }
        apply(p, in, caller);
        keyPairConnection(p.connectionId, "connectionId", callerToken);
        QuarkusTransaction.requiringNew().run(() -> {
            if (!policies.update(p, expectedVersion)) {
                // Another update won the race between the read above and this write.
                throw stale(expectedVersion, expectedVersion + 1);
            }
            audit.success("rotation-policy.updated", "rotation-policy", p.id.toString(), null, describe(p));
        });
        return p;
    }

    private static ProblemException stale(long expected, long current) {
        return new ProblemException(412, "stale-version", "Precondition failed",
                "The rotation policy changed since version " + expected + "; it is now at version " + current
                        + " or later: read it again and retry");
    }

    /**
     * Deletes the policy for {@code callerToken}'s owner; false when there is none. Deleting stops
     * the connection's scheduled rotation, as disabling it with PUT does, so it takes the same check:
     * the caller's own {@code connections:manage} on the connection. A policy whose connection is
     * gone (the scheduler disabled it) can still be deleted.
     */
    public boolean deletePolicy(UUID id, String callerToken) {
        RotationPolicy found = policies.find(id).orElse(null);
        if (found == null) {
            return false;
        }
        callerMayManage(found.connectionId, "rotation-policy.deleted", "rotation-policy", id, callerToken);
        return QuarkusTransaction.requiringNew().call(() -> {
            RotationPolicy p = policies.find(id).orElse(null);
            if (p == null || !policies.delete(id)) {
                return false;
            }
            audit.success("rotation-policy.deleted", "rotation-policy", id.toString(), null,
                    "connection " + p.connectionId);
            return true;
        });
    }

    private static String describe(RotationPolicy p) {
        return "connection " + p.connectionId + ", schedule " + p.schedule
                + (p.windowStart != null ? ", window " + p.windowStart + "-" + p.windowEnd + " " + p.windowZone : "")
                + ", keySize " + p.keySize + ", gracePeriod " + p.gracePeriod + ", maxAttempts " + p.maxAttempts
                + ", enabled " + p.enabled;
    }

    /** Checks every field of {@code in} and answers all bad ones at once (a 400 per field made a caller fix them one by one). */
    private void apply(RotationPolicy p, PolicyInput in, String caller) {
        List<FieldError> errors = new ArrayList<>();
        Schedule schedule = null;
        try {
            schedule = Schedule.parse(in.schedule(), in.windowStart(), in.windowEnd(), in.windowZone());
        } catch (IllegalArgumentException e) {
            String msg = e.getMessage();
            int colon = msg.indexOf(':');
            errors.add(new FieldError(colon > 0 ? msg.substring(0, colon) : "schedule",
                    colon > 0 ? msg.substring(colon + 1).trim() : msg));
        }
        int keySize = in.keySize() == null ? 2048 : in.keySize();
        if (keySize != 2048 && keySize != 3072 && keySize != 4096) {
            errors.add(new FieldError("keySize", "must be 2048, 3072 or 4096"));
        }
        Duration grace = Duration.ZERO;
        if (in.gracePeriod() != null) {
            try {
                grace = Duration.parse(in.gracePeriod());
                if (grace.isNegative() || grace.compareTo(Duration.ofDays(30)) > 0) {
                    errors.add(new FieldError("gracePeriod", "must be between PT0S and P30D"));
                }
            } catch (DateTimeParseException e) {
                errors.add(new FieldError("gracePeriod", "must be an ISO-8601 duration such as PT1H"));
            }
        }
        int maxAttempts = in.maxAttempts() == null ? 5 : in.maxAttempts();
        if (maxAttempts < 1 || maxAttempts > 50) {
            errors.add(new FieldError("maxAttempts", "must be between 1 and 50"));
        }
        if (!errors.isEmpty()) {
            throw errors.size() == 1 ? ProblemException.invalidField(errors.get(0).field(), errors.get(0).reason())
                    : ProblemException.invalidFields(errors);
        }
        p.schedule = in.schedule().trim();
        p.windowStart = in.windowStart();
        p.windowEnd = in.windowEnd();
        p.windowZone = in.windowZone();
        p.keySize = keySize;
        p.gracePeriod = grace;
        p.maxAttempts = maxAttempts;
        p.enabled = in.enabled() == null || in.enabled();
        if (p.enabled) {
            p.disabledReason = null;
        }
        p.updatedAt = Instant.now();
        p.updatedBy = caller;
        Instant now = Instant.now();
        p.nextDueAt = schedule.nextDue(p.lastRotatedAt != null ? p.lastRotatedAt : now, now);
    }

    /** The connection, if the caller (its own token) may manage it and it is a Snowflake key-pair one. */
    private ConnectionInfo keyPairConnection(UUID id, String field, String callerToken) {
        ConnectionInfo c;
        try {
            c = connections.manageable(id, callerToken);
        } catch (ConnectionServiceException e) {
            if (e.status() == 403) {
                throw new ProblemException(403, "connection-not-manageable", "Connection not manageable",
                        "Rotating connection " + id + " needs your own connections:manage at connection-service");
            }
            if (e.status() == 401) {
                throw new ProblemException(403, "connection-service-rejected-token", "connection-service refused your token",
                        "connection-service did not accept your token, which rotation-service forwards to check that you "
                                + "may manage connection " + id + ": it must be valid for connection-service too");
            }
            if (e.status() == 404) {
                throw new ProblemException(404, "unknown-connection", "Unknown connection",
                        "connection-service has no connection " + id, List.of(new FieldError(field, "unknown connection")));
            }
            if (e.transientFailure()) {
                throw new ConnectionServiceUnavailable("connection-service could not be asked about connection " + id
                        + "; nothing was changed. " + (e.status() == 0 ? e.getMessage()
                                : "It answered " + e.status() + " (" + e.problemType() + "). Retry later."));
            }
            throw new ProblemException(502, "connection-service-refused", "connection-service refused",
                    "connection-service answered " + e.status() + " (" + e.problemType() + ")");
        }
        if (!c.isKeyPair()) {
            throw new ProblemException(400, "not-key-pair", "Not a key-pair connection",
                    "Connection " + id + " is not a Snowflake key-pair connection",
                    List.of(new FieldError(field, "not a Snowflake key-pair connection")));
        }
        return c;
    }
}
