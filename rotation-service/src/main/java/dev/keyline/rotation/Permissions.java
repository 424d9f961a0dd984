package dev.keyline.rotation;

/**
 * The permissions a caller's token must carry in its {@code groups} claim. Starting a rotation or
 * saving a policy needs more than {@link #MANAGE}: connection-service must confirm, with the
 * caller's own token, that the caller may manage the connection.
 */
public final class Permissions {

    /** Read policies, runs and audit events. */
    public static final String READ = "rotations:read";

    /** Create, change and delete policies; start runs (adopt included). */
    public static final String MANAGE = "rotations:manage";

    private Permissions() {
    }
}
