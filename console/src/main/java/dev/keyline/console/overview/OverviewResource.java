package dev.keyline.console.overview;

import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import dev.keyline.console.ConsoleConfig;
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
 * The operators' page. Each panel is fetched on its own, all at once ({@link OverviewFetch}): a service that is
 * down or slow makes its panels say so, every other panel still shows what it knows, and the page takes as long
 * as its slowest call (at most the call timeout), not the sum of them.
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
                Panel<Run> attention, Panel<AuditRow> audit, List<String> auditUnavailable, boolean auditAnswered);
    }

    @Inject
    Services services;

    @Inject
    CurrentUser user;

    @Inject
    ConsoleConfig config;

    @GET
    public String overview() {
        // The token is read here: the request scope does not reach the threads that fetch the panels.
        OverviewFetch.Page page = new OverviewFetch(services, config.expiringSoon(), config.callTimeout())
                .fetch(user.token());
        return Templates.overview(page.health(), page.expiring(), page.due(), page.attention(), page.audit(),
                page.auditUnavailable(), page.auditAnswered()).render();
    }
}
