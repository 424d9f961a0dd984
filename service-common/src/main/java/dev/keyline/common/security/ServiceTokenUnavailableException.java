package dev.keyline.common.security;

/**
 * No service token could be obtained (file unreadable, identity provider down or refusing). The
 * message names the source and the reason, never a token or a secret.
 */
public class ServiceTokenUnavailableException extends RuntimeException {

    public ServiceTokenUnavailableException(String message) {
        super(message);
    }

    public ServiceTokenUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
