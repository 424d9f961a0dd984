package dev.keyline.certificate.rest;

/** Whether a certificate may be presented to host:port, and which authorized-domain entry decided it. */
public record AuthorizationView(boolean allowed, String host, int port, String matchedRule, String reason) {
}
