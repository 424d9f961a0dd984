package dev.keyline.common.vault;

/**
 * Vault could not be used (down, sealed, timed out, token refused). Callers answer 503 and write
 * nothing: the message names the operation only, never the data.
 */
public class VaultUnavailableException extends RuntimeException {

    public VaultUnavailableException(String operation, Integer status) {
        super("Vault is unavailable for " + operation + (status == null ? "" : " (HTTP " + status + ")"));
    }
}
