package dev.keyline.common.keys;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.keyline.keys.BouncyCastle;
import io.quarkus.runtime.StartupEvent;

/**
 * Builds key-material's BouncyCastle provider on a background thread once the application has
 * started, so the first encrypted-key upload or pending-key write does not pay for it (0.3-0.6 s
 * here, it registers hundreds of algorithms and validates its EC curves).
 *
 * <p>Why not at start-up, as {@code quarkus.security.security-providers=BC} did: that ran on the
 * main thread before anything listened and was the largest single item of the services' start
 * (about a fifth of the main thread's samples in a JFR recording). Key-material passes its provider
 * explicitly, so nothing needs it registered with {@link java.security.Security} in JVM mode; the
 * native profile still registers it so a native image keeps its classes.
 */
@ApplicationScoped
public class BouncyCastleWarmUp {

    private static final Logger LOG = Logger.getLogger(BouncyCastleWarmUp.class);

    void onStart(@Observes StartupEvent event) {
        Thread.ofPlatform().daemon().name("bouncycastle-warm-up").priority(Thread.MIN_PRIORITY).start(() -> {
            try {
                BouncyCastle.provider();
            } catch (RuntimeException | LinkageError e) {
                // The first real use builds it again and reports its own failure.
                LOG.debugf("BouncyCastle warm-up failed: %s", e.getClass().getName());
            }
        });
    }
}
