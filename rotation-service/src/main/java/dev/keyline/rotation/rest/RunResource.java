package dev.keyline.rotation.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyline.common.http.PageView;
import dev.keyline.common.http.QueryValues;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.security.Caller;
import dev.keyline.common.validation.PlainText;
import dev.keyline.rotation.Permissions;
import dev.keyline.rotation.ResultPage;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunRepository;
import dev.keyline.rotation.RunState;
import dev.keyline.rotation.service.RotationService;
import io.smallrye.common.annotation.Blocking;

/** Start rotations and watch them. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rotations")
@SecurityRequirement(name = "jwt")
// Worker threads, not virtual threads: under 100 concurrent POSTs, virtual threads waiting for a
// database connection spin in Agroal's acquisition loop on every carrier and, never preempted,
// starve the virtual threads that hold the connections (README.md "Threads", bench/README.md).
@Blocking
public class RunResource {

    /** Optional body of POST …/rotations. */
    public record StartRequest(Boolean adopt) {
    }

    /**
     * Body of retry and close: why (required, trimmed, at most 500 characters; checked by the
     * service so that the answer is a field error on {@code reason}). The bound here only keeps an
     * absurd string from being carried further. Plain text: it goes into the step log and the audit
     * trail, where a NUL was a 500 at the insert and an escape sequence reached whoever reads them.
     * The schema states the service's limit (500), not this guard's, so clients read the real one.
     */
    public record DecisionRequest(@Schema(maxLength = RotationService.MAX_REASON_LENGTH,
            description = "Why (required); trimmed, at most 500 characters") @Size(max = 4000) @PlainText String reason) {
    }

    @Inject
    RotationService service;

    @Inject
    Caller caller;

    @POST
    @Path("connections/{connectionId}/rotations")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "Rotate the connection's key now (202 + Location); also needs the caller's connections:manage "
            + "on the connection (403); 409 while a rotation is active for its user")
    public Response start(@PathParam("connectionId") UUID connectionId, StartRequest body, UriInfo uri) {
        boolean adopt = body != null && Boolean.TRUE.equals(body.adopt());
        RotationRun run = service.startRun(connectionId, adopt, caller.name(), caller.bearerToken().orElse(null));
        URI location = uri.getBaseUriBuilder().path("api/v1/rotations").path(run.id.toString()).build();
        return Response.accepted(RunView.of(run, List.of())).location(location).build();
    }

    @GET
    @Path("rotations")
    @RolesAllowed({ Permissions.READ, Permissions.MANAGE })
    @Operation(summary = "Rotation runs, newest first, filtered by connection, state and creation time "
            + "(since inclusive, until exclusive; ISO-8601 instants), one page at a time; page × size at most 10,000 "
            + "(older runs: until)")
    public PageView<RunView> list(@QueryParam("connectionId") UUID connectionId, @QueryParam("state") String state,
            @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(PageView.MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        // Runs are never deleted: a deep offset read the whole table (1 s at a million runs).
        PageView.requireShallow(page, size, "read older runs with until (exclusive: the createdAt of the last run "
                + "read plus one microsecond; drop the ids already seen)");
        RunRepository.RunFilter filter = new RunRepository.RunFilter(connectionId,
                QueryValues.oneOf("state", state, RunState.class), QueryValues.instant("since", since),
                QueryValues.instant("until", until));
        ResultPage<RotationRun> runs = service.runs(filter, page, size);
        return PageView.of(runs.items(), page, size, runs.total(), r -> RunView.of(r, null));
    }

    @GET
    @Path("rotations/{id}")
    @RolesAllowed({ Permissions.READ, Permissions.MANAGE })
    @Operation(summary = "One run: state, step log with timestamps, slots, fingerprints, attempts, last error")
    public RunView get(@PathParam("id") UUID id) {
        RotationRun run = service.run(id).orElseThrow(() -> ProblemException.notFound("Rotation", id));
        return RunView.of(run, service.steps(id));
    }

    @POST
    @Path("rotations/{id}/retry")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "Resume a NEEDS_ATTENTION run in the step it stopped in ({reason} required, audited); "
            + "also needs the caller's connections:manage on the connection (403); 409 unless NEEDS_ATTENTION")
    public RunView retry(@PathParam("id") UUID id, @Valid DecisionRequest body) {
        RotationRun run = service.retry(id, body == null ? null : body.reason(), caller.name(),
                caller.bearerToken().orElse(null));
        return RunView.of(run, service.steps(id));
    }

    @POST
    @Path("rotations/{id}/close")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "End a NEEDS_ATTENTION run as CLOSED without touching Snowflake ({reason} required, "
            + "audited); also needs the caller's connections:manage on the connection (403); 409 unless NEEDS_ATTENTION")
    public RunView close(@PathParam("id") UUID id, @Valid DecisionRequest body) {
        RotationRun run = service.close(id, body == null ? null : body.reason(), caller.name(),
                caller.bearerToken().orElse(null));
        return RunView.of(run, service.steps(id));
    }
}
