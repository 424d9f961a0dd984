package dev.keyline.console.connections;

import io.quarkus.qute.TemplateData;

/**
 * What a re-shown Snowflake connection form keeps. The private key and its passphrase are never
 * put back into a page.
 */
@TemplateData
public record ConnectionForm(String name, String description, String account, String host, String user, String role,
        String warehouse, String keyAdminConnectionId, boolean generateKeyPair, String keyBits) {

    /** Key sizes offered when connection-service generates the pair. */
    public static final java.util.List<String> KEY_BITS = java.util.List.of("2048", "3072", "4096");

    public static ConnectionForm empty() {
        return new ConnectionForm("", "", "", "", "", "", "", "", false, "2048");
    }

    public java.util.List<String> keyBitsChoices() {
        return KEY_BITS;
    }

    /** The stored metadata, for the edit form. */
    public static ConnectionForm of(Connection c) {
        Connection.Details d = c.details();
        return new ConnectionForm(c.name(), c.description(), d.account(), d.host(), d.user(), d.role(), d.warehouse(),
                d.keyAdminConnectionId(), false, "2048");
    }
}
