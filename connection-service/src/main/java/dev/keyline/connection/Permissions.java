package dev.keyline.connection;

/**
 * The permissions a caller's token must carry in its {@code groups} claim. None implies another:
 * {@code manage} does not let a caller log in with a stored key, and {@code use} does not let it
 * change anything, so every endpoint names each permission it accepts.
 */
public final class Permissions {

    /** Read connection metadata and audit events; never makes a stored credential act. */
    public static final String READ = "connections:read";

    /**
     * Make a stored credential act: test, browse, read the key slots (DESC USER with the key-admin
     * credential), log in with a candidate key. Always audited.
     */
    public static final String USE = "connections:use";

    /** Create, change, delete connections; change key slots and stored credentials. */
    public static final String MANAGE = "connections:manage";

    /**
     * rotation-service's scheduled work, and nothing else: read one connection and its key slots,
     * set/unset a slot, check a candidate key, swap the credential, test. No list, no create, no
     * delete, no browse, no audit events.
     */
    public static final String ROTATE = "connections:rotate";

    private Permissions() {
    }
}
