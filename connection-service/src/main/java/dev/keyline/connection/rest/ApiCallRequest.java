package dev.keyline.connection.rest;

import java.util.Map;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One call through an API connector: a path under its {@code baseUrl}. Limits are certificate-service's
 * exchange limits (50 headers, 256 KiB text body).
 */
@Schema(name = "ApiCallRequest")
public record ApiCallRequest(
        @Schema(description = "GET (default), POST, PUT, PATCH, DELETE or HEAD") @Pattern(regexp = "GET|POST|PUT|PATCH|DELETE|HEAD", message = "must be one of GET, POST, PUT, PATCH, DELETE, HEAD") String method,
        @Schema(description = "Path under the connector's baseUrl (a leading / is relative to it too); no .., no absolute URLs") @Size(max = 2048) String path,
        @Schema(description = "Query parameters, appended to baseUrl's own") @Size(max = 50) Map<@Size(max = 256) String, @Size(max = 2048) String> query,
        @Schema(description = "Request headers; Host, Authorization and hop-by-hop headers are refused") @Size(max = 50) Map<@Size(max = 256) String, @Size(max = 8192) String> headers,
        @Schema(description = "Text body") @Size(max = 262144) String body) {

    @Override
    public String toString() {
        return "ApiCallRequest[method=" + method + ", body=masked]";
    }
}
