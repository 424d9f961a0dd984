package dev.keyline.rotation.client;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.WebApplicationException;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import dev.keyline.common.security.ServiceToken;
import dev.keyline.rotation.config.RotationServiceConfig;

import io.smallrye.mutiny.Uni;

/**
 * How long rotation-service waits for connection-service's answer to a call about one connection that reaches
 * Snowflake (key slots, a key's login, the swap).
 *
 * <p>
 * Why per connection: connection-service ends each Snowflake attempt itself at the connection's (or its key-admin
 * connection's) {@code timeoutSecs} + 1.5 s and answers 504, so a slow Snowflake never needs more of our patience
 * than that. What this bound is for is a connection-service that accepts a call and never answers (a paused or
 * wedged process, a partition after the connection was made): before, only the REST client's read-timeout ended
 * such a call, 630 s (above the longest deadline any connection can have), three times over with the retries, so
 * one hung peer held a rotation worker for half an hour. Now: twice the longer of the two {@code timeoutSecs} (a
 * swap may first wait up to that long for the connection's row lock, then log in), + 1.5 s, + a margin for the
 * work around Snowflake (Vault, the database, the key pool), never more than the read-timeout.
 *
 * <p>
 * The timeouts are read from connection-service ({@code GET /connections/{id}}, and the key-admin connection's) at
 * most once a minute per connection, each read bounded by {@link #READ_BOUND}. A connection-service that does not
 * answer that read fails the call as unavailable within it; one that answers with an error (the connection is gone)
 * has that answer passed on, as the call itself would have had it.
 */
@ApplicationScoped
public class SnowflakeCallBounds {

    /** The bound of the read of a connection's timeouts: what the calls that stay in connection-service have. */
    static final Duration READ_BOUND = Duration.ofSeconds(30);

    /** How long what was read is trusted: a changed {@code timeoutSecs} counts from the next minute. */
    static final Duration KEEP = Duration.ofMinutes(1);

    /** More connections than this remembered at once: start again (a bound is one read away). */
    static final int MAX_REMEMBERED = 10_000;

    /** connection-service's own grace over a connection's timeout (its SnowflakeGateway). */
    static final Duration GATEWAY_GRACE = Duration.ofMillis(1500);

    private record Known(ConnectionServiceApi.Connection connection, Instant until) {
    }

    private final Map<UUID, Known> known = new ConcurrentHashMap<>();

    @Inject
    @RestClient
    ConnectionServiceApi api;

    @Inject
    ServiceToken serviceToken;

    @Inject
    RotationServiceConfig config;

    @ConfigProperty(name = "quarkus.rest-client.connection-service.read-timeout", defaultValue = "630000")
    long readTimeoutMillis;

    private Function<UUID, Uni<ConnectionServiceApi.Connection>> reader;
    private Duration margin;
    private Duration cap;
    private Clock clock;
    private Duration readBound = READ_BOUND;

    SnowflakeCallBounds() {
    }

    /** Outside CDI (tests): connections read by {@code reader}. */
    SnowflakeCallBounds(Function<UUID, Uni<ConnectionServiceApi.Connection>> reader, Duration margin, Duration cap,
            Clock clock) {
        this(reader, margin, cap, clock, READ_BOUND);
    }

    SnowflakeCallBounds(Function<UUID, Uni<ConnectionServiceApi.Connection>> reader, Duration margin, Duration cap,
            Clock clock, Duration readBound) {
        this.reader = reader;
        this.margin = margin;
        this.cap = cap;
        this.clock = clock;
        this.readBound = readBound;
    }

    @PostConstruct
    void init() {
        reader = id -> api.getLater(serviceToken.bearer(), id);
        margin = config.connectionService().snowflakeCallMargin();
        cap = Duration.ofMillis(readTimeoutMillis);
        clock = Clock.systemUTC();
    }

    /**
     * The bound of a Snowflake-reaching call about {@code connectionId}. Throws what reading the connection threw
     * ({@link io.smallrye.mutiny.TimeoutException} when connection-service did not answer within
     * {@link #READ_BOUND}, the client's exceptions otherwise), for the caller to map as it maps its own calls.
     */
    public Duration of(UUID connectionId) {
        ConnectionServiceApi.Connection c = connection(connectionId);
        int seconds = seconds(c);
        UUID keyAdmin = c.details() == null ? null : c.details().keyAdminConnectionId();
        if (keyAdmin != null && !keyAdmin.equals(connectionId)) {
            try {
                seconds = Math.max(seconds, seconds(connection(keyAdmin)));
            } catch (WebApplicationException e) {
                // The key-admin connection is gone or not readable: the call will say so; wait the longest.
                seconds = Integer.MAX_VALUE;
            }
        }
        return bound(seconds, margin, cap);
    }

    /**
     * The connection as read at most {@link #KEEP} ago: a key-admin connection that many connections name is read
     * once for all of them, not once per connection.
     */
    private ConnectionServiceApi.Connection connection(UUID id) {
        Instant now = clock.instant();
        Known k = known.get(id);
        if (k != null && now.isBefore(k.until())) {
            return k.connection();
        }
        ConnectionServiceApi.Connection c = reader.apply(id).await().atMost(readBound);
        if (known.size() >= MAX_REMEMBERED) {
            known.clear();
        }
        known.put(id, new Known(c, now.plus(KEEP)));
        return c;
    }

    /** Twice the timeout, + connection-service's grace, + the margin; at most {@code cap}. */
    static Duration bound(int timeoutSecs, Duration margin, Duration cap) {
        if (timeoutSecs <= 0 || timeoutSecs == Integer.MAX_VALUE) {
            return cap;
        }
        Duration bound = Duration.ofSeconds(2L * timeoutSecs).plus(GATEWAY_GRACE).plus(margin);
        return bound.compareTo(cap) < 0 ? bound : cap;
    }

    /** A connection without a timeout (an older connection-service): unknown, so the longest wait. */
    private static int seconds(ConnectionServiceApi.Connection c) {
        return c.timeoutSecs() == null ? Integer.MAX_VALUE : c.timeoutSecs();
    }
}
