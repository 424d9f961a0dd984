package dev.keyline.emulators.postgres;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an {@link EmbeddedPostgres} field of a Quarkus test that {@link PostgresResource} fills
 * with the running cluster; it stays {@code null} when an external database is configured.
 *
 * <p>Why: tests that need a second database call {@link EmbeddedPostgres#createDatabase(String)}
 * on the cluster the resource owns.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectEmbeddedPostgres {}
