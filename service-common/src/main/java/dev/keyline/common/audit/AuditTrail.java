package dev.keyline.common.audit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import dev.keyline.common.security.Caller;
import dev.keyline.common.tracing.Spans;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/**
 * Writes and reads audit events. A successful change is recorded inside the change's own
 * transaction, so the two commit or roll back together; a failure is recorded in a transaction of
 * its own, because the failed change's transaction is about to roll back.
 */
@ApplicationScoped
public class AuditTrail {

    @Inject
    Caller caller;

    /** A successful change, committed or rolled back together with the change itself. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void success(String action, String resourceType, String resourceId, String fingerprints, String detail) {
        persist(action, resourceType, resourceId, Outcome.SUCCESS, fingerprints, detail);
    }

    /** An event that stands on its own: a refused or failed change, or a use such as an exchange. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void standalone(String action, String resourceType, String resourceId, Outcome outcome, String fingerprints,
            String detail) {
        persist(action, resourceType, resourceId, outcome, fingerprints, detail);
    }

    private void persist(String action, String resourceType, String resourceId, Outcome outcome, String fingerprints,
            String detail) {
        AuditEvent e = new AuditEvent();
        e.id = UUID.randomUUID();
        e.occurredAt = Instant.now();
        e.actor = caller.name();
        e.via = caller.via();
        e.action = action;
        e.resourceType = resourceType;
        e.resourceId = resourceId;
        e.outcome = outcome.name();
        e.fingerprints = fingerprints;
        e.detail = detail;
        e.traceId = Spans.currentTraceId();
        e.persist();
    }

    /** Newest first, filtered by whichever criteria are given. */
    public List<AuditEvent> find(AuditQuery q) {
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters p = new Parameters();
        if (q.resourceId() != null) {
            where.append(" and resourceId = :resourceId");
            p.and("resourceId", q.resourceId());
        }
        if (q.action() != null) {
            where.append(" and action = :action");
            p.and("action", q.action());
        }
        if (q.actor() != null) {
            where.append(" and actor = :actor");
            p.and("actor", q.actor());
        }
        if (q.outcome() != null) {
            where.append(" and outcome = :outcome");
            p.and("outcome", q.outcome().name());
        }
        if (q.since() != null) {
            where.append(" and occurredAt >= :since");
            p.and("since", q.since());
        }
        return AuditEvent.<AuditEvent> find(where.toString(), Sort.descending("occurredAt"), p)
                .page(Page.of(q.page(), q.size())).list();
    }

    /** Filters for {@link #find}; null means "any". */
    public record AuditQuery(String resourceId, String action, String actor, Outcome outcome, Instant since, int page,
            int size) {
    }
}
