package dev.keyline.certificate.rest;

import java.util.Map;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * One outbound request: either {@code url} (https only, no userinfo) or {@code host}/{@code port}/
 * {@code path}. The body is text ({@code body}) or base64 ({@code bodyBase64}), not both.
 */
@Schema(name = "ExchangeRequest")
public record ExchangeBody(
        @Pattern(regexp = "GET|POST|PUT|PATCH|DELETE|HEAD", message = "must be one of GET, POST, PUT, PATCH, DELETE, HEAD") String method,
        @Size(max = 4096) String url,
        @Size(max = 260) String host,
        @Min(1) @Max(65535) Integer port,
        @Size(max = 4096) String path,
        @Size(max = 50) Map<@Size(max = 256) String, @Size(max = 8192) String> headers,
        @Size(max = 262144) String body,
        @Size(max = 350000) String bodyBase64) {
}
