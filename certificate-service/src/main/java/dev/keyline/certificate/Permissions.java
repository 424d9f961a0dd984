package dev.keyline.certificate;

/**
 * The permissions a caller's token must carry in its {@code groups} claim. None implies another:
 * {@code manage} does not let a caller present a certificate, and {@code use} does not let it read
 * the list, so every endpoint names each permission it accepts.
 */
public final class Permissions {

    /** Read metadata, authorization answers and audit events (metadata is never secret). */
    public static final String READ = "certificates:read";

    /**
     * Present a certificate: {@code POST …/exchange}. Always audited, naming the person and, when a
     * service forwarded the person's token (connection-service's API connectors), that service.
     */
    public static final String USE = "certificates:use";

    /** Create, replace and delete certificates (Sigma's "Manage API connectors"). */
    public static final String MANAGE = "certificates:manage";

    private Permissions() {
    }
}
