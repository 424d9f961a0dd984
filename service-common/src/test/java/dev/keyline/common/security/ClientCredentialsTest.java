package dev.keyline.common.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** The client credentials grant against a small identity-provider stub (discovery + token endpoint). */
class ClientCredentialsTest {

    private static final String SECRET = "s3cret-never-in-messages";
    private HttpServer idp;
    private URI issuer;
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final List<String> forms = new CopyOnWriteArrayList<>();
    private volatile int tokenStatus = 200;
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };

    @BeforeEach
    void start() throws IOException {
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = URI.create("http://127.0.0.1:" + idp.getAddress().getPort() + "/realms/keyline");
        idp.createContext("/realms/keyline/.well-known/openid-configuration", ex -> answer(ex, 200,
                "{\"issuer\":\"" + issuer + "\",\"token_endpoint\":\"" + issuer + "/protocol/openid-connect/token\"}"));
        idp.createContext("/realms/keyline/protocol/openid-connect/token", ex -> {
            authorizations.add(ex.getRequestHeaders().getFirst("Authorization"));
            forms.add(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            if (tokenStatus != 200) {
                answer(ex, tokenStatus, "{\"error\":\"unauthorized_client\",\"error_description\":\"Invalid client secret\"}");
                return;
            }
            answer(ex, 200, "{\"access_token\":\"token-" + issued.incrementAndGet() + "\",\"expires_in\":300,"
                    + "\"token_type\":\"Bearer\"}");
        });
        idp.start();
    }

    @AfterEach
    void stop() {
        idp.stop(0);
    }

    private static void answer(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
        ex.close();
    }

    private ClientCredentials client() {
        return new ClientCredentials(issuer, "rotation-service", SECRET, null, Duration.ofSeconds(30),
                Duration.ofSeconds(5), clock);
    }

    @Test
    void asksWithTheClientsCredentialsAndReusesTheTokenUntilShortlyBeforeItExpires() {
        ClientCredentials client = client();
        assertThat(client.token()).isEqualTo("token-1");
        assertThat(forms).containsExactly("grant_type=client_credentials");
        assertThat(authorizations.get(0)).isEqualTo("Basic "
                + Base64.getEncoder().encodeToString(("rotation-service:" + SECRET).getBytes(StandardCharsets.UTF_8)));

        now.set(now.get().plusSeconds(269));
        assertThat(client.token()).isEqualTo("token-1");
        now.set(now.get().plusSeconds(1)); // 300 s lifetime - 30 s refresh margin
        assertThat(client.token()).isEqualTo("token-2");
        assertThat(issued).hasValue(2);
    }

    @Test
    void aRefusalSaysWhoRefusedAndWhyButNeverTheSecret() {
        tokenStatus = 401;
        assertThatThrownBy(() -> client().token()).isInstanceOf(ServiceTokenUnavailableException.class)
                .hasMessageContaining("HTTP 401").hasMessageContaining("unauthorized_client")
                .hasMessageContaining("rotation-service").hasMessageNotContaining(SECRET);
    }

    @Test
    void anUnreachableIdentityProviderIsUnavailable() {
        idp.stop(0);
        assertThatThrownBy(() -> client().token()).isInstanceOf(ServiceTokenUnavailableException.class)
                .hasMessageContaining("did not answer");
    }
}
