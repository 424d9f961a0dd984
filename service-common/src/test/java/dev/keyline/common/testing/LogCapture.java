package dev.keyline.common.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log records a test's own requests produce, kept while it is open: a handler on the root logger
 * (JBoss LogManager's, inside a Quarkus test) that keeps the records {@code keep} accepts. Used as
 * try-with-resources, so the handler is removed however the test ends.
 */
public final class LogCapture implements AutoCloseable {

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final Handler handler;

    private LogCapture(Predicate<LogRecord> keep) {
        handler = new Handler() {
            @Override
            public void publish(LogRecord r) {
                if (r.getLoggerName() != null && keep.test(r)) {
                    records.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        Logger.getLogger("").addHandler(handler);
    }

    /** Starts keeping the records {@code keep} accepts (their logger name is never null). */
    public static LogCapture of(Predicate<LogRecord> keep) {
        return new LogCapture(keep);
    }

    /** The records kept so far, in order. */
    public List<LogRecord> records() {
        return records;
    }

    /** A record's message with its parameters filled in (the services log with printf-style formats). */
    public static String formatted(LogRecord r) {
        return r.getParameters() == null || r.getParameters().length == 0 ? r.getMessage()
                : String.format(r.getMessage(), r.getParameters());
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
