package dev.keyline.rotation.client;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.keyline.common.security.ServiceToken;
import dev.keyline.common.security.ServiceTokenUnavailableException;
import dev.keyline.rotation.ConnectionInfo;
import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.KeyHolder;
import dev.keyline.rotation.SlotsView;

import io.smallrye.mutiny.Uni;

/**
 * connection-service's calls with timeouts, retries on idempotent calls and a circuit breaker. No fallback
 * pretends success: every failure of the call itself becomes a {@link ConnectionServiceException} carrying the
 * problem type connection-service answered (or "unavailable" when it did not answer). Use it only through
 * {@link ConnectionServiceClient}: what the fault-tolerance interceptor around these methods throws itself
 * (circuit breaker open, timeout, bulkhead) cannot be caught in here, and the client turns it into the same
 * "unavailable".
 *
 * <p>
 * Timeouts. A call that stays in connection-service (the connection, its permission, the key holders) is
 * bounded by {@code @Timeout} (30 s). A call that reaches Snowflake (key slots, a key's login, the swap) has no
 * {@code @Timeout}: connection-service bounds each Snowflake attempt itself (the connection's, or its key-admin
 * connection's, {@code timeoutSecs}, 1-600, + 1.5 s) and answers 504 {@code snowflake-timeout}; a shorter
 * deadline here used to end such a call first, as a bare {@code TimeoutException}. Each of those calls is awaited
 * for its connection's own bound instead ({@link SnowflakeCallBounds}: twice the connection's or its key-admin's
 * {@code timeoutSecs} and a margin), under the REST client's {@code read-timeout} as the ceiling
 * (application.properties).
 *
 * <p>
 * Two identities: {@link #manageable} carries a caller's own token (is this person allowed to manage
 * the connection?); everything else is the run's work, under this service's identity, whose token
 * holds only {@code connections:rotate}.
 */
@ApplicationScoped
public class ConnectionServiceCalls {

    private static final Logger LOG = Logger.getLogger(ConnectionServiceCalls.class);

    @Inject
    @RestClient
    ConnectionServiceApi api;

    @Inject
    ObjectMapper mapper;

    @Inject
    SnowflakeCallBounds bounds;

    /** connection-service's problem types for what Snowflake did (or did not) answer. */
    static final String SNOWFLAKE_PROBLEMS = "urn:keyline:problem:snowflake-";

    /** rotation-service's own identity (only connections:rotate), obtained per call, never configured. */
    @Inject
    ServiceToken serviceToken;

    private String bearer() {
        return serviceToken.bearer();
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = RetriableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000, failOn = RetriableException.class,
            skipOn = SnowflakeSideFailure.class)
    public ConnectionInfo connection(UUID id) {
        return info(call(() -> api.get(bearer(), id)));
    }

    /**
     * The connection, asked WITH THE CALLER'S TOKEN: connection-service answers only when the caller
     * may manage it (403 otherwise, as a {@link ConnectionServiceException}). Delegation, not ambient
     * authority: rotation-service's own identity never vouches for a person.
     */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = RetriableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000, failOn = RetriableException.class,
            skipOn = SnowflakeSideFailure.class)
    public ConnectionInfo manageable(UUID id, String callerToken) {
        if (callerToken == null || callerToken.isBlank()) {
            throw new ConnectionServiceException(401, "urn:keyline:problem:unauthenticated", "no caller token to forward");
        }
        return info(call(() -> api.manageable("Bearer " + callerToken, id)));
    }

    private static ConnectionInfo info(ConnectionServiceApi.Connection c) {
        ConnectionServiceApi.Details d = c.details();
        return d == null ? new ConnectionInfo(c.id(), null, null, null, null, null, null)
                : new ConnectionInfo(c.id(), d.type(), d.account(), d.user(), d.authType(), d.keyFingerprint(),
                        d.credentialVersion());
    }

    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = RetriableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000, failOn = RetriableException.class,
            skipOn = SnowflakeSideFailure.class)
    public SlotsView keySlots(UUID id) {
        return view(bounded(id, () -> api.keySlots(bearer(), id)));
    }

    private static SlotsView view(ConnectionServiceApi.KeySlots k) {
        String s1 = null;
        String s2 = null;
        for (ConnectionServiceApi.Slot s : k.slots()) {
            if (s.slot() == 1) {
                s1 = s.fingerprint();
            } else if (s.slot() == 2) {
                s2 = s.fingerprint();
            }
        }
        return new SlotsView(k.storedKeyFingerprint(), k.credentialVersion(), s1, s2);
    }

    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = RetriableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000, failOn = RetriableException.class,
            skipOn = SnowflakeSideFailure.class)
    public List<KeyHolder> keyHolders(UUID id) {
        String body = call(() -> api.keyHolders(bearer(), id));
        JsonNode n;
        try {
            n = mapper.readTree(body);
        } catch (java.io.IOException e) {
            throw new ConnectionServiceException(502, null, "connection-service's key holders are not JSON");
        }
        JsonNode items = n != null && n.isObject() ? n.path("holders") : n;
        if (items == null || !items.isArray()) {
            throw new ConnectionServiceException(502, null, "connection-service's key holders are not a list");
        }
        List<KeyHolder> holders = new ArrayList<>();
        for (JsonNode h : items) {
            JsonNode version = h.path("credentialVersion");
            holders.add(new KeyHolder(UUID.fromString(h.path("id").asText()), h.path("name").asText(null),
                    h.path("keyFingerprint").asText(null), version.isInt() ? version.asInt() : null));
        }
        return holders;
    }

    /**
     * Retried: a repeat whose first try did land meets a slot holding the new key, not the expected
     * one, and answers 409 {@code key-slot-changed}; REGISTER then reads the slots and finds its key there.
     */
    @Retry(maxRetries = 1, delay = 500, retryOn = RetriableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000, failOn = RetriableException.class,
            skipOn = SnowflakeSideFailure.class)
    public SlotsView setKeySlot(UUID id, int slot, String publicKeyPem, String expectedFingerprint) {
        return view(bounded(id, () -> api.setKeySlot(bearer(), ifMatch(expectedFingerprint),
                ifNoneMatch(expectedFingerprint), id, slot, new ConnectionServiceApi.PublicKeyBody(publicKeyPem))));
    }

    /** Not retried here: the step re-reads the slot before unsetting again. */
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000, failOn = RetriableException.class,
            skipOn = SnowflakeSideFailure.class)
    public void unsetKeySlot(UUID id, int slot, String expectedFingerprint) {
        bounded(id, () -> api.unsetKeySlot(bearer(), ifMatch(expectedFingerprint), ifNoneMatch(expectedFingerprint), id,
                slot));
    }

    /** A slot's entity tag is the fingerprint of the key it holds; an empty slot has none (If-None-Match: *). */
    private static String ifMatch(String expectedFingerprint) {
        return expectedFingerprint == null ? null : "\"" + expectedFingerprint + "\"";
    }

    private static String ifNoneMatch(String expectedFingerprint) {
        return expectedFingerprint == null ? "*" : null;
    }

    /** Changes nothing, so an outage is retried here. */
    @Retry(maxRetries = 1, delay = 500, retryOn = RetriableException.class)
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000, failOn = RetriableException.class,
            skipOn = SnowflakeSideFailure.class)
    public void checkKey(UUID id, String privateKeyPem, String passphrase) {
        bounded(id, () -> api.testCandidateKey(bearer(), id,
                new ConnectionServiceApi.CandidateKeyBody(privateKeyPem, passphrase)));
    }

    /**
     * Never retried blindly: the SWAP step reads the stored fingerprint and decides. Compare-and-set
     * on the credential version, sent as If-Match too (connection-service refuses a PUT without it).
     */
    @CircuitBreaker(requestVolumeThreshold = 10, failureRatio = 0.8, delay = 5000, failOn = RetriableException.class,
            skipOn = SnowflakeSideFailure.class)
    public void swapCredentials(UUID id, String privateKeyPem, String passphrase, int expectedCredentialVersion) {
        bounded(id, () -> api.swapCredentials(bearer(), "\"" + expectedCredentialVersion + "\"", id,
                new ConnectionServiceApi.CredentialsBody(privateKeyPem, passphrase, expectedCredentialVersion)));
    }

    /** Whether a login with the stored key works (connection-service's test). */
    public boolean test(UUID id) {
        return bounded(id, () -> api.test(bearer(), id)).ok();
    }

    /**
     * A call that reaches Snowflake, awaited for its connection's bound ({@link SnowflakeCallBounds}) rather than for
     * the client's read-timeout; past it the request is cancelled and the call fails as unavailable (retriable), as
     * when connection-service does not answer at all.
     */
    private <T> T bounded(UUID id, Supplier<Uni<T>> request) {
        return call(() -> {
            Duration bound = bounds.of(id);
            try {
                return request.get().await().atMost(bound);
            } catch (io.smallrye.mutiny.TimeoutException e) {
                LOG.warnf("connection-service did not answer a call about connection %s within %d s; cancelled", id,
                        bound.toSeconds());
                throw new RetriableException(0, ConnectionServiceException.UNAVAILABLE, "connection-service did not answer within "
                        + bound.toSeconds() + " s (twice the connection's Snowflake timeout and a margin: connection-service"
                        + " ends its own Snowflake attempts well before that). Retry later.");
            }
        });
    }

    private <T> T call(Supplier<T> call) {
        try {
            return call.get();
        } catch (io.smallrye.mutiny.TimeoutException e) {
            // SnowflakeCallBounds' read of the connection's timeouts got no answer within its own bound.
            LOG.debugf("connection-service did not answer the read of a connection's timeouts");
            throw new RetriableException(0, ConnectionServiceException.UNAVAILABLE, "connection-service did not answer "
                    + "within " + SnowflakeCallBounds.READ_BOUND.toSeconds() + " s. Retry later.");
        } catch (WebApplicationException e) {
            throw problem(e.getResponse());
        } catch (ServiceTokenUnavailableException e) {
            // The identity provider (or the token file) failed, not connection-service: retry later.
            LOG.debugf("no service token: %s", e.getMessage());
            throw new RetriableException(0, ConnectionServiceException.UNAVAILABLE,
                    "no service token for connection-service: " + e.getMessage());
        } catch (ProcessingException e) {
            // No connection, or no answer within the read timeout.
            LOG.debugf("connection-service unreachable: %s", e.getClass().getSimpleName());
            throw new RetriableException(0, ConnectionServiceException.UNAVAILABLE,
                    "connection-service did not answer (" + e.getClass().getSimpleName() + "). Retry later.");
        }
    }

    private ConnectionServiceException problem(Response r) {
        int status = r.getStatus();
        String type = null;
        String detail = "connection-service answered HTTP " + status;
        try {
            String body = r.readEntity(String.class);
            JsonNode n = mapper.readTree(body);
            if (n != null && n.hasNonNull("type")) {
                type = n.get("type").asText();
            }
            if (n != null && n.hasNonNull("detail")) {
                detail = n.get("detail").asText();
            }
        } catch (RuntimeException | java.io.IOException ignored) {
            // not problem+json: keep the status only
        }
        return classify(status, type, detail);
    }

    /** The exception for connection-service's answer: retriable or not, and whether it was Snowflake's doing. */
    static ConnectionServiceException classify(int status, String type, String detail) {
        if (status >= 500 && type != null && type.startsWith(SNOWFLAKE_PROBLEMS)) {
            return new SnowflakeSideFailure(status, type, detail);
        }
        if (status >= 500 || status == 408 || status == 429) {
            return new RetriableException(status, type, detail);
        }
        return new ConnectionServiceException(status, type, detail);
    }

    /** The failures worth retrying and counting towards the circuit breaker. */
    public static class RetriableException extends ConnectionServiceException {
        public RetriableException(int status, String type, String detail) {
            super(status, type, detail);
        }
    }

    /**
     * connection-service answered, for Snowflake ({@code snowflake-timeout}, {@code snowflake-unreachable},
     * …): retried like any retriable failure, but not counted by the circuit breakers, which are about
     * connection-service itself. Counted, one account whose Snowflake is slow opened the breaker of a
     * call for every connection, and their runs reported "circuit breaker is open".
     */
    public static class SnowflakeSideFailure extends RetriableException {
        public SnowflakeSideFailure(int status, String type, String detail) {
            super(status, type, detail);
        }
    }
}
