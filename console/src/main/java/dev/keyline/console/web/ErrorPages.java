package dev.keyline.console.web;

import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.keyline.console.api.Problem;
import dev.keyline.console.api.ProblemAnswerException;
import dev.keyline.console.api.ServiceUnavailableException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Pages for what a page could not load: a service down, or a service's refusal (403 without the
 * permission, 404, …) as the service stated it. A 401 means the token is no longer accepted: sign in again.
 * A page the console does not have (or an id in a link that is no UUID) is a 404 page saying so, not an
 * empty answer.
 */
public class ErrorPages {

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance error(String service, Problem problem, boolean down);
    }

    @ServerExceptionMapper
    public Response unavailable(ServiceUnavailableException e) {
        return Response.status(503).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(e.service(), Problem.of(503, "service-unavailable", e.getMessage()), true).render())
                .build();
    }

    @ServerExceptionMapper
    public Response refused(ProblemAnswerException e) {
        int status = e.problem().status() >= 400 ? e.problem().status() : 502;
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error(e.service(), e.problem(), false).render()).build();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        String path = uri == null ? "" : uri.getPath();
        // The path as typed, HTML-escaped by the template; cut so that a long one does not fill the page.
        String shown = path.length() > 200 ? path.substring(0, 200) + "…" : path;
        return Response.status(404).type(MediaType.TEXT_HTML_TYPE)
                .entity(Templates.error("The console", Problem.of(404, "not-found", "There is no page at " + shown
                        + " (the ids in the console's links are UUIDs: a link with another id leads here too)"), false)
                        .render())
                .build();
    }
}
