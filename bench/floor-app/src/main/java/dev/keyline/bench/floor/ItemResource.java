package dev.keyline.bench.floor;

import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;

/** A list and a create: the smallest REST + Panache surface that exercises a transaction. */
@Path("/items")
@Produces(MediaType.APPLICATION_JSON)
public class ItemResource {

    @GET
    public List<Item> list() {
        return Item.listAll();
    }

    @POST
    @Transactional
    public Item create(Item item) {
        item.id = null;
        item.persist();
        return item;
    }
}
