package dev.keyline.emulators.vault;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a {@link VaultEmulator} field of a Quarkus test that {@link VaultEmulatorResource} fills
 * with the running emulator.
 *
 * <p>Why: tests need the instance to inject faults and inspect stored secrets, and the resource,
 * not the test, owns its lifecycle.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface InjectVaultEmulator {}
