package dev.keyline.common.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;

import org.jboss.logmanager.ExtFormatter;
import org.jboss.logmanager.ExtLogRecord;

/**
 * One log record as one line of JSON, for a log store: {@code timestamp}, {@code service},
 * {@code level}, {@code logger}, {@code thread}, {@code message}, and when present {@code traceId},
 * {@code spanId} (put in the MDC by quarkus-opentelemetry), {@code subject} (the authenticated
 * caller, {@link CallerLogContext}) and {@code exception} (type, message and stack as one string).
 * Written by hand because quarkus-logging-json is not served for the Quarkus version of this build.
 */
public final class JsonLogFormatter extends ExtFormatter {

    /** MDC keys copied into each line when set, under the same name. */
    private static final String[] MDC_FIELDS = { "traceId", "spanId", CallerLogContext.MDC_SUBJECT };

    private final String service;

    public JsonLogFormatter(String service) {
        this.service = service;
    }

    @Override
    public String format(ExtLogRecord record) {
        StringBuilder json = new StringBuilder(256).append('{');
        field(json, "timestamp", Instant.ofEpochMilli(record.getMillis()).toString());
        field(json, "service", service);
        field(json, "level", record.getLevel().getName());
        field(json, "logger", record.getLoggerName());
        field(json, "thread", record.getThreadName());
        field(json, "message", formatMessage(record));
        for (String key : MDC_FIELDS) {
            String value = record.getMdc(key);
            if (value != null && !value.isEmpty()) {
                field(json, key, value);
            }
        }
        Throwable thrown = record.getThrown();
        if (thrown != null) {
            StringWriter stack = new StringWriter();
            thrown.printStackTrace(new PrintWriter(stack));
            field(json, "exception", stack.toString());
        }
        json.setLength(json.length() - 1);
        return json.append("}\n").toString();
    }

    private static void field(StringBuilder json, String name, String value) {
        json.append('"').append(name).append("\":");
        if (value == null) {
            json.append("null");
        } else {
            quote(json, value);
        }
        json.append(',');
    }

    /** RFC 8259 string: quotes, backslashes and every control character escaped, so a line stays one line. */
    static void quote(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
