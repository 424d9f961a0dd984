package dev.keyline.common.vault;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.keyline.common.problem.Problem;

/** How Vault trouble looks to a client: 503 when it is away, 409 when a concurrent writer won. */
public class VaultProblemMappers {

    @ServerExceptionMapper
    public Response unavailable(VaultUnavailableException e, UriInfo uri) {
        return Response.status(503).type(Problem.MEDIA_TYPE).header("Retry-After", "5")
                .entity(new Problem(Problem.type("vault-unavailable"), "Vault unavailable", 503,
                        "The secret store is unavailable; nothing was changed. Retry later.", uri.getPath(), null))
                .build();
    }

    @ServerExceptionMapper
    public Response conflict(VaultVersionConflictException e, UriInfo uri) {
        return Response.status(409).type(Problem.MEDIA_TYPE)
                .entity(new Problem(Problem.type("concurrent-change"), "Conflict", 409,
                        "The stored material was changed concurrently; nothing was changed. Read it again and retry.",
                        uri.getPath(), null))
                .build();
    }

    @ServerExceptionMapper
    public Response missing(SecretNotFoundException e, UriInfo uri) {
        return Response.status(500).type(Problem.MEDIA_TYPE)
                .entity(new Problem(Problem.type("material-missing"), "Material missing", 500,
                        "The stored material is missing from Vault; upload it again with PUT", uri.getPath(), null))
                .build();
    }
}
