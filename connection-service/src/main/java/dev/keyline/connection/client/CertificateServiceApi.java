package dev.keyline.connection.client;

import java.util.UUID;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;
import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;

import dev.keyline.common.security.Caller;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * certificate-service's API as far as this service uses it. Package-private: everything goes
 * through {@link CertificateServiceClient}, which forwards the caller's token and adds fault
 * tolerance. Every call names this service in {@value Caller#VIA_HEADER}, so certificate-service's
 * audit names the person (the token) and the service that acted for them.
 */
@RegisterRestClient(configKey = "certificate-service")
@ClientHeaderParam(name = Caller.VIA_HEADER, value = "connection-service")
@Path("/api/v1/certificates")
interface CertificateServiceApi {

    String PROBLEM_PREFIX = "urn:keyline:problem:";

    @POST
    @Path("{id}/exchange")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    ExchangeOutcome exchange(@PathParam("id") UUID certificateId, @HeaderParam("Authorization") String authorization,
            ExchangeCall call);

    /** Registers an API connector as a user of the certificate (idempotent), with the caller's own token. */
    @PUT
    @Path("{id}/consumers/{consumerId}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    void registerConsumer(@PathParam("id") UUID certificateId, @PathParam("consumerId") UUID consumerId,
            @HeaderParam("Authorization") String authorization, Consumer consumer);

    /** Removes that registration (idempotent), with the caller's own token. */
    @DELETE
    @Path("{id}/consumers/{consumerId}")
    void unregisterConsumer(@PathParam("id") UUID certificateId, @PathParam("consumerId") UUID consumerId,
            @HeaderParam("Authorization") String authorization);

    /** How certificate-service names the connector to whoever wants to delete the certificate. */
    record Consumer(String name, String service) {
    }

    /** May the certificate be presented to host:port? Asked with the caller's own token. */
    @GET
    @Path("{id}/authorization")
    @Produces(MediaType.APPLICATION_JSON)
    Authorization authorization(@PathParam("id") UUID certificateId, @QueryParam("host") String host,
            @QueryParam("port") int port, @HeaderParam("Authorization") String authorization);

    @JsonIgnoreProperties(ignoreUnknown = true)
    record Authorization(boolean allowed, String host, int port, String matchedRule, String reason) {
    }

    /** Turns error answers into {@link CertificateServiceException}s carrying the problem type. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        int status = response.getStatus();
        ProblemBody problem = null;
        try {
            if (response.hasEntity()) {
                problem = response.readEntity(ProblemBody.class);
            }
        } catch (RuntimeException e) {
            // Not problem+json (a proxy's HTML page, say): the status has to do.
        }
        String type = problem != null && problem.type() != null && problem.type().startsWith(PROBLEM_PREFIX)
                ? problem.type().substring(PROBLEM_PREFIX.length())
                : "http-" + status;
        String detail = problem != null && problem.detail() != null ? problem.detail() : "HTTP " + status;
        if (status == 503) {
            return new CertificateServiceException.Unavailable(status, detail);
        }
        return new CertificateServiceException(status, type, detail);
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    record ProblemBody(String type, String title, Integer status, String detail) {
    }
}
