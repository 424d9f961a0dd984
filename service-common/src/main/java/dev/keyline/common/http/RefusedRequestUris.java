package dev.keyline.common.http;

import java.util.Set;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.config.MeterFilter;

/**
 * One {@code uri} label, {@code REFUSED}, for requests refused before any route matched them: 414 and 431
 * (http-limits' {@code RequestHeadLimit}, or Vert.x past its backstop), 413, 401
 * and 408 (http-limits' {@code RequestBodyDeadline}: a body without a valid token, or not in full in time;
 * a 401 of a resource is labelled the same, which costs nothing worth knowing) and
 * 405 (a method the path does not have: RESTEasy answers it before a route, and so its template, is chosen;
 * no token needed). A 404 of a path no route has is already labelled {@code NOT_FOUND} by Quarkus.
 * Without it the label is the raw path the client chose, up to the request line limit: one new series of
 * up to 4 KiB per refused request, until Quarkus' cap on uri labels (100) also drops the series of real
 * routes first seen after them.
 */
@Singleton
public class RefusedRequestUris {

    public static final String LABEL = "REFUSED";

    private static final Set<String> REFUSED = Set.of("401", "405", "408", "413", "414", "431");

    @Produces
    @Singleton
    MeterFilter refusedRequestUris() {
        return new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().equals("http.server.requests") && REFUSED.contains(id.getTag("status"))
                        && id.getTag("uri") != null) {
                    return id.replaceTags(Tags.of(id.getTagsAsIterable()).and("uri", LABEL));
                }
                return id;
            }
        };
    }
}
