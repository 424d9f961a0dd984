package dev.keyline.console.api;

import java.net.URI;
import java.net.http.HttpClient;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyline.console.ConsoleConfig;

/** The three services' API clients and their management (health) URLs, built once from the configuration. */
@ApplicationScoped
public class Services {

    public static final String CERTIFICATE_SERVICE = "certificate-service";
    public static final String CONNECTION_SERVICE = "connection-service";
    public static final String ROTATION_SERVICE = "rotation-service";

    private final ConsoleConfig config;
    private final ServiceClient certificates;
    private final ServiceClient connections;
    private final ServiceClient rotations;

    public Services(ConsoleConfig config, ObjectMapper json) {
        this.config = config;
        // Never follows redirects: a service answer is shown as it is, and a token never goes elsewhere.
        HttpClient http = HttpClient.newBuilder().connectTimeout(config.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER).build();
        certificates = new ServiceClient(CERTIFICATE_SERVICE, config.certificateService().url(), http, json,
                config.callTimeout());
        connections = new ServiceClient(CONNECTION_SERVICE, config.connectionService().url(), http, json,
                config.callTimeout());
        rotations = new ServiceClient(ROTATION_SERVICE, config.rotationService().url(), http, json,
                config.callTimeout());
    }

    public ServiceClient certificates() {
        return certificates;
    }

    public ServiceClient connections() {
        return connections;
    }

    public ServiceClient rotations() {
        return rotations;
    }

    public ServiceClient byName(String name) {
        return switch (name) {
            case CERTIFICATE_SERVICE -> certificates;
            case CONNECTION_SERVICE -> connections;
            case ROTATION_SERVICE -> rotations;
            default -> throw new IllegalArgumentException("unknown service " + name);
        };
    }

    /** {@code /q/health} on the service's management port. */
    public URI healthUrl(String name) {
        ConsoleConfig.Service s = switch (name) {
            case CERTIFICATE_SERVICE -> config.certificateService();
            case CONNECTION_SERVICE -> config.connectionService();
            case ROTATION_SERVICE -> config.rotationService();
            default -> throw new IllegalArgumentException("unknown service " + name);
        };
        return s.managementUrl().resolve("/q/health");
    }
}
