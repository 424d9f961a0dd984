package dev.keyline.rotation.service.steps;

import java.time.Instant;

import dev.keyline.rotation.RotationRun;
import dev.keyline.rotation.RunState;

/** DRAIN: the old key stays registered until drainUntil; no thread sleeps meanwhile. */
public class DrainStep implements RotationStep {

    private final StepContext ctx;

    public DrainStep(StepContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public StepResult run(RotationRun run) {
        Instant now = ctx.clock().instant();
        if (run.drainUntil != null && now.isBefore(run.drainUntil)) {
            return new StepResult.WaitUntil(run.drainUntil);
        }
        return StepResult.next(RunState.RETIRE);
    }
}
