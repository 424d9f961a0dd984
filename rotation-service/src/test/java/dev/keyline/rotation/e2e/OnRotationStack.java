package dev.keyline.rotation.e2e;

import org.junit.jupiter.api.BeforeEach;

/**
 * The set-up of the tests that run rotations on {@link RotationStack} (the real connection-service, the
 * Vault and Snowflake emulators, PostgreSQL), once: the stack's handles, which the test resource injects
 * into this class's field (Quarkus' injector walks superclasses), and before each test a new {@link E2e}
 * (the leak guard, the emulators' faults cleared, connection-service running again, the key-admin
 * connection). Subclasses are {@code @QuarkusTest}s with {@code @QuarkusTestResource(RotationStack.class)};
 * their own {@code @BeforeEach} methods run after this one.
 */
abstract class OnRotationStack {

    RotationStack.Handles stack;

    E2e e2e;

    @BeforeEach
    void newE2e() {
        e2e = new E2e(stack);
    }
}
