package dev.keyline.console.rotations;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;

import com.fasterxml.jackson.databind.JsonNode;

import dev.keyline.console.api.ApiResponse;
import dev.keyline.console.api.Problem;
import dev.keyline.console.api.Services;
import dev.keyline.console.connections.Connection;
import dev.keyline.console.session.CurrentUser;
import dev.keyline.console.web.FormErrors;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;

/**
 * Rotations: policies (create, edit, enable/disable) and runs, whose page refreshes its step log
 * while the run is active (static/console.js polls the {@code live} fragment).
 */
@Path("/rotations")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class RotationsResource {

    static final String[] FIELDS = { "connectionId", "schedule", "windowStart", "windowEnd", "windowZone", "keySize",
            "gracePeriod", "maxAttempts", "enabled" };

    static final Map<String, String> ALIASES = Map.of("window.start", "windowStart", "window.end", "windowEnd",
            "window.zone", "windowZone", "windowStart", "windowStart", "windowEnd", "windowEnd", "windowZone",
            "windowZone");

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(List<Policy> policies, RunPage runs, List<Connection> connections,
                Problem problem);

        static native TemplateInstance policy(String id, String etag, PolicyForm form, FormErrors errors,
                String[] fields, List<Connection> connections);

        static native TemplateInstance run(Run run, FormErrors errors, String decided);

        static native TemplateInstance run$live(Run run, FormErrors errors);
    }

    @Inject
    Services services;

    @Inject
    CurrentUser user;

    /** Policies, and one page of runs filtered by connection and state (rotation-service pages and filters). */
    @GET
    public Response list(@QueryParam("connectionId") String connectionId, @QueryParam("state") String state,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        List<Policy> policies = new ArrayList<>();
        services.rotations().get("/api/v1/rotation-policies?size=200", user.token()).orThrow().body().path("items")
                .forEach(n -> policies.add(services.rotations().json().convertValue(n, Policy.class)));
        RunFilter filter = RunFilter.of(connectionId, state, page, size);
        ApiResponse r = services.rotations().get("/api/v1/rotations" + filter.apiQuery(), user.token());
        List<Run> runs = new ArrayList<>();
        Problem problem = null;
        long total = 0;
        if (r.ok()) {
            r.body().path("items").forEach(n -> runs.add(services.rotations().json().convertValue(n, Run.class)));
            total = r.body().path("total").asLong(runs.size());
        } else {
            problem = r.problem();
        }
        String html = Templates.list(policies, new RunPage(runs, filter.page(), filter.size(), total, filter),
                snowflakeConnections(), problem).render();
        return Response.status(r.ok() ? 200 : r.status()).entity(html).build();
    }

    @GET
    @Path("policies/new")
    public String newPolicy() {
        return Templates.policy(null, "", PolicyForm.empty(), FormErrors.none(), FIELDS, snowflakeConnections()).render();
    }

    @POST
    @Path("policies")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@RestForm String connectionId, @RestForm String schedule, @RestForm String windowStart,
            @RestForm String windowEnd, @RestForm String windowZone, @RestForm String keySize,
            @RestForm String gracePeriod, @RestForm String maxAttempts, @RestForm String enabled) {
        PolicyForm form = new PolicyForm(connectionId, schedule, windowStart, windowEnd, windowZone, keySize,
                gracePeriod, maxAttempts, enabled != null);
        ApiResponse r = services.rotations().post("/api/v1/rotation-policies", user.token(), form.body());
        if (!r.ok()) {
            return reshow(null, "", form, r.problem());
        }
        return Response.seeOther(URI.create("/rotations")).build();
    }

    @GET
    @Path("policies/{id}")
    public String editPolicy(@PathParam("id") UUID id) {
        ApiResponse r = services.rotations().get("/api/v1/rotation-policies/" + id, user.token()).orThrow();
        return Templates.policy(id.toString(), r.etag().orElse(""), PolicyForm.of(r.as(Policy.class)), FormErrors.none(),
                FIELDS, snowflakeConnections()).render();
    }

    @POST
    @Path("policies/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") UUID id, @RestForm String etag, @RestForm String connectionId,
            @RestForm String schedule, @RestForm String windowStart, @RestForm String windowEnd,
            @RestForm String windowZone, @RestForm String keySize, @RestForm String gracePeriod,
            @RestForm String maxAttempts, @RestForm String enabled) {
        PolicyForm form = new PolicyForm(connectionId, schedule, windowStart, windowEnd, windowZone, keySize,
                gracePeriod, maxAttempts, enabled != null);
        ApiResponse r = services.rotations().put("/api/v1/rotation-policies/" + id, user.token(), form.body(), etag);
        if (!r.ok()) {
            return reshow(id.toString(), etag, form, r.problem());
        }
        return Response.seeOther(URI.create("/rotations")).build();
    }

    /** Enable or disable: the policy as stored, with only {@code enabled} changed (If-Match its ETag). */
    @POST
    @Path("policies/{id}/enabled")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response setEnabled(@PathParam("id") UUID id, @RestForm boolean enabled) {
        ApiResponse current = services.rotations().get("/api/v1/rotation-policies/" + id, user.token()).orThrow();
        PolicyForm form = PolicyForm.of(current.as(Policy.class)).withEnabled(enabled);
        services.rotations().put("/api/v1/rotation-policies/" + id, user.token(), form.body(),
                current.etag().orElse(null)).orThrow();
        return Response.seeOther(URI.create("/rotations")).build();
    }

    @GET
    @Path("runs/{id}")
    public String run(@PathParam("id") UUID id, @QueryParam("decided") String decided) {
        return Templates.run(fetchRun(id), FormErrors.none(), "retried".equals(decided) || "closed".equals(decided)
                ? decided : null).render();
    }

    /**
     * Retry (resume where the run stopped) or close a NEEDS_ATTENTION run; rotation-service requires
     * a reason, audits it, and answers 409 in any other state. Its refusal is shown on the form.
     */
    @POST
    @Path("runs/{id}/{decision: retry|close}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response decide(@PathParam("id") UUID id, @PathParam("decision") String decision, @RestForm String reason) {
        ApiResponse r = services.rotations().post("/api/v1/rotations/" + id + "/" + decision, user.token(),
                Map.of("reason", reason == null ? "" : reason));
        if (r.ok()) {
            return Response.seeOther(URI.create("/rotations/runs/" + id + "?decided="
                    + ("retry".equals(decision) ? "retried" : "closed"))).build();
        }
        // The reason field of the form that was sent carries the service's field error.
        FormErrors errors = FormErrors.of(r.problem(), Map.of("reason", decision + "Reason"));
        return Response.status(r.status()).entity(Templates.run(fetchRun(id), errors, null).render()).build();
    }

    /** The run's state and step log alone, for the page's periodic refresh. */
    @GET
    @Path("runs/{id}/live")
    public String live(@PathParam("id") UUID id) {
        return Templates.run$live(fetchRun(id), FormErrors.none()).render();
    }

    private Run fetchRun(UUID id) {
        return services.rotations().get("/api/v1/rotations/" + id, user.token()).orThrow().as(Run.class);
    }

    private Response reshow(String id, String etag, PolicyForm form, Problem problem) {
        return Response.status(problem.status() >= 400 ? problem.status() : 400).entity(Templates
                .policy(id, etag == null ? "" : etag, form, FormErrors.of(problem, ALIASES), FIELDS, snowflakeConnections())
                .render()).build();
    }

    private List<Connection> snowflakeConnections() {
        try {
            ApiResponse r = services.connections().get("/api/v1/connections?size=200", user.token());
            if (!r.ok()) {
                return List.of();
            }
            List<Connection> list = new ArrayList<>();
            for (JsonNode n : r.body().path("items")) {
                Connection c = services.connections().json().convertValue(n, Connection.class);
                if (c.snowflake()) {
                    list.add(c);
                }
            }
            return list;
        } catch (RuntimeException e) {
            return List.of(); // the form still works with a pasted connection id
        }
    }
}
