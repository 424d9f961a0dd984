package dev.keyline.certificate.rest;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.keyline.common.http.StreamedBodyLimit;
import dev.keyline.common.problem.FieldError;
import dev.keyline.common.problem.Problem;
import dev.keyline.common.problem.ProblemMappers;

/**
 * A request body the framework cannot even begin to read is the client's error, not ours: a
 * Content-Type that is no media type (or a multipart one without a boundary) is a 415 like any
 * other unsupported type, and a multipart body that is no form a 400. Without this the framework's
 * own parsers throw (IllegalArgumentException while choosing between the JSON and the multipart
 * create, an IOException or index error in the multipart parser) and the answer is a 500.
 */
public class RequestBodyShape {

    static final String UNREADABLE_TYPE = "The Content-Type header is not a readable media type; send application/json"
            + " (or multipart/form-data with a boundary where documented)";

    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH");

    /** Runs before routing, which parses the Content-Type to pick a method. */
    @ServerRequestFilter(preMatching = true)
    public Response contentType(ContainerRequestContext request) {
        String value = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (value == null || !BODY_METHODS.contains(request.getMethod())) {
            // Only bodies are routed by their type; a stray header on a GET stays as harmless as before.
            return null;
        }
        MediaType type;
        try {
            type = MediaType.valueOf(value);
        } catch (RuntimeException e) {
            return unsupported(request);
        }
        if ("multipart".equals(type.getType().toLowerCase(Locale.ROOT))) {
            String boundary = type.getParameters().get("boundary");
            if (boundary == null || boundary.isBlank() || boundary.equals("\"\"")) {
                return unsupported(request);
            }
        }
        return null;
    }

    /** The multipart parser's IOException: the body does not follow the multipart syntax. */
    @ServerExceptionMapper(priority = 1)
    public Response unreadableBody(IOException e, UriInfo uri) {
        if (!fromMultipartParser(e)) {
            return new ProblemMappers().unexpected(e, uri);
        }
        return Response.status(400).type(Problem.MEDIA_TYPE)
                .entity(new Problem(Problem.type("invalid-request"), "Invalid request", 400,
                        "The request body is not a readable multipart/form-data form (check the boundary and each part's headers)",
                        uri.getPath(), List.of(new FieldError("$", "not a multipart form"))))
                .build();
    }

    static boolean fromMultipartParser(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamedBodyLimit.BodyTooLargeException) {
                return false;
            }
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().startsWith("org.jboss.resteasy.reactive.server.core.multipart.")) {
                return true;
            }
        }
        return false;
    }

    private static Response unsupported(ContainerRequestContext request) {
        return Response.status(415).type(Problem.MEDIA_TYPE)
                .entity(new Problem(Problem.type("unsupported-media-type"), "Unsupported media type", 415,
                        UNREADABLE_TYPE, request.getUriInfo().getPath(), List.of(new FieldError("Content-Type",
                                "not a readable media type"))))
                .build();
    }
}
