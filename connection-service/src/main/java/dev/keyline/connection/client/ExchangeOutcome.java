package dev.keyline.connection.client;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * What certificate-service reports about one exchange. Unknown fields are ignored so
 * certificate-service can add some. The remote body is text ({@code body}) or, when it is not
 * UTF-8, base64 ({@code bodyBase64}); {@code truncated} when it exceeded the exchange's limit.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ExchangeOutcome(int status, String reason, List<Header> headers, String body, String bodyBase64,
        boolean truncated, String tlsProtocol, String remoteAddress, String matchedRule, Timing timing) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Timing(double connectMillis, double tlsHandshakeMillis, double totalMillis) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Header(String name, String value) {
    }
}
