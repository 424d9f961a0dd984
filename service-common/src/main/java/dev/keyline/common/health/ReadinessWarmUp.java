package dev.keyline.common.health;

import java.lang.annotation.Annotation;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;

/**
 * Runs every readiness check once on a background thread at {@code StartupEvent}, while the main
 * thread still opens the HTTP and management sockets, and throws the answers away.
 *
 * <p>Why: the first {@code /q/health/ready} answer used to pay for loading whole client stacks on
 * first use: the Vault check's first request (Vert.x HTTP client, Netty's HTTP codec, the Vault
 * client: ~600 classes), rotation-service's first HQL query. That came after "started", one check
 * after the other, on the critical path of launch → ready (bench/README.md, start-up timeline).
 * Here it overlaps with the last start-up steps on the second core.
 *
 * <p>Nothing pretends to be ready: the answers are discarded, and every probe still runs every
 * check against Vault and PostgreSQL itself. The only cost is one extra Vault list and database query
 * per start.
 */
@ApplicationScoped
public class ReadinessWarmUp {

    private static final Logger LOG = Logger.getLogger(ReadinessWarmUp.class);

    @Inject
    @Readiness
    Instance<HealthCheck> checks;

    void onStart(@Observes StartupEvent event) {
        Thread.ofPlatform().daemon().name("readiness-warm-up").start(this::callEach);
    }

    private void callEach() {
        for (Instance.Handle<HealthCheck> handle : checks.handles()) {
            try {
                call(handle.get());
            } finally {
                if (createdForTheWarmUp(handle.getBean().getScope())) {
                    handle.destroy();
                }
            }
        }
    }

    /**
     * Whether the check's instance was made for this call alone and is the warm-up's to destroy: a
     * {@code @Dependent} one (the services' {@code @Produces @Readiness} checks). A check of another
     * scope (Agroal's {@code @ApplicationScoped} datasource check) is shared with the probes;
     * destroying it would only make the next probe build it again.
     */
    static boolean createdForTheWarmUp(Class<? extends Annotation> scope) {
        return scope == Dependent.class;
    }

    /** Calls the check once; false if it threw (left to the real probe to report). */
    static boolean call(HealthCheck check) {
        try {
            check.call();
            return true;
        } catch (RuntimeException e) {
            LOG.debugf("readiness warm-up: %s failed: %s", check.getClass().getName(), e.getClass().getName());
            return false;
        }
    }
}
