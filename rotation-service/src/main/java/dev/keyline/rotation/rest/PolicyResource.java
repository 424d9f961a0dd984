package dev.keyline.rotation.rest;

import java.net.URI;
import java.time.Instant;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.keyline.common.http.IfMatch;
import dev.keyline.common.http.PageView;
import dev.keyline.common.http.QueryValues;
import dev.keyline.common.problem.ProblemException;
import dev.keyline.common.security.Caller;
import dev.keyline.rotation.Permissions;
import dev.keyline.rotation.PolicyRepository;
import dev.keyline.rotation.ResultPage;
import dev.keyline.rotation.RotationPolicy;
import dev.keyline.rotation.service.RotationService;
import io.smallrye.common.annotation.Blocking;

/** Rotation policies: when and how each connection's key is rotated. */
@Path("/api/v1/rotation-policies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rotation-policies")
@SecurityRequirement(name = "jwt")
// Worker threads, not virtual threads: under 100 concurrent POSTs, virtual threads waiting for a
// database connection spin in Agroal's acquisition loop on every carrier and, never preempted,
// starve the virtual threads that hold the connections (README.md "Threads", bench/README.md).
@Blocking
public class PolicyResource {

    /** Bounded before any time parser runs: {@code HH:mm} and a zone id. */
    public record Window(@Size(max = 16) String start, @Size(max = 16) String end, @Size(max = 64) String zone) {
    }

    public record PolicyRequest(UUID connectionId, @Size(max = 200) String schedule, @Valid Window window,
            Integer keySize, @Size(max = 40) String gracePeriod, Integer maxAttempts, Boolean enabled) {

        RotationService.PolicyInput input() {
            return new RotationService.PolicyInput(connectionId, schedule, window == null ? null : window.start(),
                    window == null ? null : window.end(), window == null ? null : window.zone(), keySize, gracePeriod,
                    maxAttempts, enabled);
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PolicyView(UUID id, UUID connectionId, String account, String user, String schedule, Window window,
            int keySize, String gracePeriod, int maxAttempts, boolean enabled, String disabledReason, Instant nextDueAt,
            Instant lastRotatedAt, Instant createdAt, String createdBy, Instant updatedAt, String updatedBy, long version) {

        static PolicyView of(RotationPolicy p) {
            return new PolicyView(p.id, p.connectionId, p.account, p.snowflakeUser, p.schedule,
                    p.windowStart == null ? null : new Window(p.windowStart, p.windowEnd, p.windowZone), p.keySize,
                    p.gracePeriod.toString(), p.maxAttempts, p.enabled, p.disabledReason, p.nextDueAt, p.lastRotatedAt,
                    p.createdAt, p.createdBy, p.updatedAt, p.updatedBy, p.version);
        }
    }

    @Inject
    RotationService service;

    @Inject
    Caller caller;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Permissions.MANAGE)
    public Response create(@Valid @NotNull PolicyRequest request, UriInfo uri) {
        RotationPolicy p = service.createPolicy(request.input(), caller.name(), caller.bearerToken().orElse(null));
        URI location = uri.getBaseUriBuilder().path("api/v1/rotation-policies").path(p.id.toString()).build();
        return Response.created(location).entity(PolicyView.of(p)).tag(etag(p)).build();
    }

    @GET
    @RolesAllowed({ Permissions.READ, Permissions.MANAGE })
    @Operation(summary = "Rotation policies, oldest first, filtered by connection and enabled, one page at a time")
    public PageView<PolicyView> list(@QueryParam("connectionId") UUID connectionId,
            @QueryParam("enabled") String enabled,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(PageView.MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("200") @Min(1) @Max(500) int size) {
        // Capped like every list endpoint: one request never reads an unbounded table.
        ResultPage<RotationPolicy> policies = service.policies(
                new PolicyRepository.PolicyFilter(connectionId, QueryValues.bool("enabled", enabled)), page, size);
        return PageView.of(policies.items(), page, size, policies.total(), PolicyView::of);
    }

    @GET
    @Path("{id}")
    @RolesAllowed({ Permissions.READ, Permissions.MANAGE })
    public Response get(@PathParam("id") UUID id) {
        RotationPolicy p = service.policy(id).orElseThrow(() -> ProblemException.notFound("Rotation policy", id));
        return Response.ok(PolicyView.of(p)).tag(etag(p)).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "Replace the policy (If-Match: the ETag read; 428 without it, 412 when stale)")
    public Response update(@PathParam("id") UUID id, @HeaderParam("If-Match") String ifMatch,
            @Valid @NotNull PolicyRequest request) {
        long expected = IfMatch.required(ifMatch);
        RotationPolicy p = service.updatePolicy(id, request.input(), caller.name(), caller.bearerToken().orElse(null),
                expected);
        return Response.ok(PolicyView.of(p)).tag(etag(p)).build();
    }

    private static EntityTag etag(RotationPolicy p) {
        return new EntityTag(Long.toString(p.version));
    }

    @DELETE
    @Path("{id}")
    @RolesAllowed(Permissions.MANAGE)
    @Operation(summary = "Delete the policy; also needs the caller's connections:manage on its connection (403), "
            + "unless the connection no longer exists")
    public Response delete(@PathParam("id") UUID id) {
        if (!service.deletePolicy(id, caller.bearerToken().orElse(null))) {
            throw ProblemException.notFound("Rotation policy", id);
        }
        return Response.noContent().build();
    }
}
