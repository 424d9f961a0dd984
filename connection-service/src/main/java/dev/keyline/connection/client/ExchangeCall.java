package dev.keyline.connection.client;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The body of certificate-service's {@code POST /api/v1/certificates/{id}/exchange}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExchangeCall(String method, String url, Map<String, String> headers, String body) {

    public ExchangeCall(String method, String url) {
        this(method, url, null, null);
    }
}
