package dev.keyline.console.session;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyline.console.ConsoleConfig;

/**
 * The OpenID Connect authorization-code flow with PKCE, done by the console itself: it sends the
 * browser to the provider, takes the code back, and exchanges it (with the PKCE verifier and its
 * client credentials) for the access token it then forwards to the services. The services verify
 * that token (signature, issuer, audience, age); the console trusts only that it came from the
 * provider's token endpoint over the back channel. Pending sign-ins live here, keyed by their state.
 */
@ApplicationScoped
public class OidcSignIn {

    /** Where the browser goes, and the cookie value binding the callback to this browser. */
    public record Start(URI authorizationUrl, String state) {
    }

    /** The code could not be turned into a token; the reason is safe to show. */
    public static final class Failed extends Exception {
        public Failed(String reason) {
            super(reason);
        }
    }

    private record Pending(String verifier, URI redirectUri, Instant expiresAt) {
    }

    private static final Duration PENDING_LIFETIME = Duration.ofMinutes(10);
    private static final int MAX_PENDING = 10_000;

    private final ConsoleConfig.Oidc config;
    private final ConsoleSessions sessions;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private JsonNode discovery;

    public OidcSignIn(ConsoleConfig config, ConsoleSessions sessions, ObjectMapper json) {
        this.config = config.oidc();
        this.sessions = sessions;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    public boolean enabled() {
        return config.issuer().isPresent();
    }

    /** Whether the token paste is offered too. */
    public boolean tokenPasteAllowed() {
        return !enabled() || !config.only();
    }

    public Start start(URI defaultRedirectUri) throws Failed {
        JsonNode endpoints = discovery();
        String state = sessions.randomToken();
        String verifier = sessions.randomToken();
        URI redirect = config.redirectUri().orElse(defaultRedirectUri);
        synchronized (pending) {
            purge();
            pending.put(state, new Pending(verifier, redirect, Instant.now().plus(PENDING_LIFETIME)));
        }
        String query = "response_type=code&client_id=" + enc(config.clientId()) + "&redirect_uri="
                + enc(redirect.toString()) + "&scope=" + enc(config.scope()) + "&state=" + enc(state)
                + "&code_challenge=" + enc(challenge(verifier)) + "&code_challenge_method=S256";
        String authorize = endpoints.path("authorization_endpoint").asText();
        return new Start(URI.create(authorize + (authorize.contains("?") ? "&" : "?") + query), state);
    }

    /** The callback: {@code state} must be the pending one this browser's cookie names. */
    public SignInToken finish(String code, String state, String cookieState) throws Failed {
        if (state == null || !state.equals(cookieState)) {
            throw new Failed("this sign-in was not started in this browser; start again");
        }
        Pending p;
        synchronized (pending) {
            p = pending.remove(state);
        }
        if (p == null || p.expiresAt().isBefore(Instant.now())) {
            throw new Failed("the sign-in took too long; start again");
        }
        if (code == null || code.isBlank()) {
            throw new Failed("the identity provider sent no authorization code");
        }
        String form = "grant_type=authorization_code&code=" + enc(code) + "&redirect_uri="
                + enc(p.redirectUri().toString()) + "&client_id=" + enc(config.clientId()) + "&code_verifier="
                + enc(p.verifier());
        HttpRequest.Builder request = HttpRequest
                .newBuilder(URI.create(discovery().path("token_endpoint").asText())).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        config.clientSecret().ifPresent(secret -> request.header("Authorization", "Basic " + Base64.getEncoder()
                .encodeToString((enc(config.clientId()) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8))));
        HttpResponse<String> response;
        try {
            response = http.send(request.POST(HttpRequest.BodyPublishers.ofString(form)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new Failed("the identity provider's token endpoint cannot be reached");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failed("interrupted");
        }
        if (response.statusCode() != 200) {
            throw new Failed("the identity provider refused the code (HTTP " + response.statusCode() + ")");
        }
        String accessToken;
        try {
            accessToken = json.readTree(response.body()).path("access_token").asText(null);
        } catch (IOException e) {
            throw new Failed("the identity provider's token answer cannot be read");
        }
        try {
            return SignInToken.read(accessToken, json, Instant.now());
        } catch (SignInToken.Refused e) {
            throw new Failed("the identity provider's access token is not usable: " + e.getMessage());
        }
    }

    private synchronized JsonNode discovery() throws Failed {
        if (discovery == null) {
            String issuer = config.issuer().orElseThrow().toString().replaceAll("/+$", "");
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(issuer
                        + "/.well-known/openid-configuration")).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() != 200) {
                    throw new Failed("the identity provider's discovery document answered HTTP " + r.statusCode());
                }
                discovery = json.readTree(r.body());
            } catch (IOException e) {
                throw new Failed("the identity provider cannot be reached");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Failed("interrupted");
            }
        }
        return discovery;
    }

    private void purge() {
        Instant now = Instant.now();
        pending.values().removeIf(p -> p.expiresAt().isBefore(now));
        Iterator<String> eldest = pending.keySet().iterator();
        while (pending.size() >= MAX_PENDING && eldest.hasNext()) {
            eldest.next();
            eldest.remove();
        }
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
