package dev.keyline.common.testing;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * An endpoint somebody forgot to annotate, added to a service under test (its test profile indexes
 * this test-jar). With {@code quarkus.security.jaxrs.deny-unannotated-endpoints=true} nobody may call
 * it, whatever token they hold; without that setting it would answer anyone, even without a token.
 */
@Path("/api/v1/test-only/unannotated")
public class UnannotatedResource {

    public static final String PATH = "/api/v1/test-only/unannotated";

    /** Hidden from the OpenAPI document: the authorization matrix lists the services' own operations. */
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    @Operation(hidden = true)
    public String reachable() {
        return "reachable";
    }
}
