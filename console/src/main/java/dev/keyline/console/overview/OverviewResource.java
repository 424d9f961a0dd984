package dev.keyline.console.overview;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keyline.console.ConsoleConfig;
import dev.keyline.console.api.ApiResponse;
import dev.keyline.console.api.ServiceClient;
import dev.keyline.console.api.ServiceUnavailableException;
import dev.keyline.console.api.Services;
import dev.keyline.console.certificates.Certificate;
import dev.keyline.console.rotations.Policy;
import dev.keyline.console.rotations.Run;
import dev.keyline.console.session.CurrentUser;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

/**
 * The operators' page. Each panel is fetched on its own: a service that is down makes its panels
 * say so, and every other panel still shows what it knows.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class OverviewResource {

    /** One service's readiness from its management port's {@code /q/health}. */
    @TemplateData
    public record Health(String service, String status, List<Check> checks, String unavailable) {
        public boolean up() {
            return "UP".equals(status);
        }
    }

    /** One health check: name, status and its data (e.g. a dependency's URL, NEEDS_ATTENTION runs). */
    @TemplateData
    public record Check(String name, String status, String data) {
    }

    /** A panel's content or why it is missing. */
    @TemplateData
    public record Panel<T>(List<T> items, String unavailable) {
        static <T> Panel<T> of(List<T> items) {
            return new Panel<>(items, null);
        }

        static <T> Panel<T> missing(String why) {
            return new Panel<>(List.of(), why);
        }
    }

    /** One audit event, with the service that recorded it. */
    @TemplateData
    public record AuditRow(String service, Instant occurredAt, String actor, String action, String resourceType,
            String resourceId, String outcome, String detail) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance overview(List<Health> health, Panel<Certificate> expiring, Panel<Policy> due,
                Panel<Run> attention, Panel<AuditRow> audit, List<String> auditUnavailable);
    }

    @Inject
    Services services;

    @Inject
    CurrentUser user;

    @Inject
    ConsoleConfig config;

    @GET
    public String overview() {
        List<Health> health = List.of(health(Services.CERTIFICATE_SERVICE), health(Services.CONNECTION_SERVICE),
                health(Services.ROTATION_SERVICE));
        List<String> auditUnavailable = new ArrayList<>();
        List<AuditRow> audit = new ArrayList<>();
        for (String service : List.of(Services.CERTIFICATE_SERVICE, Services.CONNECTION_SERVICE,
                Services.ROTATION_SERVICE)) {
            try {
                audit.addAll(auditEvents(service));
            } catch (ServiceUnavailableException e) {
                auditUnavailable.add(e.getMessage());
            }
        }
        audit.sort(Comparator.comparing(AuditRow::occurredAt, Comparator.nullsLast(Comparator.reverseOrder())));
        return Templates.overview(health, expiring(), due(), attention(),
                Panel.of(audit.subList(0, Math.min(20, audit.size()))), auditUnavailable).render();
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

    private Panel<Certificate> expiring() {
        try {
            ApiResponse r = services.certificates().get("/api/v1/certificates?size=200", user.token());
            if (!r.ok()) {
                return Panel.missing(Services.CERTIFICATE_SERVICE + " refused: " + r.problem().detail());
            }
            long limit = config.expiringSoon().toSeconds();
            List<Certificate> list = new ArrayList<>();
            for (JsonNode n : r.body().path("items")) {
                Certificate c = services.certificates().json().convertValue(n, Certificate.class);
                if (c.secondsUntilExpiry() < limit) {
                    list.add(c);
                }
            }
            list.sort(Comparator.comparingLong(Certificate::secondsUntilExpiry));
            return Panel.of(list);
        } catch (ServiceUnavailableException e) {
            return Panel.missing(e.getMessage());
        }
    }

    private Panel<Policy> due() {
        try {
            ApiResponse r = services.rotations().get("/api/v1/rotation-policies", user.token());
            if (!r.ok()) {
                return Panel.missing(Services.ROTATION_SERVICE + " refused: " + r.problem().detail());
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
        } catch (ServiceUnavailableException e) {
            return Panel.missing(e.getMessage());
        }
    }

    private Panel<Run> attention() {
        try {
            ApiResponse r = services.rotations().get("/api/v1/rotations?state=NEEDS_ATTENTION&size=200",
                    user.token());
            if (!r.ok()) {
                return Panel.missing(Services.ROTATION_SERVICE + " refused: " + r.problem().detail());
            }
            List<Run> list = new ArrayList<>();
            for (JsonNode n : r.body().path("items")) {
                Run run = services.rotations().json().convertValue(n, Run.class);
                if (run.needsAttention()) {
                    list.add(run);
                }
            }
            return Panel.of(list);
        } catch (ServiceUnavailableException e) {
            return Panel.missing(e.getMessage());
        }
    }

    private List<AuditRow> auditEvents(String service) {
        ServiceClient client = services.byName(service);
        ApiResponse r = client.get("/api/v1/audit-events?size=20", user.token());
        List<AuditRow> rows = new ArrayList<>();
        if (!r.ok()) {
            return rows; // no read permission there: nothing to show from it
        }
        for (JsonNode n : r.body()) {
            rows.add(new AuditRow(service, n.hasNonNull("occurredAt") ? Instant.parse(n.get("occurredAt").asText()) : null,
                    n.path("actor").asText(), n.path("action").asText(), n.path("resourceType").asText(),
                    n.path("resourceId").asText(""), n.path("outcome").asText(), n.path("detail").asText("")));
        }
        return rows;
    }
}
