package dev.keyline.certificate.rest;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.keyline.certificate.Permissions;
import dev.keyline.certificate.egress.ExchangeRequest;
import dev.keyline.certificate.egress.OutboundTarget;
import dev.keyline.certificate.host.HostPort;
import dev.keyline.certificate.service.ExchangeService;
import dev.keyline.common.problem.ProblemException;
import io.smallrye.common.annotation.Blocking;

/**
 * One HTTPS request presenting a stored certificate, to an authorized domain only. Needs the
 * caller's own {@code certificates:use}: connection-service forwards its caller's token here, so a
 * connector presents a certificate only for someone who may.
 */
// The class shares CertificateResource's root path and names {id}/exchange on the method: as a root
// of its own (/api/v1/certificates/{id}/exchange) a GET fell through to CertificateResource and was
// a 404; under one root the method match sees both classes' methods and answers 405 (ProblemMappers adds Allow).
@Path("/api/v1/certificates")
@Tag(name = "certificates")
@SecurityRequirement(name = "jwt")
// Worker (platform) threads, as in every service: README.md, "Threads".
@Blocking
public class ExchangeResource {

    @Inject
    ExchangeService exchanges;

    @POST
    @Path("{id}/exchange")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Permissions.USE)
    @Operation(summary = "Make one HTTPS request presenting this certificate (403 unless the host is authorized)")
    public ExchangeView exchange(@PathParam("id") UUID id, @Valid @NotNull ExchangeBody body) {
        ExchangeService.Exchanged done = exchanges.exchange(id, target(body), request(body));
        return ExchangeView.of(done.result(), done.matchedRule());
    }

    private static OutboundTarget target(ExchangeBody body) {
        boolean hasUrl = body.url() != null && !body.url().isBlank();
        boolean hasHost = body.host() != null && !body.host().isBlank();
        if (hasUrl == hasHost) {
            throw ProblemException.invalidField(hasUrl ? "host" : "url", "give either url or host (with port and path), not both");
        }
        if (hasUrl) {
            try {
                return OutboundTarget.parseUrl(body.url());
            } catch (IllegalArgumentException e) {
                throw ProblemException.invalidField("url", e.getMessage());
            }
        }
        HostPort address;
        try {
            address = new HostPort(body.host(), body.port() == null ? HostPort.DEFAULT_PORT : body.port());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("host", e.getMessage());
        }
        try {
            return new OutboundTarget(address, body.path() == null ? "/" : body.path());
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("path", e.getMessage());
        }
    }

    private static ExchangeRequest request(ExchangeBody body) {
        if (body.body() != null && body.bodyBase64() != null) {
            throw ProblemException.invalidField("bodyBase64", "give either body or bodyBase64, not both");
        }
        byte[] payload;
        try {
            payload = body.bodyBase64() != null ? Base64.getDecoder().decode(body.bodyBase64())
                    : body.body() != null ? body.body().getBytes(StandardCharsets.UTF_8) : null;
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("bodyBase64", "is not valid base64");
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        if (body.headers() != null) {
            // A JSON null value is a header without a value (List.of would throw on it: a 500).
            body.headers().forEach((name, value) -> headers.put(name, value == null ? null : List.of(value)));
        }
        try {
            return ExchangeRequest.of(body.method() == null ? "GET" : body.method(), headers, payload);
        } catch (IllegalArgumentException e) {
            throw ProblemException.invalidField("headers", e.getMessage());
        }
    }
}
