package dev.keyline.common.audit;

/** How an audited operation ended. */
public enum Outcome {
    SUCCESS,
    DENIED,
    FAILED
}
