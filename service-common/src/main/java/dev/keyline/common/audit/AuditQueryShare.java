package dev.keyline.common.audit;

import java.util.function.Supplier;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.keyline.common.work.CallerShare;
import dev.keyline.common.work.WorkPools;
import io.quarkus.runtime.Startup;

/**
 * The audit-event queries one caller may have running at once ({@code keyline.audit.queries-per-caller});
 * past it 429 with Retry-After. Why: a query of 500 events costs tens of milliseconds of CPU and a
 * database connection, and one reader's 40 parallel queries made every other caller's plain GET 15-40
 * times slower (measured against all three services). Started eagerly so that
 * {@code keyline_work_caller_refused_total{pool="audit-queries"}} exists from the start.
 */
@Startup
@ApplicationScoped
public class AuditQueryShare {

    @Inject
    WorkPools pools;

    @ConfigProperty(name = "keyline.audit.queries-per-caller", defaultValue = "4")
    int perCaller;

    @ConfigProperty(name = "keyline.audit.retry-after-seconds", defaultValue = "2")
    int retryAfterSeconds;

    private CallerShare share;

    @PostConstruct
    void init() {
        share = pools.share("audit-queries", "audit-event queries", perCaller, retryAfterSeconds);
    }

    /**
     * Runs {@code query} counted to {@code caller}'s share.
     *
     * @throws dev.keyline.common.work.CallerShareExceededException when the caller has its share running (429)
     */
    public <T> T call(String caller, Supplier<T> query) {
        return share.call(caller, query);
    }
}
