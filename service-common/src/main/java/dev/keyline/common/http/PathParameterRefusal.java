package dev.keyline.common.http;

import java.util.List;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.Problem;
import dev.keyline.common.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Refuses an API request whose path holds a {@code ;}. JAX-RS reads {@code ;…} in a path segment as
 * matrix parameters and drops it from the segment's value, so
 * {@code PUT /api/v1/certificates/{id}/consumers/a;b} registered consumer {@code a}: the request
 * named one resource and changed another. No API path here takes matrix parameters; an id that
 * really holds a semicolon can be sent encoded ({@code %3B}) and is then judged by the resource.
 */
public class PathParameterRefusal {

    /** Vert.x' path is the one sent: JAX-RS' request URI has the matrix parameters cut off already. */
    @ServerRequestFilter(preMatching = true)
    public Response refuse(HttpServerRequest request) {
        return refusal(request.path());
    }

    /** The 400 for {@code rawPath} (as sent, not decoded), or null to go on. */
    static Response refusal(String rawPath) {
        if (rawPath == null || !rawPath.startsWith("/api/") || rawPath.indexOf(';') < 0) {
            return null;
        }
        Problem problem = new ProblemException(400, "invalid-request", "Invalid request",
                "The request path holds a ';': matrix parameters are not taken here",
                List.of(new FieldError("path", "must not contain ';' (send it encoded as %3B)"))).toProblem(rawPath);
        return Response.status(400).type(Problem.MEDIA_TYPE).entity(problem).build();
    }
}
