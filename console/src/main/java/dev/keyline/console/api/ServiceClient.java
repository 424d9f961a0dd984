package dev.keyline.console.api;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Calls one service's REST API with the signed-in person's bearer token: the console has no
 * identity or permission of its own, so each service decides with the person's permissions.
 */
public final class ServiceClient {

    private final String name;
    private final URI base;
    private final HttpClient http;
    private final ObjectMapper json;
    private final java.time.Duration timeout;

    ServiceClient(String name, URI base, HttpClient http, ObjectMapper json, java.time.Duration timeout) {
        this.name = name;
        this.base = base;
        this.http = http;
        this.json = json;
        this.timeout = timeout;
    }

    public String name() {
        return name;
    }

    public ObjectMapper json() {
        return json;
    }

    public ApiResponse get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    public ApiResponse post(String path, String token, Object body) {
        return send("POST", path, token, body, null);
    }

    public ApiResponse put(String path, String token, Object body, String ifMatch) {
        return send("PUT", path, token, body, ifMatch);
    }

    public ApiResponse delete(String path, String token) {
        return send("DELETE", path, token, null, null);
    }

    private ApiResponse send(String method, String path, String token, Object body, String ifMatch) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
                .header("Accept", "application/json, application/problem+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (sendable(ifMatch)) {
            request.header("If-Match", ifMatch);
        }
        if (body != null) {
            request.header("Content-Type", "application/json");
            request.method(method, HttpRequest.BodyPublishers.ofString(write(body), StandardCharsets.UTF_8));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpTimeoutException e) {
            throw new ServiceUnavailableException(name, "no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new ServiceUnavailableException(name, "cannot be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(name, "interrupted");
        }
        return new ApiResponse(name, response.statusCode(), response.headers().firstValue("ETag"),
                response.headers().firstValue("Location").map(URI::create), parse(response.body()), json,
                response.body());
    }

    /** Health and other unauthenticated management endpoints: the JSON body whatever the status. */
    public ApiResponse getUnauthenticated(URI url) {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET()
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new ApiResponse(name, response.statusCode(), Optional.empty(), Optional.empty(),
                    parse(response.body()), json, response.body());
        } catch (HttpTimeoutException e) {
            throw new ServiceUnavailableException(name, "no answer within " + timeout.toSeconds() + " s");
        } catch (IOException e) {
            throw new ServiceUnavailableException(name, "cannot be reached (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceUnavailableException(name, "interrupted");
        }
    }

    /**
     * Whether an If-Match value (a form's hidden ETag field, which the browser sends back as it
     * likes) can go into a header: visible ASCII only. The HTTP client throws on a line break, which
     * was a 500 logging the value; one that cannot be sent is left out, so the service answers 428
     * and the page says the version is missing.
     */
    static boolean sendable(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank() || ifMatch.length() > 100) {
            return false;
        }
        return ifMatch.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a request body", e);
        }
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return null; // not JSON: the status decides what the page says
        }
    }
}
