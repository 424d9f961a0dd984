package dev.keyline.certificate.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.keyline.certificate.persistence.CertificateEntity;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes {@code keyline_certificate_expiry_seconds{certificate_id,name}}: seconds until each
 * certificate expires (negative once expired), so dashboards and alerts see expiry coming.
 *
 * <p>A change made here updates only its own certificate's gauge, from the event (no database read:
 * reading every row on every create used to put a full-table query on each write). Every minute the
 * three columns of all rows are read once, so every replica also reports certificates another replica
 * changed, and drops those another replica deleted. The first of those reads runs two seconds after
 * start, not in a start-up observer: there it ran on the main thread before the service listened
 * (its query parsing showed in a JFR recording of the start), and no gauge is needed before the
 * service can answer the scrape anyway.
 */
@ApplicationScoped
public class CertificateExpiryGauges {

    static final String NAME = "keyline.certificate.expiry.seconds";
    private static final Logger LOG = Logger.getLogger(CertificateExpiryGauges.class);

    /** What one gauge reads; replaced (with its gauge) only when the name, a tag, changes. */
    private record Tracked(String name, Expiry expiry, Gauge gauge) {
    }

    /** Mutable expiry behind a gauge: a renewal moves it without re-registering the meter. */
    private static final class Expiry {
        private volatile Instant notAfter;

        Expiry(Instant notAfter) {
            this.notAfter = notAfter;
        }

        double secondsLeft() {
            return Duration.between(Instant.now(), notAfter).toSeconds();
        }
    }

    private final MeterRegistry registry;
    private final ConcurrentHashMap<UUID, Tracked> tracked = new ConcurrentHashMap<>();

    @Inject
    public CertificateExpiryGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) CertificateChanged changed) {
        if (changed.isDeleted()) {
            drop(changed.id());
        } else {
            put(changed.id(), changed.name(), changed.notAfter());
        }
    }

    @Scheduled(every = "60s", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        // Only certificates known before the read may be dropped: one created meanwhile is not in the rows yet.
        Set<UUID> knownBefore = Set.copyOf(tracked.keySet());
        List<Object[]> rows;
        try {
            rows = QuarkusTransaction.requiringNew()
                    .call(() -> CertificateEntity.getEntityManager()
                            .createQuery("select c.id, c.name, c.notAfter from CertificateEntity c", Object[].class)
                            .getResultList());
        } catch (RuntimeException e) {
            // The database is away (readiness says so): one line a minute, the gauges keep their last values
            // (they are also kept current by every change on this replica), not a stack trace each time.
            LOG.warnf("Certificate expiry gauges not refreshed: %s (kept as they were)", e.getClass().getName());
            return;
        }
        Set<UUID> present = new HashSet<>();
        for (Object[] row : rows) {
            UUID id = (UUID) row[0];
            present.add(id);
            put(id, (String) row[1], (Instant) row[2]);
        }
        for (UUID id : knownBefore) {
            if (!present.contains(id)) {
                drop(id);
            }
        }
    }

    private void put(UUID id, String name, Instant notAfter) {
        tracked.compute(id, (key, current) -> {
            if (current != null && current.name().equals(name)) {
                current.expiry().notAfter = notAfter;
                return current;
            }
            if (current != null) {
                registry.remove(current.gauge());
            }
            Expiry expiry = new Expiry(notAfter);
            Gauge gauge = Gauge.builder(NAME, expiry, Expiry::secondsLeft)
                    .description("Seconds until the certificate expires; negative when expired")
                    .baseUnit("seconds")
                    .tags("certificate_id", key.toString(), "name", name)
                    .strongReference(true)
                    .register(registry);
            return new Tracked(name, expiry, gauge);
        });
    }

    private void drop(UUID id) {
        Tracked gone = tracked.remove(id);
        if (gone != null) {
            registry.remove(gone.gauge());
        }
    }
}
