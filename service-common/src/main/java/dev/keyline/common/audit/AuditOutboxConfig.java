package dev.keyline.common.audit;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The deferred audit writer ({@link AuditOutbox}), under {@code keyline.audit.outbox.*}. */
@ConfigMapping(prefix = "keyline.audit.outbox")
public interface AuditOutboxConfig {

    /** Events waiting to be written; when full, the caller writes its event itself (synchronously), none is dropped. */
    @WithDefault("10000")
    int capacity();

    /** At most this many events go into one write (one multi-row INSERT; more than 5,957 are cut to that). */
    @WithDefault("200")
    int batchSize();

    /** After a failed write, the first wait before the batch is tried again (doubling, at most 30 s). */
    @WithDefault("200ms")
    Duration retryDelay();

    /**
     * How long a read of the audit trail waits for the events accepted before it to be written
     * (read-your-writes on this replica); also how long an orderly shutdown waits for the rest.
     */
    @WithDefault("5S")
    Duration flushWait();
}
