package dev.keyline.certificate;

/** The permissions a caller's token must carry in its {@code groups} claim. */
public final class Permissions {

    /** Read metadata, authorization answers and audit events. */
    public static final String READ = "certificates:read";

    /** Create, change, delete certificates and make exchanges with them (Sigma's "Manage API connectors"). */
    public static final String MANAGE = "certificates:manage";

    private Permissions() {
    }
}
