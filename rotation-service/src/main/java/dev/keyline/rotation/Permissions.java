package dev.keyline.rotation;

/** The permissions a caller's token must carry in its {@code groups} claim. */
public final class Permissions {

    public static final String READ = "rotations:read";

    public static final String MANAGE = "rotations:manage";

    private Permissions() {
    }
}
