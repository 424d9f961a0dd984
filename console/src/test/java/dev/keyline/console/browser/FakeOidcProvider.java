package dev.keyline.console.browser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A strict stand-in for an OpenID Connect provider whose user is already signed in: discovery,
 * an authorization endpoint that answers at once with a code, and a token endpoint that insists on
 * the client's secret, the same redirect URI and the PKCE verifier (S256) before it hands out an
 * access token for all three services.
 */
final class FakeOidcProvider implements AutoCloseable {

    private record Grant(String redirectUri, String challenge) {
    }

    final String clientId;
    final String clientSecret;
    final String subject;
    final Set<String> permissions;
    private final HttpServer server;
    private final Map<String, Grant> codes = new ConcurrentHashMap<>();

    FakeOidcProvider(String clientId, String clientSecret, String subject, Set<String> permissions) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.subject = subject;
        this.permissions = permissions;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/realms/keyline/.well-known/openid-configuration", this::discovery);
        server.createContext("/realms/keyline/authorize", this::authorize);
        server.createContext("/realms/keyline/token", this::token);
        server.start();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/keyline";
    }

    private void discovery(HttpExchange x) throws IOException {
        send(x, 200, "{\"issuer\":\"" + issuer() + "\",\"authorization_endpoint\":\"" + issuer()
                + "/authorize\",\"token_endpoint\":\"" + issuer() + "/token\"}");
    }

    private void authorize(HttpExchange x) throws IOException {
        Map<String, String> q = form(x.getRequestURI().getRawQuery());
        if (!"code".equals(q.get("response_type")) || !clientId.equals(q.get("client_id"))
                || !"S256".equals(q.get("code_challenge_method")) || q.get("code_challenge") == null
                || q.get("state") == null || q.get("redirect_uri") == null) {
            send(x, 400, "{\"error\":\"invalid_request\"}");
            return;
        }
        String code = UUID.randomUUID().toString();
        codes.put(code, new Grant(q.get("redirect_uri"), q.get("code_challenge")));
        x.getResponseHeaders().add("Location", q.get("redirect_uri") + "?code=" + code + "&state="
                + URLEncoder.encode(q.get("state"), StandardCharsets.UTF_8));
        x.sendResponseHeaders(302, -1);
        x.close();
    }

    private void token(HttpExchange x) throws IOException {
        String basic = "Basic " + Base64.getEncoder()
                .encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        Map<String, String> f = form(new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        Grant grant = f.get("code") == null ? null : codes.remove(f.get("code"));
        if (!"POST".equals(x.getRequestMethod()) || !basic.equals(x.getRequestHeaders().getFirst("Authorization"))
                || !"authorization_code".equals(f.get("grant_type")) || grant == null
                || !grant.redirectUri().equals(f.get("redirect_uri")) || f.get("code_verifier") == null
                || !grant.challenge().equals(s256(f.get("code_verifier")))) {
            send(x, 400, "{\"error\":\"invalid_grant\"}");
            return;
        }
        send(x, 200, "{\"access_token\":\"" + ConsoleStack.personToken(subject, permissions)
                + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
    }

    private static String s256(String verifier) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String raw) {
        Map<String, String> values = new HashMap<>();
        if (raw == null) {
            return values;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                values.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    private static void send(HttpExchange x, int status, String json) throws IOException {
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().add("Content-Type", "application/json");
        x.sendResponseHeaders(status, body.length);
        x.getResponseBody().write(body);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
