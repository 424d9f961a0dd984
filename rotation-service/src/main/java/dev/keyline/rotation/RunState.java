package dev.keyline.rotation;

/**
 * The states of a rotation run. PLAN … RETIRE are steps, executed in order; DONE, ROLLED_BACK,
 * NEEDS_ATTENTION and CLOSED are terminal. ROLLING_BACK undoes what a run did before SWAP. A
 * NEEDS_ATTENTION run waits for an operator: retried, it goes back to the step it stopped in; closed,
 * it ends CLOSED (nothing touched).
 */
public enum RunState {
    PLAN, GENERATE, REGISTER, VERIFY, SWAP, DRAIN, RETIRE, DONE, ROLLING_BACK, ROLLED_BACK, NEEDS_ATTENTION, CLOSED;

    public boolean terminal() {
        return this == DONE || this == ROLLED_BACK || this == NEEDS_ATTENTION || this == CLOSED;
    }

    /** Before (or at) SWAP a failure rolls back; after it, the run rolls forward. */
    public boolean beforeSwapCompleted() {
        return ordinal() <= SWAP.ordinal();
    }

    public boolean afterSwap() {
        return this == DRAIN || this == RETIRE;
    }
}
