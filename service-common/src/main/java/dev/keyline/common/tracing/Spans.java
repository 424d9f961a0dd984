package dev.keyline.common.tracing;

import java.util.function.Supplier;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.arc.Arc;
import io.quarkus.arc.ArcContainer;
import io.quarkus.arc.InstanceHandle;

/**
 * Spans for work no instrumentation sees: Vault KV calls, Snowflake logins and statements, rotation
 * runs and steps. Plain static calls, because the code that needs them is partly plain Java (the
 * rotation engine, the JDBC session); the tracer is the application's (quarkus-opentelemetry), or a
 * no-op outside a running application and while {@code quarkus.otel.sdk.disabled} is true, so
 * disabled tracing costs a lookup and no allocation of span data.
 *
 * <p>Callers name spans and give attributes that never carry secrets or SQL text: an operation
 * label, an id, a user name.
 */
public final class Spans {

    private static final String SCOPE = "dev.keyline";
    private static final Tracer NOOP = OpenTelemetry.noop().getTracer(SCOPE);

    private Spans() {
    }

    /** A span around {@code work}, current while it runs; an exception marks it failed (type only). */
    public static <T> T in(String name, SpanKind kind, String[] attributes, Supplier<T> work) {
        Span span = tracer().spanBuilder(name).setSpanKind(kind).startSpan();
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            if (attributes[i + 1] != null) {
                span.setAttribute(attributes[i], attributes[i + 1]);
            }
        }
        try (Scope ignored = span.makeCurrent()) {
            return work.get();
        } catch (RuntimeException | Error e) {
            // The type, never the message: a library's message might quote input.
            span.setStatus(StatusCode.ERROR, e.getClass().getSimpleName());
            throw e;
        } finally {
            span.end();
        }
    }

    /** {@link #in} for work without a result. */
    public static void run(String name, SpanKind kind, String[] attributes, Runnable work) {
        in(name, kind, attributes, () -> {
            work.run();
            return null;
        });
    }

    /** The current trace id (32 hex digits), or null when nothing is traced. */
    public static String currentTraceId() {
        SpanContext context = Span.current().getSpanContext();
        return context.isValid() ? context.getTraceId() : null;
    }

    private static Tracer tracer() {
        ArcContainer container = Arc.container();
        if (container == null || !container.isRunning()) {
            return NOOP;
        }
        InstanceHandle<Tracer> tracer = container.instance(Tracer.class);
        return tracer.isAvailable() ? tracer.get() : NOOP;
    }
}
