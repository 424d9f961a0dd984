package dev.keyline.connection.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What certificate-service reports about one exchange; only the parts this service uses (the
 * remote body is ignored). Unknown fields are ignored so certificate-service can add some.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExchangeOutcome(int status, String reason, String tlsProtocol, String remoteAddress, String matchedRule,
        Timing timing) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Timing(double connectMillis, double tlsHandshakeMillis, double totalMillis) {
    }
}
