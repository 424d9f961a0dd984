package dev.keyline.connection;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What the API answered through the connector: status, headers and body as certificate-service's
 * exchange returned them (the body is text, or base64 in {@code bodyBase64} when it is not UTF-8;
 * {@code truncated} when it exceeded the exchange's limit). An API's 4xx/5xx is an answer, not a
 * failure of the call.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ApiCallResult(int status, String reason, List<Header> headers, String body, String bodyBase64,
        boolean truncated, String url, long latencyMillis) {

    public record Header(String name, String value) {
    }
}
