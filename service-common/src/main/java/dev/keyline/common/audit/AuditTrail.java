package dev.keyline.common.audit;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.security.Caller;
import dev.keyline.common.vault.VaultUnavailableException;
import dev.keyline.common.work.CallerShareExceededException;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;

/**
 * Writes and reads audit events. A successful change is recorded inside the change's own
 * transaction, so the two commit or roll back together; a failure is recorded in a transaction of
 * its own, because the failed change's transaction is about to roll back. Rows are written by
 * {@link AuditRow} on the transaction's own connection (the datasource enlists it in the JTA
 * transaction), like rotation-service's JDBC stores write theirs. A use that changed nothing may be
 * written after the answer instead ({@link #deferred}).
 */
@ApplicationScoped
public class AuditTrail {

    @Inject
    Caller caller;

    @Inject
    DataSource dataSource;

    @Inject
    AuditOutbox outbox;

    @ConfigProperty(name = "keyline.audit.query-timeout", defaultValue = "5s")
    Duration queryTimeout;

    /** A successful change, committed or rolled back together with the change itself. */
    @Transactional(Transactional.TxType.MANDATORY)
    public void success(String action, String resourceType, String resourceId, String fingerprints, String detail) {
        persist(action, resourceType, resourceId, Outcome.SUCCESS, fingerprints, detail);
    }

    /** An event that stands on its own: a refused or failed change, or a use such as an exchange. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void standalone(String action, String resourceType, String resourceId, Outcome outcome, String fingerprints,
            String detail) {
        if (outcome != Outcome.SUCCESS && shareRefusal(detail)) {
            return;
        }
        persist(action, resourceType, resourceId, outcome, fingerprints, detail);
    }

    /**
     * A use that changed nothing (a successful connection test), written after the caller has its
     * answer: through {@link AuditOutbox}, whose javadoc says what durability that keeps. Everything
     * else ({@link #success}, {@link #standalone}) is written before the answer, as before.
     */
    public void deferred(String action, String resourceType, String resourceId, Outcome outcome, String fingerprints,
            String detail) {
        outbox.add(new AuditRow(caller.name(), caller.via(), action, resourceType, resourceId, outcome, fingerprints,
                detail));
    }

    /**
     * Runs a change and records it when it fails: a refusal (403) as DENIED, any other problem or an
     * unavailable Vault as FAILED, with the problem's slug as detail; the failure is then rethrown.
     * The one place a service audits a change that did not happen (success is audited inside it).
     */
    public <T> T failuresOf(String action, String resourceType, UUID id, Supplier<T> change) {
        String resourceId = id == null ? null : id.toString();
        try {
            return change.get();
        } catch (VaultUnavailableException e) {
            standalone(action, resourceType, resourceId, Outcome.FAILED, null, "vault-unavailable");
            throw e;
        } catch (ProblemException e) {
            if (!audited(e)) {
                throw e;
            }
            standalone(action, resourceType, resourceId, e.status() == 403 ? Outcome.DENIED : Outcome.FAILED, null,
                    e.slug());
            throw e;
        }
    }

    /**
     * Whether a failure's detail is a caller's share refusal (429 {@code too-many-requests}, the slug's
     * only use): refused before any work, nothing used or changed, so it is counted
     * ({@code keyline_work_caller_refused_total}) but not audited row by row. Why: one caller past its
     * share wrote a row per refusal (1,430 in 25 s), a write per request it was refused to spare.
     */
    public static boolean shareRefusal(String detail) {
        String slug = CallerShareExceededException.SLUG;
        return detail != null && (detail.equals(slug) || detail.startsWith(slug + " "));
    }

    /** Whether a problem is audited: every one but a share refusal ({@link #shareRefusal}). */
    public static boolean audited(ProblemException p) {
        return !(p instanceof CallerShareExceededException);
    }

    private void persist(String action, String resourceType, String resourceId, Outcome outcome, String fingerprints,
            String detail) {
        AuditRow row = new AuditRow(caller.name(), caller.via(), action, resourceType, resourceId, outcome, fingerprints,
                detail);
        try (Connection c = dataSource.getConnection()) {
            row.insert(c);
        } catch (SQLException e) {
            throw new IllegalStateException("audit event " + action + " not written", e);
        }
    }

    /**
     * Newest first, filtered by whichever criteria are given. Why bounded: the table grows with every
     * exchange and test, and any reader may ask, so one query may cost at most {@code
     * keyline.audit.query-timeout} of one database process (no parallel workers); past it the caller
     * is told to narrow the query. Deep pages are bounded by {@code PageView.MAX_OFFSET} (see the
     * resource).
     */
    public List<AuditEvent> find(AuditQuery q) {
        // Read-your-writes on this replica: the deferred events accepted before this read are in the table.
        outbox.flushForRead();
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
        if (q.until() != null) {
            where.append(" and occurredAt <= :until");
            p.and("until", q.until());
        }
        try {
            return QuarkusTransaction.requiringNew().call(() -> {
                AuditEvent.getEntityManager()
                        .createNativeQuery("select set_config('statement_timeout', :timeout, true), "
                                + "set_config('max_parallel_workers_per_gather', '0', true)")
                        .setParameter("timeout", queryTimeout.toMillis() + "ms")
                        .getSingleResult();
                return AuditEvent.<AuditEvent> find(where.toString(), Sort.descending("occurredAt"), p)
                        .page(Page.of(q.page(), q.size())).list();
            });
        } catch (RuntimeException e) {
            if (cancelledByTimeout(e)) {
                throw new ProblemException(400, "audit-query-too-broad", "Audit query too broad",
                        "The query ran longer than " + queryTimeout.toMillis() + " ms and was stopped",
                        List.of(new FieldError("since", "narrow the query: a later since, an until, or a resourceId, "
                                + "actor or action")));
            }
            throw e;
        }
    }

    /** PostgreSQL's query_canceled, which statement_timeout raises, wherever Hibernate wrapped it. */
    private static boolean cancelledByTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "57014".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** Filters for {@link #find}; null means "any". */
    public record AuditQuery(String resourceId, String action, String actor, Outcome outcome, Instant since,
            Instant until, int page, int size) {
    }
}
