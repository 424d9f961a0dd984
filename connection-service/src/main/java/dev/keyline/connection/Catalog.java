package dev.keyline.connection;

import java.util.List;

/**
 * What the connection's role can see: databases and their schemas.
 *
 * @param truncated true when there were more databases than listed with schemas
 */
public record Catalog(List<Database> databases, boolean truncated) {

    /** @param schemas null when not listed (beyond the limit) */
    public record Database(String name, List<String> schemas) {
    }
}
