package dev.keyline.common.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import org.jboss.logging.MDC;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.keyline.common.work.BoundedWork;

/**
 * Work a request hands to one of the service's pools logs with the request's subject and trace,
 * and a pool thread keeps neither for the next request's work.
 */
class MdcHandoverTest {

    @AfterEach
    void clear() {
        MDC.clear();
    }

    @ParameterizedTest(name = "virtual threads: {0}")
    @ValueSource(booleans = { false, true })
    void poolWorkSeesTheSubmittersLogContextAndKeepsNoneOfIt(boolean virtualThreads) {
        try (BoundedWork pool = new BoundedWork("mdc", "log context", 1, 4, virtualThreads, 1, Duration.ofSeconds(5))) {
            MDC.put(CallerLogContext.MDC_SUBJECT, "alice");
            MDC.put("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");

            Map<String, Object> seen = pool.call(() -> {
                Map<String, Object> mdc = new HashMap<>(MDC.getMap());
                MDC.put(CallerLogContext.MDC_SUBJECT, "changed-on-the-pool");
                return mdc;
            });

            assertThat(seen).containsEntry(CallerLogContext.MDC_SUBJECT, "alice")
                    .containsEntry("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
            assertThat(MDC.get(CallerLogContext.MDC_SUBJECT)).as("the submitter's own context is untouched")
                    .isEqualTo("alice");

            // The next request's work, from a thread without a caller, on the same pool thread.
            MDC.clear();
            Map<String, Object> next = pool.call(() -> new HashMap<>(MDC.getMap()));
            assertThat(next).as("nothing of the previous request is left on the pool thread")
                    .doesNotContainKeys(CallerLogContext.MDC_SUBJECT, "traceId");

            MDC.put(CallerLogContext.MDC_SUBJECT, "bob");
            assertThat(pool.call(() -> MDC.get(CallerLogContext.MDC_SUBJECT))).isEqualTo("bob");
        }
    }
}
