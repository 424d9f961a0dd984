package io.quarkus.smallrye.openapi.runtime;

import io.quarkus.arc.Unremovable;
import io.quarkus.runtime.annotations.RegisterForReflection;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import io.quarkus.smallrye.openapi.runtime.filter.AutoSecurityFilter;
import io.smallrye.openapi.runtime.io.Format;
import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.Vetoed;
import jakarta.inject.Singleton;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.Config;

/**
 * Quarkus' OpenAPI document service, with the document built on the first {@code /q/openapi} request
 * instead of at start.
 *
 * <p>Why: Quarkus 3.36 builds every document at start, on the main thread, before the service is ready
 * (a {@code RUNTIME_INIT} step calls {@link #prepareDocument}): it reads the build-time document, runs
 * the security filter over it and serialises it to both JSON and YAML, loading SmallRye OpenAPI's
 * model, Jackson's YAML writer and SnakeYAML (~350 classes) on the way. In the services that was
 * 7-9 % of the main thread's start-up CPU, for a document that few replicas are ever asked for.
 * Quarkus made it lazy upstream (quarkusio/quarkus#55538) only for applications without runtime
 * filters, and ours have one (the bearer-token security filter that adds the {@code jwt} scheme).
 * Remove this class once the Quarkus version in use builds documents with runtime filters lazily.
 *
 * <p>The document is the same: the original {@link #prepareDocument} runs with the same arguments, the
 * same filters and the same class loader, only later; its first request pays for it once (a few hundred
 * milliseconds). It sits in Quarkus' package because {@code prepareDocument} is package-private; the
 * recorder and the handler look the service up as a bean, and {@link Producer}'s alternative wins that
 * lookup.
 *
 * <p>The override takes effect only where this class and Quarkus' share a class loader, as in the
 * packaged application ({@code quarkus-run.jar}). In {@code @QuarkusTest}s service-common is loaded by
 * the application class loader and the extension by its parent: the package-private method is then not
 * overridden, Quarkus builds the document at start as before, and this class only hands it out.
 * rotation-service's {@code TwoInstancesIT} checks the packaged jar's document.
 */
@Vetoed // made by Producer: the container could not fill the superclass's field across class loaders
public class DeferredOpenApiDocuments extends OpenApiDocumentService {

    /** What start-up asked for, in order; empty once built. Guarded by {@code this}. */
    private final List<Runnable> pending = new ArrayList<>();
    private volatile boolean built;

    DeferredOpenApiDocuments(Config config) {
        try {
            // The superclass reads its package-private field; set reflectively as the container would.
            Field field = OpenApiDocumentService.class.getDeclaredField("config");
            field.setAccessible(true);
            field.set(this, config);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Quarkus' OpenApiDocumentService changed; remove DeferredOpenApiDocuments", e);
        }
    }

    @Override
    void prepareDocument(AutoSecurityFilter autoSecurityFilter, Map<OpenApiFilter.RunStage, List<String>> filtersByStage,
            String documentName) {
        ClassLoader startUpLoader = Thread.currentThread().getContextClassLoader();
        synchronized (this) {
            built = false;
            pending.add(() -> {
                Thread thread = Thread.currentThread();
                ClassLoader previous = thread.getContextClassLoader();
                thread.setContextClassLoader(startUpLoader);
                try {
                    super.prepareDocument(autoSecurityFilter, filtersByStage, documentName);
                } finally {
                    thread.setContextClassLoader(previous);
                }
            });
        }
    }

    @Override
    public byte[] getDocument(String documentName, Format format) {
        if (!built) {
            buildPending();
        }
        return super.getDocument(documentName, format);
    }

    private synchronized void buildPending() {
        for (Runnable prepare : pending) {
            prepare.run();
        }
        pending.clear();
        built = true;
    }

    /**
     * Puts {@link DeferredOpenApiDocuments} in place of the extension's own service (and keeps the
     * superclass's {@code config} field reachable by reflection in a native image).
     */
    @Singleton
    @RegisterForReflection(targets = OpenApiDocumentService.class, methods = false)
    static class Producer {

        /** Singleton, so callers get the instance itself: a client proxy would run package-private methods on itself. */
        @Produces
        @Singleton
        @Alternative
        @Priority(1)
        @Unremovable // looked up by the recorder and the handler, never injected
        OpenApiDocumentService documents(Config config) {
            return new DeferredOpenApiDocuments(config);
        }
    }
}
