package dev.keyline.rotation.service.steps;

import java.time.Instant;

import dev.keyline.rotation.RunState;

/** What a step decided. */
public sealed interface StepResult {

    /** Done: continue with {@code state}. */
    record Next(RunState state, String note) implements StepResult {
    }

    /** Nothing to do before {@code until} (DRAIN): the scheduler picks the run up again then. */
    record WaitUntil(Instant until) implements StepResult {
    }

    /** Failed, but the same step may succeed later (backoff). */
    record Retry(String problemType, String detail) implements StepResult {
    }

    /** Failed for good: before SWAP the run rolls back, after it the run rolls forward (retries). */
    record Fail(String problemType, String detail) implements StepResult {
    }

    /** A human must look: the run stops in NEEDS_ATTENTION, touching nothing more. */
    record Attention(String problemType, String detail) implements StepResult {
    }

    static StepResult next(RunState state) {
        return new Next(state, null);
    }

    static StepResult next(RunState state, String note) {
        return new Next(state, note);
    }

    static StepResult fail(String slug, String detail) {
        return new Fail(type(slug), detail);
    }

    static StepResult attention(String slug, String detail) {
        return new Attention(type(slug), detail);
    }

    static String type(String slug) {
        return "urn:keyline:problem:" + slug;
    }
}
