package dev.keyline.rotation.client;

import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;
import org.eclipse.microprofile.faulttolerance.exceptions.FaultToleranceException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.jboss.logging.Logger;

import dev.keyline.rotation.ConnectionInfo;
import dev.keyline.rotation.ConnectionPort;
import dev.keyline.rotation.ConnectionServiceException;
import dev.keyline.rotation.KeyHolder;
import dev.keyline.rotation.SlotsView;

/**
 * connection-service, as the runs and the API see it: the calls of {@link ConnectionServiceCalls} (timeouts,
 * retries, circuit breaker), with what their fault-tolerance interceptor throws itself, outside those methods
 * ({@link CircuitBreakerOpenException}, {@link TimeoutException}, {@link BulkheadException}), turned into the
 * same {@link ConnectionServiceException#UNAVAILABLE} as a peer that does not answer: a transient failure the
 * runs retry and the API answers with 503 {@code connection-service-unavailable}. They used to escape as bare
 * exceptions, so a run ended with {@code internal-error} / {@code CircuitBreakerOpenException}.
 */
@ApplicationScoped
public class ConnectionServiceClient implements ConnectionPort {

    private static final Logger LOG = Logger.getLogger(ConnectionServiceClient.class);

    @Inject
    ConnectionServiceCalls calls;

    ConnectionServiceClient() {
    }

    /** Outside CDI (tests): around calls whose fault-tolerance failures are simulated. */
    public ConnectionServiceClient(ConnectionServiceCalls calls) {
        this.calls = calls;
    }

    @Override
    public ConnectionInfo connection(UUID id) {
        return guarded(() -> calls.connection(id));
    }

    /**
     * The connection, asked WITH THE CALLER'S TOKEN: connection-service answers only when the caller may manage
     * it (403 otherwise, as a {@link ConnectionServiceException}).
     */
    public ConnectionInfo manageable(UUID id, String callerToken) {
        return guarded(() -> calls.manageable(id, callerToken));
    }

    @Override
    public SlotsView keySlots(UUID id) {
        return guarded(() -> calls.keySlots(id));
    }

    @Override
    public List<KeyHolder> keyHolders(UUID id) {
        return guarded(() -> calls.keyHolders(id));
    }

    @Override
    public SlotsView setKeySlot(UUID id, int slot, String publicKeyPem, String expectedFingerprint) {
        return guarded(() -> calls.setKeySlot(id, slot, publicKeyPem, expectedFingerprint));
    }

    @Override
    public void unsetKeySlot(UUID id, int slot, String expectedFingerprint) {
        guarded(() -> {
            calls.unsetKeySlot(id, slot, expectedFingerprint);
            return null;
        });
    }

    @Override
    public void checkKey(UUID id, String privateKeyPem, String passphrase) {
        guarded(() -> {
            calls.checkKey(id, privateKeyPem, passphrase);
            return null;
        });
    }

    @Override
    public void swapCredentials(UUID id, String privateKeyPem, String passphrase, int expectedCredentialVersion) {
        guarded(() -> {
            calls.swapCredentials(id, privateKeyPem, passphrase, expectedCredentialVersion);
            return null;
        });
    }

    /** Whether a login with the stored key works (connection-service's test). */
    public boolean test(UUID id) {
        return guarded(() -> calls.test(id));
    }

    static <T> T guarded(Supplier<T> call) {
        try {
            return call.get();
        } catch (FaultToleranceException e) {
            LOG.debugf("connection-service call not completed: %s", e.getClass().getSimpleName());
            throw unavailable(e);
        }
    }

    /** The problem for a call the fault-tolerance guard ended or refused; never the exception's message. */
    static ConnectionServiceException unavailable(FaultToleranceException e) {
        String detail;
        if (e instanceof CircuitBreakerOpenException) {
            detail = "connection-service was not called: most recent calls to it failed, so its circuit breaker "
                    + "is open (CircuitBreakerOpenException). Retry later.";
        } else if (e instanceof TimeoutException) {
            detail = "connection-service did not answer in time (TimeoutException). Retry later.";
        } else if (e instanceof BulkheadException) {
            detail = "connection-service was not called: too many calls to it are under way (BulkheadException). "
                    + "Retry later.";
        } else {
            detail = "connection-service was not called (" + e.getClass().getSimpleName() + "). Retry later.";
        }
        return new ConnectionServiceCalls.RetriableException(0, ConnectionServiceException.UNAVAILABLE, detail);
    }
}
