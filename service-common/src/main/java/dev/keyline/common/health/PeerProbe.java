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
 *
 * <p>The probes are watched from {@code @Startup} beans, so this constructor runs on the main thread
 * during start-up. Building a JDK {@link HttpClient} there loaded ~130 classes and the JDK's TLS
 * providers (about a quarter of a second of the {@code StartupEvent} step), and the first probe
 * then loaded ~220 more on the second core while the HTTP server opened and answered the first
 * readiness probes (bench/README.md, start-up timeline). So the client is built by the probe
 * thread itself, and the first probe waits {@link #FIRST_PROBE_DELAY}: until then the state says
 * "not checked yet" ({@code peer: down}), which changes nothing this service does (no readiness
 * depends on it; an operation that needs the peer still just calls it).
 */
public final class PeerProbe implements AutoCloseable {

    /** The last answer: whether the peer was ready, and what went wrong otherwise. */
    public record State(boolean up, Integer status, String error, Instant checkedAt) {
    }

    /**
     * Counted from the {@code StartupEvent}: past the socket opening and the first readiness answers
     * (0.3-0.6 s later on an idle machine).
     */
    static final Duration FIRST_PROBE_DELAY = Duration.ofSeconds(1);

    private final String peer;
    private final String url;
    private final Duration timeout;
    private final ScheduledExecutorService scheduler;
    private HttpClient http; // built on first use (see the class comment); guarded by this
    private volatile State state = new State(false, null, "not checked yet", null);

    public PeerProbe(String peer, String url, Duration interval, Duration timeout) {
        this.peer = peer;
        this.url = url;
        this.timeout = timeout;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("peer-probe-" + peer).factory());
        scheduler.scheduleWithFixedDelay(this::probe, FIRST_PROBE_DELAY.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private synchronized HttpClient http() {
        if (http == null) {
            http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        }
        return http;
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
            HttpResponse<Void> response = http().send(HttpRequest.newBuilder(URI.create(url)).timeout(timeout).GET().build(),
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
        synchronized (this) {
            if (http != null) {
                http.close();
            }
        }
    }
}
