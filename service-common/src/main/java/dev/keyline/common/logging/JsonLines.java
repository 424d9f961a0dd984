package dev.keyline.common.logging;

import java.util.logging.Filter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.jboss.logmanager.handlers.ConsoleHandler;

import io.quarkus.logging.LoggingFilter;

/**
 * Turns the log handlers it is attached to ({@code quarkus.log.console.filter=json-lines}, or a
 * named handler's {@code filter}) into JSON-lines handlers ({@link JsonLogFormatter}); it filters
 * nothing out. The console turns JSON only when {@code keyline.log.console-json} is true (the prod
 * profile; {@code ./run-local} sets it false so people read plain lines); any other handler carrying
 * the filter (the tests' {@code target/quarkus-test.json.log}) always.
 *
 * <p>Why a filter: quarkus-logging-json is not served for this Quarkus version, and an application
 * (not an extension) has no build step to register a formatter. A named filter is the one logging
 * component Quarkus creates from application code, before the first record is written, and it runs
 * before its handler formats a record. So on the first record it finds the handlers it is attached
 * to (asking each handler's filter about a probe record, which works through the {@code AllFilter}
 * Quarkus wraps it in) and gives them the JSON formatter; that first record is already JSON.
 */
@LoggingFilter(name = "json-lines")
public final class JsonLines implements Filter {

    private static final ThreadLocal<Boolean> PROBING = ThreadLocal.withInitial(() -> false);

    private final JsonLogFormatter formatter;
    private volatile boolean installed;
    private boolean probed;

    private final boolean consoleJson;

    /**
     * @param service the {@code service} field of every line
     * @param consoleJson whether the console writes JSON lines (env {@code KEYLINE_LOG_CONSOLE_JSON})
     */
    public JsonLines(@ConfigProperty(name = "quarkus.application.name", defaultValue = "keyline") String service,
            @ConfigProperty(name = "keyline.log.console-json", defaultValue = "false") boolean consoleJson) {
        this.formatter = new JsonLogFormatter(service);
        this.consoleJson = consoleJson;
    }

    @Override
    public boolean isLoggable(LogRecord record) {
        if (PROBING.get()) {
            probed = true;
            return false;
        }
        if (!installed) {
            install();
        }
        return true;
    }

    private synchronized void install() {
        if (installed) {
            return;
        }
        ExtLogRecord probe = new ExtLogRecord(Level.SEVERE, "", JsonLines.class.getName());
        probe.setLoggerName(JsonLines.class.getName());
        PROBING.set(true);
        try {
            for (Handler h : LogContext.getLogContext().getLogger("").getHandlers()) {
                attach(h, probe);
            }
        } finally {
            PROBING.set(false);
        }
        installed = true;
    }

    private void attach(Handler handler, ExtLogRecord probe) {
        Filter filter = handler.getFilter();
        if (filter != null) {
            probed = false;
            filter.isLoggable(probe);
            if (probed && (consoleJson || !(handler instanceof ConsoleHandler))) {
                handler.setFormatter(formatter);
            }
        }
        if (handler instanceof ExtHandler parent) {
            for (Handler child : parent.getHandlers()) {
                attach(child, probe);
            }
        }
    }
}
