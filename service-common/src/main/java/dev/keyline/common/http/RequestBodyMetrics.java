package dev.keyline.common.http;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.keyline.http.RequestBodyDeadline;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * The bodies being received at once (http-limits' {@link RequestBodyDeadline}) on dashboards: their bytes,
 * and the bodies refused with 503 {@code busy} past one sender's share or past the whole budget. A budget
 * filling up (slow uploads, or a client sending slowly on purpose) shows here before callers see 503s, and
 * a refusal's reason says whether one sender or everyone was held back.
 */
@ApplicationScoped
public class RequestBodyMetrics {

    void register(@Observes StartupEvent start, RequestBodyDeadline bodies, MeterRegistry registry) {
        Gauge.builder("keyline.http.bodies.buffered", bodies, RequestBodyDeadline::bufferedBytes).baseUnit("bytes")
                .description("Bytes of the request bodies being received now, in all").register(registry);
        FunctionCounter.builder("keyline.http.bodies.refused", bodies, RequestBodyDeadline::refusedPastShare)
                .description("Request bodies answered 503 busy because the bodies being received would pass a limit")
                .tag("reason", "share").register(registry);
        FunctionCounter.builder("keyline.http.bodies.refused", bodies, RequestBodyDeadline::refusedPastBudget)
                .description("Request bodies answered 503 busy because the bodies being received would pass a limit")
                .tag("reason", "budget").register(registry);
    }
}
