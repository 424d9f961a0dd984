package dev.keyline.certificate.rest;

import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.keyline.certificate.config.CertificateServiceConfig;
import dev.keyline.common.work.WorkRejectedException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * At most {@code certificate-service.listing.max-in-flight} list requests are served at once; one
 * more is refused at once with 503 problem+json ({@code busy}) and {@code Retry-After}.
 *
 * <p>
 * Why: a list is cheap, but under an open-loop load faster than the service can answer, every
 * request used to wait for one of the datasource's connections, and a profile of 100 req/s showed
 * 37% of the CPU spent in that wait (Agroal's acquisition loop) instead of in the queries: every
 * answer got slower, none got refused. With the bound, the lists in flight never exceed the
 * connections (each holds at most one at a time), so they do not queue in the pool, the surplus
 * costs one refusal each, and creates, reads and exchanges keep connections of their own.
 * Refusals are counted ({@code keyline.certificate.list.refused}).
 */
@ApplicationScoped
public class ListingLimit {

    @Inject
    CertificateServiceConfig config;

    @Inject
    MeterRegistry registry;

    private Semaphore permits;
    private Counter refused;
    private int retryAfterSeconds;

    @PostConstruct
    void init() {
        limit(config.listing().maxInFlight(), config.work().retryAfterSeconds(), registry);
    }

    /** Sets the bound (also for tests, which build this without CDI). */
    void limit(int maxInFlight, int retryAfter, MeterRegistry meters) {
        permits = new Semaphore(maxInFlight);
        retryAfterSeconds = retryAfter;
        refused = Counter.builder("keyline.certificate.list.refused")
                .description("List requests refused with 503 because listing.max-in-flight were being served")
                .register(meters);
    }

    /** Runs {@code listing} when a permit is free; 503 {@code busy} at once when none is. */
    public <T> T call(Supplier<T> listing) {
        if (!permits.tryAcquire()) {
            refused.increment();
            throw new WorkRejectedException("listing", "listing certificates", retryAfterSeconds);
        }
        try {
            return listing.get();
        } finally {
            permits.release();
        }
    }
}
