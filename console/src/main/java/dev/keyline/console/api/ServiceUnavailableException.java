package dev.keyline.console.api;

/**
 * A service could not be reached or did not answer in time. Pages show which one, and the rest
 * of the page stays usable. The message names the service and the reason, never a token.
 */
public class ServiceUnavailableException extends RuntimeException {

    private final String service;

    public ServiceUnavailableException(String service, String reason) {
        super(service + " is unavailable: " + reason);
        this.service = service;
    }

    public String service() {
        return service;
    }
}
