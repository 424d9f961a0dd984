package dev.keyline.common.logging;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.jboss.logging.MDC;

/**
 * Carries the log context (MDC: the caller's {@code subject}, {@code traceId}, {@code spanId}) of
 * the thread that hands work over to the thread that does it, so every line a request writes
 * names its caller and trace, not only the lines of the request's own thread.
 *
 * <p>Why: inside a request the MDC lives in the request's Vert.x context (Quarkus' VertxMDC), which
 * follows the request across the event loop, worker and virtual threads Quarkus itself runs it
 * on. A thread of one of our own pools ({@link dev.keyline.common.work.BoundedWork}: Snowflake
 * sessions, key derivation) has no such context: without this, its lines would carry no subject,
 * or, through the inheritable fallback map, the subject of whichever request created the thread.
 */
public final class MdcHandover {

    private MdcHandover() {
    }

    /** {@code task} run with a copy of the current thread's MDC, and with nothing else left over afterwards. */
    public static <T> Callable<T> wrap(Callable<T> task) {
        Map<String, Object> handedOver = new HashMap<>(MDC.getMap());
        return () -> {
            Map<String, Object> own = new HashMap<>(MDC.getMap());
            MDC.clear();
            handedOver.forEach(MDC::put);
            try {
                return task.call();
            } finally {
                MDC.clear();
                own.forEach(MDC::put);
            }
        };
    }
}
