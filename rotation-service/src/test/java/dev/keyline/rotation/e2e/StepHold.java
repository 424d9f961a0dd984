package dev.keyline.rotation.e2e;

import java.time.Duration;
import java.util.Arrays;

import dev.keyline.emulators.snowflake.RequestHold;
import dev.keyline.emulators.snowflake.SnowflakeEmulator;
import io.restassured.path.json.JsonPath;

/**
 * Stops a rotation run inside a given step, deterministically: the emulator holds the run's
 * Snowflake requests that match the fragments one by one; while a request is held its run cannot
 * move on, so the run's persisted state is the step that sent it. Requests of other steps are let
 * through until the held one belongs to the wanted step.
 *
 * <p>{@link #arm} must be called before the run starts, so that its first request is caught too.
 */
final class StepHold {

    private final SnowflakeEmulator snowflake;
    private final String[] fragments;
    private RequestHold current;

    private StepHold(SnowflakeEmulator snowflake, String[] fragments) {
        this.snowflake = snowflake;
        this.fragments = fragments;
        this.current = snowflake.holdNext(fragments);
    }

    static StepHold arm(SnowflakeEmulator snowflake, String... fragments) {
        return new StepHold(snowflake, fragments);
    }

    /** Returns once a matching request of the run is held while the run is in {@code step}. */
    RequestHold at(E2e e2e, String runId, String step, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            if (!current.awaitHeld(Duration.ofMillis(Math.min(left, 500)))) {
                JsonPath run = e2e.run(runId);
                if (run.getString("finishedAt") != null) {
                    throw new AssertionError("run " + runId + " ended before a request matching "
                            + Arrays.toString(fragments) + " was held in " + step + ": " + run.prettify());
                }
                continue;
            }
            if (e2e.run(runId).getString("state").equals(step)) {
                return current;
            }
            // Another step's request: arm the next hold before letting this one go, so none slips by.
            RequestHold next = snowflake.holdNext(fragments);
            current.release();
            current = next;
        }
        current.release();
        throw new AssertionError("no request matching " + Arrays.toString(fragments) + " was held in " + step
                + " within " + timeout + ": " + e2e.run(runId).prettify());
    }
}
