package dev.keyline.common.vault;

/** Check-and-set did not match: someone else wrote the secret in between. */
public class VaultVersionConflictException extends RuntimeException {

    public VaultVersionConflictException() {
        super("Vault check-and-set version did not match");
    }
}
