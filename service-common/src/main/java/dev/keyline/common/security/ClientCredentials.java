package dev.keyline.common.security;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * OAuth 2.0 client credentials grant at an OIDC identity provider (RFC 6749 §4.4, client_secret_basic):
 * the token endpoint comes from the issuer's discovery document, and a token is reused until shortly
 * before its {@code expires_in}. Plain JDK HTTP, so it works on a worker thread without an event loop.
 */
public final class ClientCredentials {

    private final URI issuer;
    private final String clientId;
    private final String clientSecret;
    private final String scope;
    private final Duration refreshBefore;
    private final Duration timeout;
    private final Clock clock;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private URI tokenEndpoint;
    private String token;
    private Instant replaceAt = Instant.MIN;

    public ClientCredentials(URI issuer, String clientId, String clientSecret, String scope, Duration refreshBefore,
            Duration timeout, Clock clock) {
        this.issuer = issuer;
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.scope = scope;
        this.refreshBefore = refreshBefore;
        this.timeout = timeout;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public synchronized String token() {
        if (token == null || !clock.instant().isBefore(replaceAt)) {
            fetch();
        }
        return token;
    }

    private void fetch() {
        if (tokenEndpoint == null) {
            String wellKnown = issuer.toString().replaceAll("/+$", "") + "/.well-known/openid-configuration";
            JsonNode discovery = send(HttpRequest.newBuilder(URI.create(wellKnown)).timeout(timeout).GET().build(),
                    "discovery");
            if (!discovery.hasNonNull("token_endpoint")) {
                throw new ServiceTokenUnavailableException("identity provider " + issuer + " names no token_endpoint");
            }
            tokenEndpoint = URI.create(discovery.get("token_endpoint").asText());
        }
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (scope != null && !scope.isBlank()) {
            form.append("&scope=").append(URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        String basic = Base64.getEncoder().encodeToString((URLEncoder.encode(clientId, StandardCharsets.UTF_8) + ":"
                + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
        Instant asked = clock.instant();
        JsonNode answer = send(HttpRequest.newBuilder(tokenEndpoint).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build(), "token request");
        if (!answer.hasNonNull("access_token")) {
            throw new ServiceTokenUnavailableException("identity provider " + issuer + " answered no access_token");
        }
        token = answer.get("access_token").asText();
        // Without expires_in, ask again next time rather than guess how long it lives.
        long lifetime = answer.path("expires_in").asLong(0);
        replaceAt = asked.plusSeconds(lifetime).minus(refreshBefore);
    }

    /** Sends, expects 200 JSON; errors carry the status and the OAuth "error" code only. */
    private JsonNode send(HttpRequest request, String what) {
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new ServiceTokenUnavailableException("identity provider " + issuer + " did not answer the " + what
                    + " (" + e.getClass().getSimpleName() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServiceTokenUnavailableException("interrupted during the " + what + " at " + issuer, e);
        }
        JsonNode body;
        try {
            body = json.readTree(response.body());
        } catch (IOException e) {
            body = null;
        }
        if (response.statusCode() != 200 || body == null || !body.isObject()) {
            String error = body != null && body.hasNonNull("error") ? ", error " + body.get("error").asText() : "";
            throw new ServiceTokenUnavailableException("identity provider " + issuer + " refused the " + what
                    + " for client " + clientId + ": HTTP " + response.statusCode() + error);
        }
        return body;
    }
}
