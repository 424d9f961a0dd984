package dev.keyline.rotation.rest;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
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
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.security.Caller;
import dev.keyline.rotation.Permissions;
import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.persistence.JdbcRunStore;
import dev.keyline.rotation.service.RotationService;
import io.smallrye.common.annotation.Blocking;

/** Start rotations and watch them. */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rotations")
@SecurityRequirement(name = "jwt")
// Worker threads, not virtual threads: under 100 concurrent POSTs on Temurin 25.0.3, virtual-thread
// handlers stayed parked in the PostgreSQL driver's socket read after the server had answered
// (3 of 4 benchmark runs; 0 of 2 with worker threads). See bench/README.md.
@Blocking
public class RunResource {

    /** Optional body of POST …/rotations. */
    public record StartRequest(Boolean adopt) {
    }

    @Inject
    RotationService service;

    @Inject
    JdbcRunStore runs;

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
    @Operation(summary = "Rotation runs, newest first, optionally of one connection")
    public List<RunView> list(@QueryParam("connectionId") UUID connectionId,
            @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return runs.list(connectionId, limit).stream().map(r -> RunView.of(r, null)).toList();
    }

    @GET
    @Path("rotations/{id}")
    @RolesAllowed({ Permissions.READ, Permissions.MANAGE })
    @Operation(summary = "One run: state, step log with timestamps, slots, fingerprints, attempts, last error")
    public RunView get(@PathParam("id") UUID id) {
        RotationRun run = runs.find(id).orElseThrow(() -> ProblemException.notFound("Rotation", id));
        return RunView.of(run, runs.steps(id));
    }
}
