package dev.keyline.common.vault;

/**
 * Vault could not be used (down, sealed, timed out, token refused). Callers answer 503 and write
 * nothing: the message names the operation and why (a status, a timeout, an exception class), never
 * the data, so readiness can tell an operator a refused token from a Vault that is not there.
 */
public class VaultUnavailableException extends RuntimeException {

    public VaultUnavailableException(String operation, Integer status) {
        this(operation, status == null ? null : "HTTP " + status + (status == 403 ? " (token refused)"
                : status == 503 ? " (sealed or standby)" : ""));
    }

    /** @param reason what went wrong, without data ("timed out after 2000 ms", "ConnectException"); null if unknown */
    public VaultUnavailableException(String operation, String reason) {
        super("Vault is unavailable for " + operation + (reason == null ? "" : ": " + reason));
    }
}
