package dev.keyline.connection.client;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.ProcessingException;

import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.faulttolerance.Timeout;
import org.eclipse.microprofile.rest.client.inject.RestClient;


/**
 * The way to certificate-service: forwards the caller's own bearer token (certificate-service checks
 * the caller's {@code certificates:use}; this service has no authority of its own there) and adds
 * timeout, retry and circuit breaker. There is deliberately no fallback: a test that could not run must not
 * look like one that passed.
 *
 * <p>
 * Retried: only when certificate-service could not be reached or answered 503 (the exchange then
 * did not happen). Not retried: its 4xx answers, and 502/504 about the remote API.
 */
@ApplicationScoped
public class CertificateServiceClient {

    @Inject
    @RestClient
    CertificateServiceApi api;

    /**
     * One GET of {@code url} presenting the certificate, made by certificate-service for the caller
     * whose bearer token {@code callerToken} is.
     *
     * @throws CertificateServiceException with certificate-service's problem type, or its
     *         {@link CertificateServiceException.Unavailable} / {@link CertificateServiceException.Timeout}
     */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = CertificateServiceException.Unavailable.class)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000, successThreshold = 2,
            failOn = { CertificateServiceException.Unavailable.class, CertificateServiceException.Timeout.class,
                    org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException.class })
    public ExchangeOutcome exchange(UUID certificateId, String url, String callerToken) {
        return send(certificateId, new ExchangeCall("GET", url), callerToken);
    }

    /**
     * One request made by certificate-service presenting the certificate, for the caller whose
     * bearer token {@code callerToken} is (API connector calls). Never retried: a POST that reached
     * the API must not be sent twice; the caller sees the failure and decides.
     */
    @Timeout(value = 30, unit = ChronoUnit.SECONDS)
    @CircuitBreaker(requestVolumeThreshold = 20, failureRatio = 0.5, delay = 10_000, successThreshold = 2,
            failOn = { CertificateServiceException.Unavailable.class, CertificateServiceException.Timeout.class,
                    org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException.class })
    public ExchangeOutcome request(UUID certificateId, ExchangeCall call, String callerToken) {
        return send(certificateId, call, callerToken);
    }

    private ExchangeOutcome send(UUID certificateId, ExchangeCall call, String callerToken) {
        requireToken(callerToken);
        try {
            return api.exchange(certificateId, "Bearer " + callerToken, call);
        } catch (ProcessingException e) {
            throw transport(e);
        }
    }

    /**
     * Whether certificate-service lets the certificate be presented to {@code host:port}, asked with
     * the caller's bearer token: a caller learns only about certificates it may read itself.
     *
     * @return null when it may, else certificate-service's reason
     * @throws CertificateServiceException with its problem type (404 for an unknown certificate)
     */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = CertificateServiceException.Unavailable.class)
    public String refusal(UUID certificateId, String host, int port, String callerBearer) {
        try {
            CertificateServiceApi.Authorization a = api.authorization(certificateId, host, port, callerBearer);
            return a.allowed() ? null : a.reason() == null ? "no authorized domain matches" : a.reason();
        } catch (ProcessingException e) {
            throw transport(e);
        }
    }

    /**
     * Registers connector {@code connectionId} (named {@code name}) as a user of the certificate, for
     * the caller whose bearer token {@code callerToken} is: certificate-service checks the caller's
     * own {@code certificates:use}. Idempotent, so retried when certificate-service was away.
     */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = CertificateServiceException.Unavailable.class)
    public void registerConsumer(UUID certificateId, UUID connectionId, String name, String callerToken) {
        requireToken(callerToken);
        try {
            api.registerConsumer(certificateId, connectionId, "Bearer " + callerToken,
                    new CertificateServiceApi.Consumer(name, "connection-service"));
        } catch (ProcessingException e) {
            throw transport(e);
        }
    }

    /** Removes that registration, with the caller's token. Idempotent, retried like registering. */
    @Timeout(value = 10, unit = ChronoUnit.SECONDS)
    @Retry(maxRetries = 2, delay = 200, jitter = 100, retryOn = CertificateServiceException.Unavailable.class)
    public void unregisterConsumer(UUID certificateId, UUID connectionId, String callerToken) {
        requireToken(callerToken);
        try {
            api.unregisterConsumer(certificateId, connectionId, "Bearer " + callerToken);
        } catch (ProcessingException e) {
            throw transport(e);
        }
    }

    private static void requireToken(String callerToken) {
        if (callerToken == null || callerToken.isBlank()) {
            // Never fall back to an identity of this service's own: that was the confused deputy.
            throw new CertificateServiceException(401, "unauthenticated", "no caller token to forward");
        }
    }

    private static CertificateServiceException transport(ProcessingException e) {
        if (hasCause(e, SocketTimeoutException.class) || hasCause(e, java.util.concurrent.TimeoutException.class)
                || String.valueOf(e.getMessage()).toLowerCase().contains("timeout")
                || String.valueOf(e.getMessage()).toLowerCase().contains("timed out")) {
            return new CertificateServiceException.Timeout("certificate-service did not answer in time");
        }
        if (hasCause(e, UnknownHostException.class)) {
            return new CertificateServiceException.Unavailable(0, "certificate-service's host name does not resolve");
        }
        if (hasCause(e, ConnectException.class)) {
            return new CertificateServiceException.Unavailable(0, "certificate-service refused the connection");
        }
        return new CertificateServiceException.Unavailable(0,
                "certificate-service could not be reached (" + e.getClass().getSimpleName() + ")");
    }

    private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }
}
