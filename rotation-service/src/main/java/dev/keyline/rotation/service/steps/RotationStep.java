package dev.keyline.rotation.service.steps;

import dev.keyline.rotation.RotationRun;

/**
 * One step of the state machine. A step first reads the real state (key slots, stored key, Vault),
 * so running it again after a crash is harmless. It may change fields of {@code run}; the engine
 * persists them with the result. Exceptions count as transient failures.
 */
public interface RotationStep {

    StepResult run(RotationRun run);
}
