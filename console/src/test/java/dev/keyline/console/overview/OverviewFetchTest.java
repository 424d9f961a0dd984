package dev.keyline.console.overview;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.keyline.console.ConsoleConfig;
import dev.keyline.console.api.Services;

/**
 * The overview's nine upstream calls run at the same time, each bounded: with every upstream answering after
 * a second the page takes about a second, not nine (three 5-second health calls one after another made it
 * 15.8 s with a hung Vault). A token every service rejects shows the refusal in the audit panel too.
 */
class OverviewFetchTest {

    static final Duration SLOW = Duration.ofMillis(1000);

    private HttpServer server;
    private ExecutorService serverThreads;
    private final AtomicInteger calls = new AtomicInteger();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
            serverThreads.shutdownNow();
        }
    }

    /** One fake upstream for all three services' API and management ports. */
    private Services upstream(Duration delay, Duration healthDelay, int apiStatus, Duration callTimeout) throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        serverThreads = Executors.newFixedThreadPool(32);
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            calls.incrementAndGet();
            String path = exchange.getRequestURI().getPath();
            boolean health = path.startsWith("/q/health");
            sleep(health ? healthDelay : delay);
            if (health) {
                answer(exchange, 200, "application/json", "{\"status\":\"UP\",\"checks\":[{\"name\":\"vault\",\"status\":\"UP\","
                        + "\"data\":{\"url\":\"http://vault.internal:8200\"}}]}");
            } else if (apiStatus == 401) {
                answer(exchange, 401, "application/problem+json", "{\"type\":\"urn:keyline:problem:unauthenticated\","
                        + "\"title\":\"Unauthenticated\",\"status\":401,\"detail\":\"A valid bearer token is required\"}");
            } else if (apiStatus == 403) {
                answer(exchange, 403, "application/problem+json", "{\"type\":\"urn:keyline:problem:forbidden\","
                        + "\"title\":\"Forbidden\",\"status\":403,\"detail\":\"Missing permission\"}");
            } else if (path.equals("/api/v1/audit-events")) {
                answer(exchange, 200, "application/json", "[{\"occurredAt\":\"2026-12-07T08:00:00Z\",\"actor\":\"carol\","
                        + "\"action\":\"x.created\",\"resourceType\":\"x\",\"resourceId\":\"1\",\"outcome\":\"SUCCESS\"}]");
            } else {
                answer(exchange, 200, "application/json", "{\"items\":[],\"page\":0,\"size\":50,\"total\":0}");
            }
        });
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        return new Services(config(base, callTimeout), new ObjectMapper().findAndRegisterModules());
    }

    @Test
    void theNineCallsRunAtTheSameTime() throws Exception {
        Services services = upstream(SLOW, SLOW, 200, Duration.ofSeconds(10));
        long t0 = System.nanoTime();
        OverviewFetch.Page page = new OverviewFetch(services, Duration.ofDays(30), Duration.ofSeconds(10)).fetch("token");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(calls.get()).isEqualTo(9);
        // One after another: 9 s. At the same time: about 1 s.
        assertThat(took).as("the overview's fetch took %s", took).isLessThan(SLOW.multipliedBy(3));
        assertThat(page.health()).extracting(OverviewResource.Health::status).containsExactly("UP", "UP", "UP");
        assertThat(page.health()).allSatisfy(h -> assertThat(h.checks()).extracting(OverviewResource.Check::data)
                .containsExactly("{\"url\":\"http://vault.internal:8200\"}"));
        assertThat(page.audit().items()).hasSize(3);
        assertThat(page.auditAnswered()).isTrue();
        assertThat(page.auditUnavailable()).isEmpty();
        assertThat(page.expiring().unavailable()).isNull();
        assertThat(page.due().unavailable()).isNull();
        assertThat(page.attention().unavailable()).isNull();
    }

    @Test
    void aHungUpstreamIsBoundedAndOnlyItsPanelsSaySo() throws Exception {
        // Health hangs past the call timeout (1 s); the API answers at once.
        Services services = upstream(Duration.ZERO, Duration.ofSeconds(20), 200, Duration.ofSeconds(1));
        long t0 = System.nanoTime();
        OverviewFetch.Page page = new OverviewFetch(services, Duration.ofDays(30), Duration.ofSeconds(1)).fetch("token");
        Duration took = Duration.ofNanos(System.nanoTime() - t0);

        assertThat(took).as("the overview's fetch took %s", took).isLessThan(Duration.ofSeconds(4));
        assertThat(page.health()).allSatisfy(h -> {
            assertThat(h.status()).isEqualTo("UNREACHABLE");
            assertThat(h.unavailable()).contains("no answer within");
        });
        assertThat(page.audit().items()).hasSize(3);
        assertThat(page.expiring().unavailable()).isNull();
    }

    @Test
    void aTokenEveryServiceRejectsShowsTheRefusalInTheAuditPanel() throws Exception {
        Services services = upstream(Duration.ZERO, Duration.ZERO, 401, Duration.ofSeconds(10));
        OverviewFetch.Page page = new OverviewFetch(services, Duration.ofDays(30), Duration.ofSeconds(10)).fetch("bad");

        assertThat(page.expiring().unavailable()).isEqualTo("certificate-service refused: A valid bearer token is required");
        assertThat(page.auditAnswered()).isFalse();
        assertThat(page.audit().items()).isEmpty();
        assertThat(page.auditUnavailable()).containsExactly(
                "certificate-service refused: A valid bearer token is required",
                "connection-service refused: A valid bearer token is required",
                "rotation-service refused: A valid bearer token is required");
    }

    /**
     * Check data (internal addresses, pool figures, NEEDS_ATTENTION run and connection ids) only for someone the
     * service lets read: a signed-in person with no permission saw all of it (a probe's finding).
     */
    @Test
    void aPersonAServiceRefusesSeesItsCheckStatusesWithoutTheirData() throws Exception {
        Services services = upstream(Duration.ZERO, Duration.ZERO, 403, Duration.ofSeconds(10));
        OverviewFetch.Page page = new OverviewFetch(services, Duration.ofDays(30), Duration.ofSeconds(10)).fetch("nobody");

        assertThat(page.health()).extracting(OverviewResource.Health::status).containsExactly("UP", "UP", "UP");
        assertThat(page.health()).allSatisfy(h -> {
            assertThat(h.checks()).extracting(OverviewResource.Check::name).containsExactly("vault");
            assertThat(h.checks()).extracting(OverviewResource.Check::status).containsExactly("UP");
            assertThat(h.checks()).extracting(OverviewResource.Check::data).containsExactly("");
        });
    }

    private static void answer(HttpExchange exchange, int status, String type, String body) throws java.io.IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        try {
            exchange.sendResponseHeaders(status, bytes.length);
            exchange.getResponseBody().write(bytes);
        } catch (java.io.IOException e) {
            // the client gave up (the hung-upstream test)
        } finally {
            exchange.close();
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ConsoleConfig config(URI base, Duration callTimeout) {
        ConsoleConfig.Service service = new ConsoleConfig.Service() {
            @Override
            public URI url() {
                return base;
            }

            @Override
            public URI managementUrl() {
                return base;
            }
        };
        return new ConsoleConfig() {
            @Override
            public Service certificateService() {
                return service;
            }

            @Override
            public Service connectionService() {
                return service;
            }

            @Override
            public Service rotationService() {
                return service;
            }

            @Override
            public Duration callTimeout() {
                return callTimeout;
            }

            @Override
            public Duration connectTimeout() {
                return Duration.ofSeconds(2);
            }

            @Override
            public Duration expiringSoon() {
                return Duration.ofDays(30);
            }

            @Override
            public Session session() {
                return null;
            }

            @Override
            public Oidc oidc() {
                return null;
            }
        };
    }
}
