package dev.keyline.certificate.rest;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.keyline.certificate.service.CertificateInUseException;
import dev.keyline.common.problem.Problem;

/**
 * The 409 answer to deleting a certificate in use: the usual problem fields plus {@code consumers}
 * (an RFC 9457 extension member), so a client can list them without parsing the detail.
 */
public record CertificateInUseProblem(URI type, String title, int status, String detail, String instance,
        List<ConsumerView> consumers) {

    /** Chosen over service-common's ProblemException mapper: the more specific exception type wins. */
    public static class Mapper {

        @ServerExceptionMapper
        public Response inUse(CertificateInUseException e, UriInfo uri) {
            Problem p = e.toProblem(uri.getPath());
            return Response.status(409).type(Problem.MEDIA_TYPE).entity(new CertificateInUseProblem(p.type(), p.title(),
                    p.status(), p.detail(), p.instance(), e.consumers().stream().map(ConsumerView::of).toList())).build();
        }
    }
}
