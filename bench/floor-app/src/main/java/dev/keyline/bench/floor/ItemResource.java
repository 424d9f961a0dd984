package dev.keyline.bench.floor;

import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/**
 * A list, a read by id and a create: the smallest REST + Panache surface that exercises a
 * transaction. The read by id is the per-request floor of bench/exchange.sh: what one row read
 * through Quarkus REST, Hibernate and PostgreSQL costs without the services' security, audit and
 * metrics.
 */
@Path("/items")
@Produces(MediaType.APPLICATION_JSON)
public class ItemResource {

    @GET
    public List<Item> list() {
        return Item.listAll();
    }

    @GET
    @Path("{id}")
    public Item get(@PathParam("id") long id) {
        Item item = Item.findById(id);
        if (item == null) {
            throw new NotFoundException();
        }
        return item;
    }

    @POST
    @Transactional
    public Item create(Item item) {
        item.id = null;
        item.persist();
        return item;
    }
}
