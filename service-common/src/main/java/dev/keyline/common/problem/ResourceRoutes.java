package dev.keyline.common.problem;

import java.util.List;

import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.Path;

import dev.keyline.common.http.AllowedMethods;
import io.quarkus.arc.Arc;

/**
 * The running service's routes, read from its resource beans on the first 405 (not at start: a
 * wrong method is rare, and the start-up is measured, bench/README.md). Quarkus REST makes every
 * {@code @Path} class a bean, so the container lists them all, service-common's own included. In a
 * native image a class whose methods are not registered for reflection shows none: its paths then
 * answer 405 without Allow, never an error.
 */
final class ResourceRoutes {

    private static volatile AllowedMethods routes;

    private ResourceRoutes() {
    }

    static AllowedMethods allowed() {
        AllowedMethods r = routes;
        if (r == null) {
            List<Class<?>> resources = Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)
                    .stream().<Class<?>>map(Bean::getBeanClass).filter(c -> c.isAnnotationPresent(Path.class))
                    .distinct().toList();
            r = AllowedMethods.of(resources);
            routes = r;
        }
        return r;
    }
}
