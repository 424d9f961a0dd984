package dev.keyline.connection;

/** The permissions a caller's token must carry in its {@code groups} claim. */
public final class Permissions {

    /** Read connection metadata, key-slot state, catalogue listings and audit events. */
    public static final String READ = "connections:read";

    /** Create, change, delete and test connections; change key slots and stored credentials. */
    public static final String MANAGE = "connections:manage";

    private Permissions() {
    }
}
