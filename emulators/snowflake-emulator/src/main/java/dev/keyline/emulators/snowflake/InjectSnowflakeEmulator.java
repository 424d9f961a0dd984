package dev.keyline.emulators.snowflake;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link SnowflakeEmulator} field of a Quarkus test that {@link SnowflakeEmulatorResource}
 * fills with the running emulator.
 *
 * <p>Why: tests need the instance to seed users, inject faults and inspect key slots, and the
 * resource, not the test, owns its lifecycle.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectSnowflakeEmulator {}
