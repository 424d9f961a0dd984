package dev.keyline.console.overview;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keyline.console.api.ApiResponse;
import dev.keyline.console.api.ServiceClient;
import dev.keyline.console.api.ServiceUnavailableException;
import dev.keyline.console.api.Services;
import dev.keyline.console.certificates.Certificate;
import dev.keyline.console.overview.OverviewResource.AuditRow;
import dev.keyline.console.overview.OverviewResource.Check;
import dev.keyline.console.overview.OverviewResource.Health;
import dev.keyline.console.overview.OverviewResource.Panel;
import dev.keyline.console.rotations.Policy;
import dev.keyline.console.rotations.Run;

/**
 * The overview's nine upstream calls (three health reports, expiring certificates, due policies, runs in
 * NEEDS_ATTENTION, three audit trails), made at the same time, each bounded: a call still unanswered at the
 * deadline (the call timeout, plus a second for the connect) is cancelled and its panel says so. They used to
 * run one after another, so a hung Vault behind every service's health (5 s each) made the page take 15.8 s.
 *
 * <p>
 * The calls run on platform threads (README.md, "Threads") of a pool without a queue: when all
 * {@value #MAX_THREADS} threads are busy, the request's own thread makes the call, so a flood of overview requests
 * slows down to one call at a time per request instead of queueing without end.
 */
final class OverviewFetch {

    static final int MAX_THREADS = 64;

    private static final ThreadPoolExecutor POOL = pool();

    private static final List<String> SERVICES = List.of(Services.CERTIFICATE_SERVICE, Services.CONNECTION_SERVICE,
            Services.ROTATION_SERVICE);

    /** What the page shows; {@code auditAnswered}: at least one service listed its audit events. */
    record Page(List<Health> health, Panel<Certificate> expiring, Panel<Policy> due, Panel<Run> attention,
            Panel<AuditRow> audit, List<String> auditUnavailable, boolean auditAnswered) {
    }

    /**
     * One service's audit events, or why there are none; {@code refused}: the service answered 401/403 (it does not
     * accept this person for reads).
     */
    private record Audit(List<AuditRow> rows, String unavailable, boolean refused) {
    }

    private final Services services;
    private final Duration expiringSoon;
    private final Duration deadline;

    OverviewFetch(Services services, Duration expiringSoon, Duration callTimeout) {
        this.services = services;
        this.expiringSoon = expiringSoon;
        this.deadline = callTimeout.plusSeconds(1);
    }

    Page fetch(String token) {
        long until = System.nanoTime() + deadline.toNanos();
        List<Future<Health>> health = new ArrayList<>();
        for (String service : SERVICES) {
            health.add(POOL.submit(() -> health(service)));
        }
        Future<Panel<Certificate>> expiring = POOL.submit(() -> expiring(token));
        Future<Panel<Policy>> due = POOL.submit(() -> due(token));
        Future<Panel<Run>> attention = POOL.submit(() -> attention(token));
        List<Future<Audit>> audits = new ArrayList<>();
        for (String service : SERVICES) {
            audits.add(POOL.submit(() -> audit(service, token)));
        }

        List<Health> healthShown = new ArrayList<>();
        for (int i = 0; i < SERVICES.size(); i++) {
            String service = SERVICES.get(i);
            healthShown.add(await(health.get(i), until, service,
                    why -> new Health(service, "UNREACHABLE", List.of(), why)));
        }
        Panel<Certificate> expiringShown = await(expiring, until, Services.CERTIFICATE_SERVICE, Panel::missing);
        Panel<Policy> dueShown = await(due, until, Services.ROTATION_SERVICE, Panel::missing);
        Panel<Run> attentionShown = await(attention, until, Services.ROTATION_SERVICE, Panel::missing);
        List<AuditRow> rows = new ArrayList<>();
        List<String> auditUnavailable = new ArrayList<>();
        boolean auditAnswered = false;
        for (int i = 0; i < SERVICES.size(); i++) {
            Audit a = await(audits.get(i), until, SERVICES.get(i), why -> new Audit(List.of(), why, false));
            if (a.unavailable() == null) {
                auditAnswered = true;
                rows.addAll(a.rows());
            } else {
                auditUnavailable.add(a.unavailable());
            }
            if (a.refused()) {
                // Check data names internal addresses, pool figures, and NEEDS_ATTENTION runs with their connection
                // ids: only for a person the service lets read. Someone it refuses sees the statuses alone.
                healthShown.set(i, withoutData(healthShown.get(i)));
            }
        }
        rows.sort(Comparator.comparing(AuditRow::occurredAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return new Page(healthShown, expiringShown, dueShown, attentionShown,
                Panel.of(rows.subList(0, Math.min(20, rows.size()))), auditUnavailable, auditAnswered);
    }

    private static Health withoutData(Health h) {
        return new Health(h.service(), h.status(),
                h.checks().stream().map(c -> new Check(c.name(), c.status(), "")).toList(), h.unavailable());
    }

    /** The call's result, or {@code missing} with why there is none (never the exception's message). */
    private <T> T await(Future<T> call, long until, String service, Function<String, T> missing) {
        try {
            return call.get(Math.max(0, until - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            return missing.apply(new ServiceUnavailableException(service,
                    "no answer within " + deadline.toSeconds() + " s").getMessage());
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            return missing.apply(new ServiceUnavailableException(service, "interrupted").getMessage());
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return missing.apply(new ServiceUnavailableException(service,
                    "the call failed (" + cause.getClass().getSimpleName() + ")").getMessage());
        }
    }

    private Health health(String service) {
        try {
            ApiResponse r = services.byName(service).getUnauthenticated(services.healthUrl(service));
            JsonNode body = r.body();
            if (body == null) {
                return new Health(service, "DOWN", List.of(), "answered HTTP " + r.status() + " without a health report");
            }
            List<Check> checks = new ArrayList<>();
            for (JsonNode c : body.path("checks")) {
                JsonNode data = c.get("data");
                checks.add(new Check(c.path("name").asText(), c.path("status").asText(),
                        data == null || data.isNull() ? "" : data.toString()));
            }
            return new Health(service, body.path("status").asText("DOWN"), checks, null);
        } catch (ServiceUnavailableException e) {
            return new Health(service, "UNREACHABLE", List.of(), e.getMessage());
        }
    }

    private Panel<Certificate> expiring(String token) {
        return panel(() -> {
            ApiResponse r = services.certificates().get("/api/v1/certificates?size=200", token);
            if (!r.ok()) {
                return Panel.missing(refused(Services.CERTIFICATE_SERVICE, r));
            }
            long limit = expiringSoon.toSeconds();
            List<Certificate> list = new ArrayList<>();
            for (JsonNode n : r.body().path("items")) {
                Certificate c = services.certificates().json().convertValue(n, Certificate.class);
                if (c.secondsUntilExpiry() < limit) {
                    list.add(c);
                }
            }
            list.sort(Comparator.comparingLong(Certificate::secondsUntilExpiry));
            return Panel.of(list);
        });
    }

    private Panel<Policy> due(String token) {
        return panel(() -> {
            ApiResponse r = services.rotations().get("/api/v1/rotation-policies", token);
            if (!r.ok()) {
                return Panel.missing(refused(Services.ROTATION_SERVICE, r));
            }
            Instant horizon = Instant.now().plus(Duration.ofDays(7));
            List<Policy> list = new ArrayList<>();
            // A page of rotation-service's list: {items, page, size, total}.
            for (JsonNode n : r.body().path("items")) {
                Policy p = services.rotations().json().convertValue(n, Policy.class);
                if (p.enabled() && p.nextDueAt() != null && p.nextDueAt().isBefore(horizon)) {
                    list.add(p);
                }
            }
            list.sort(Comparator.comparing(Policy::nextDueAt));
            return Panel.of(list);
        });
    }

    private Panel<Run> attention(String token) {
        return panel(() -> {
            ApiResponse r = services.rotations().get("/api/v1/rotations?state=NEEDS_ATTENTION&size=200", token);
            if (!r.ok()) {
                return Panel.missing(refused(Services.ROTATION_SERVICE, r));
            }
            List<Run> list = new ArrayList<>();
            for (JsonNode n : r.body().path("items")) {
                Run run = services.rotations().json().convertValue(n, Run.class);
                if (run.needsAttention()) {
                    list.add(run);
                }
            }
            return Panel.of(list);
        });
    }

    private static <T> Panel<T> panel(Supplier<Panel<T>> fetch) {
        try {
            return fetch.get();
        } catch (ServiceUnavailableException e) {
            return Panel.missing(e.getMessage());
        }
    }

    /**
     * A service's audit events, or its refusal as the other panels show it ("refused: A valid bearer token is
     * required"): a token every service rejects used to leave this panel saying "No events.".
     */
    private Audit audit(String service, String token) {
        try {
            ServiceClient client = services.byName(service);
            ApiResponse r = client.get("/api/v1/audit-events?size=20", token);
            if (!r.ok()) {
                return new Audit(List.of(), refused(service, r), r.status() == 401 || r.status() == 403);
            }
            List<AuditRow> rows = new ArrayList<>();
            for (JsonNode n : r.body()) {
                rows.add(new AuditRow(service,
                        n.hasNonNull("occurredAt") ? Instant.parse(n.get("occurredAt").asText()) : null,
                        n.path("actor").asText(), n.path("action").asText(), n.path("resourceType").asText(),
                        n.path("resourceId").asText(""), n.path("outcome").asText(), n.path("detail").asText("")));
            }
            return new Audit(rows, null, false);
        } catch (ServiceUnavailableException e) {
            return new Audit(List.of(), e.getMessage(), false);
        }
    }

    private static String refused(String service, ApiResponse r) {
        return service + " refused: " + r.problem().detail();
    }

    private static ThreadPoolExecutor pool() {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(0, MAX_THREADS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                r -> {
                    Thread t = new Thread(r, "console-overview-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.CallerRunsPolicy());
        return pool;
    }
}
