package dev.keyline.rotation;

/**
 * The states of a rotation run. PLAN … RETIRE are steps, executed in order; DONE, ROLLED_BACK and
 * NEEDS_ATTENTION are terminal. ROLLING_BACK undoes what a run did before SWAP.
 */
public enum RunState {
    PLAN, GENERATE, REGISTER, VERIFY, SWAP, DRAIN, RETIRE, DONE, ROLLING_BACK, ROLLED_BACK, NEEDS_ATTENTION;

    public boolean terminal() {
        return this == DONE || this == ROLLED_BACK || this == NEEDS_ATTENTION;
    }

    /** Before (or at) SWAP a failure rolls back; after it, the run rolls forward. */
    public boolean beforeSwapCompleted() {
        return ordinal() <= SWAP.ordinal();
    }

    public boolean afterSwap() {
        return this == DRAIN || this == RETIRE;
    }
}
