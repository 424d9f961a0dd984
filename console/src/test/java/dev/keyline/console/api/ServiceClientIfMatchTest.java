package dev.keyline.console.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

/**
 * The If-Match a form sends back is the browser's to change: one that cannot be a header value is
 * left out (the service then answers 428), never a 500 from the HTTP client.
 */
class ServiceClientIfMatchTest {

    private HttpServer server;
    private final List<List<String>> ifMatchSeen = new ArrayList<>();
    private final List<List<String>> injectedSeen = new ArrayList<>();
    private ServiceClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            ifMatchSeen.add(exchange.getRequestHeaders().get("If-Match"));
            injectedSeen.add(exchange.getRequestHeaders().get("X-Injected"));
            byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        client = new ServiceClient("certificate-service", URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
                HttpClient.newHttpClient(), new ObjectMapper(), Duration.ofSeconds(5));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void anETagWithALineBreakIsLeftOutInsteadOfFailing() {
        ApiResponse r = client.put("/api/v1/certificates/x", "token", Map.of("name", "n"), "1\r\nX-Injected: yes");
        assertThat(r.status()).isEqualTo(200);
        assertThat(ifMatchSeen.get(0)).isNull();
        assertThat(injectedSeen.get(0)).isNull();
    }

    @Test
    void anOrdinaryETagIsForwarded() {
        client.put("/api/v1/certificates/x", "token", Map.of("name", "n"), "\"7\"");
        assertThat(ifMatchSeen.get(0)).containsExactly("\"7\"");
    }
}
