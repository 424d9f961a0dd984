package dev.keyline.common.keys;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.ObservesAsync;

import org.jboss.logging.Logger;

import dev.keyline.keys.BouncyCastle;
import io.quarkus.vertx.http.HttpServerStart;

/**
 * Builds key-material's BouncyCastle provider on a background thread once the service listens, so
 * the first encrypted-key upload or pending-key write does not pay for it (0.3-0.6 s here, it
 * registers hundreds of algorithms and validates its EC curves).
 *
 * <p>Why not at start-up, as {@code quarkus.security.security-providers=BC} did: that ran on the
 * main thread before anything listened and was the largest single item of the services' start
 * (about a fifth of the main thread's samples in a JFR recording). Key-material passes its provider
 * explicitly, so nothing needs it registered with {@link java.security.Security} in JVM mode; the
 * native profile still registers it so a native image keeps its classes.
 *
 * <p>Why after the HTTP server started and a short pause, not on {@code StartupEvent}: that event
 * comes before the sockets open, and a JFR recording of certificate-service's start showed the
 * warm-up thread taking about a third as many CPU samples as the main thread while both were still
 * starting: on two cores it delayed readiness. Opening the socket is the last step of the start, so
 * a warm-up begun {@value #SETTLE_MILLIS} ms later competes with neither the start nor the first
 * readiness probes.
 */
@ApplicationScoped
public class BouncyCastleWarmUp {

    private static final Logger LOG = Logger.getLogger(BouncyCastleWarmUp.class);

    static final long SETTLE_MILLIS = 1_000;

    /** The event comes once per HTTP server verticle (one per event loop); one warm-up is enough. */
    private final AtomicBoolean started = new AtomicBoolean();

    void onListening(@ObservesAsync HttpServerStart event) {
        if (!started.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("bouncycastle-warm-up").priority(Thread.MIN_PRIORITY).start(() -> {
            try {
                Thread.sleep(SETTLE_MILLIS);
                BouncyCastle.provider();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | LinkageError e) {
                // The first real use builds it again and reports its own failure.
                LOG.debugf("BouncyCastle warm-up failed: %s", e.getClass().getName());
            }
        });
    }
}
