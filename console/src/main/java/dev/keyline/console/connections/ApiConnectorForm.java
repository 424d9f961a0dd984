package dev.keyline.console.connections;

import io.quarkus.qute.TemplateData;

/** What a re-shown API connector form keeps: nothing in it is secret (the certificate is only referenced). */
@TemplateData
public record ApiConnectorForm(String name, String description, String baseUrl, String certificateId) {

    public static ApiConnectorForm empty() {
        return new ApiConnectorForm("", "", "https://", "");
    }

    public static ApiConnectorForm of(Connection c) {
        return new ApiConnectorForm(c.name(), c.description(), c.details().baseUrl(), c.details().certificateId());
    }
}
