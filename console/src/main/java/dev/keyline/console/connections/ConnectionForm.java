package dev.keyline.console.connections;

import io.quarkus.qute.TemplateData;

/**
 * What a re-shown Snowflake connection form keeps. The private key and its passphrase are never
 * put back into a page.
 */
@TemplateData
public record ConnectionForm(String name, String description, String account, String host, String user, String role,
        String warehouse, String keyAdminConnectionId) {

    public static ConnectionForm empty() {
        return new ConnectionForm("", "", "", "", "", "", "", "");
    }

    /** The stored metadata, for the edit form. */
    public static ConnectionForm of(Connection c) {
        Connection.Details d = c.details();
        return new ConnectionForm(c.name(), c.description(), d.account(), d.host(), d.user(), d.role(), d.warehouse(),
                d.keyAdminConnectionId());
    }
}
