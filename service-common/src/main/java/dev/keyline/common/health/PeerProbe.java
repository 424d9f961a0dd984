package dev.keyline.common.health;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Asks a peer service's readiness URL every {@code interval} in the background and remembers the
 * answer. Never part of this service's readiness: a peer's outage degrades only the operations that
 * need it (they answer 503 problem+json themselves); taking this pod out of service as well would
 * turn one outage into two (connection-service's Snowflake work does not need certificate-service).
 */
public final class PeerProbe implements AutoCloseable {

    /** The last answer: whether the peer was ready, and what went wrong otherwise. */
    public record State(boolean up, Integer status, String error, Instant checkedAt) {
    }

    private final String peer;
    private final String url;
    private final Duration timeout;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler;
    private volatile State state = new State(false, null, "not checked yet", null);

    public PeerProbe(String peer, String url, Duration interval, Duration timeout) {
        this.peer = peer;
        this.url = url;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("peer-probe-" + peer).factory());
        scheduler.scheduleWithFixedDelay(this::probe, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String peer() {
        return peer;
    }

    public State state() {
        return state;
    }

    /** Asks the peer now (also what the background loop does). */
    public State probe() {
        State next;
        try {
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
            int status = response.statusCode();
            next = new State(status == 200, status, status == 200 ? null : "not ready (HTTP " + status + ")",
                    Instant.now());
        } catch (IOException | IllegalArgumentException e) {
            next = new State(false, null, "unreachable (" + e.getClass().getSimpleName() + ")", Instant.now());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            next = new State(false, null, "interrupted", Instant.now());
        }
        state = next;
        return next;
    }

    /** Always UP (this service works on); {@code data.peer} says {@code up} or {@code down}. */
    public HealthCheckResponse response() {
        State s = state;
        HealthCheckResponseBuilder b = HealthCheckResponse.named(peer).up().withData("peer", s.up() ? "up" : "down")
                .withData("url", url);
        if (s.status() != null) {
            b.withData("status", s.status());
        }
        if (s.error() != null) {
            b.withData("error", s.error());
        }
        if (s.checkedAt() != null) {
            b.withData("checkedAt", s.checkedAt().toString());
        }
        return b.build();
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        http.close();
    }
}
