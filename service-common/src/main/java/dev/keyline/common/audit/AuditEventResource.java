package dev.keyline.common.audit;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyline.common.http.PageView;
import dev.keyline.common.http.QueryValues;
import dev.keyline.common.security.Caller;
import io.smallrye.common.annotation.Blocking;

/**
 * Read access to a service's audit trail, newest first. Every service has one; it accepts the
 * service's own read, use and manage permissions (audit events are metadata), named in its
 * configuration ({@code keyline.permissions.read} / {@code .use} / {@code .manage}).
 */
@Path("/api/v1/audit-events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "audit")
@SecurityRequirement(name = "jwt")
// Worker (platform) threads, as in every service: README.md, "Threads".
@Blocking
public class AuditEventResource {

    @Inject
    AuditTrail audit;

    @Inject
    AuditQueryShare share;

    @Inject
    Caller caller;

    /**
     * {@code until} (inclusive) pages back through history: ask again with the {@code occurredAt} of
     * the last event read; the events at exactly that instant come again, so drop ids already seen.
     */
    @GET
    @RolesAllowed({ "${keyline.permissions.read}", "${keyline.permissions.use}", "${keyline.permissions.manage}" })
    public List<AuditEvent> list(@QueryParam("resourceId") String resourceId, @QueryParam("action") String action,
            @QueryParam("actor") String actor, @QueryParam("outcome") String outcome,
            @QueryParam("since") String since, @QueryParam("until") String until,
            @QueryParam("page") @DefaultValue("0") @Min(0) @Max(PageView.MAX_PAGE) int page,
            @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size) {
        PageView.requireShallow(page, size, "read older events with until (the occurredAt of the last event read)");
        AuditTrail.AuditQuery query = new AuditTrail.AuditQuery(QueryValues.text("resourceId", resourceId),
                QueryValues.text("action", action), QueryValues.text("actor", actor),
                QueryValues.oneOf("outcome", outcome, Outcome.class), QueryValues.instant("since", since),
                QueryValues.instant("until", until), page, size);
        return share.call(caller.subject().orElse(null), () -> audit.find(query));
    }
}
