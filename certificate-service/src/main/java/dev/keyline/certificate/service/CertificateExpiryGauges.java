package dev.keyline.certificate.service;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import dev.keyline.certificate.persistence.CertificateEntity;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Publishes {@code keyline_certificate_expiry_seconds{certificate_id,name}}: seconds until each
 * certificate expires (negative once expired), so dashboards and alerts see expiry coming. Read
 * from the database every minute, so every replica reports every certificate, including ones
 * another replica changed.
 */
@ApplicationScoped
public class CertificateExpiryGauges {

    private static final Logger LOG = Logger.getLogger(CertificateExpiryGauges.class);

    private final MultiGauge expiry;

    @Inject
    public CertificateExpiryGauges(MeterRegistry registry) {
        this.expiry = MultiGauge.builder("keyline.certificate.expiry.seconds")
                .description("Seconds until the certificate expires; negative when expired")
                .baseUnit("seconds")
                .register(registry);
    }

    void onStart(@Observes StartupEvent e) {
        try {
            refresh();
        } catch (RuntimeException ex) {
            // The database may still be coming up; the scheduled refresh catches up.
            LOG.warnf("Could not load certificate expiry gauges at start: %s", ex.getClass().getName());
        }
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) CertificateChanged changed) {
        refresh();
    }

    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void refresh() {
        List<Object[]> rows = QuarkusTransaction.requiringNew()
                .call(() -> CertificateEntity.getEntityManager()
                        .createQuery("select c.id, c.name, c.notAfter from CertificateEntity c", Object[].class)
                        .getResultList());
        expiry.register(rows.stream()
                .map(r -> MultiGauge.Row.of(Tags.of("certificate_id", r[0].toString(), "name", (String) r[1]),
                        (Instant) r[2], notAfter -> Duration.between(Instant.now(), notAfter).toSeconds()))
                .toList(), true);
    }
}
