package dev.keyline.console.web;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.keyline.console.api.Problem;
import dev.keyline.console.api.ProblemAnswerException;
import dev.keyline.console.api.ServiceUnavailableException;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * Pages for what a page could not load: a service down, or a service's refusal (403 without the
 * permission, 404, …) as the service stated it. A 401 means the token is no longer accepted: sign in again.
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
}
