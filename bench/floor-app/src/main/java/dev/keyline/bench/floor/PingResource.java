package dev.keyline.bench.floor;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * A GET that touches no database: what Quarkus REST alone costs per request on this machine, the
 * lowest floor under any of the services' endpoints (bench/exchange.sh times it beside the row read).
 */
@Path("/ping")
public class PingResource {

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String ping() {
        return "pong";
    }
}
