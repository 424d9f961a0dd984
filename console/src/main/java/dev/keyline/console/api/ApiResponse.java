package dev.keyline.console.api;

import java.net.URI;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * One answer of a service: status, ETag (for the next If-Match), Location, and the JSON body or
 * the problem; {@code text} is the body as sent (for answers that are not JSON).
 */
public record ApiResponse(String service, int status, Optional<String> etag, Optional<URI> location, JsonNode body,
        ObjectMapper json, String text) {

    public boolean ok() {
        return status >= 200 && status < 300;
    }

    /** The body as {@code type}; only for successful answers. */
    public <T> T as(Class<T> type) {
        return json.convertValue(body, type);
    }

    /** The problem of a failed answer; a made-up one when the body was not problem+json. */
    public Problem problem() {
        if (body != null && body.isObject() && body.has("type")) {
            return json.convertValue(body, Problem.class);
        }
        return Problem.of(status, "http-" + status, service + " answered HTTP " + status);
    }

    /** Throws the problem unless the answer was a success: for pages that only show data. */
    public ApiResponse orThrow() {
        if (!ok()) {
            throw new ProblemAnswerException(service, problem());
        }
        return this;
    }
}
