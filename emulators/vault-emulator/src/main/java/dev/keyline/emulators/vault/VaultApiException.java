package dev.keyline.emulators.vault;

/**
 * Ends request handling early with the error answer Vault would give.
 *
 * <p>Why an exception: field decoding and validation sit several calls deep; throwing keeps every
 * handler free of status plumbing while still answering exactly like Vault.
 */
final class VaultApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient VaultResponse response;

  VaultApiException(VaultResponse response) {
    super(null, null, false, false);
    this.response = response;
  }

  /** A 400 {@code {"errors":[message]}}, Vault's answer to an invalid request. */
  static VaultApiException badRequest(String message) {
    return new VaultApiException(VaultResponse.errors(400, message));
  }

  VaultResponse response() {
    return response;
  }
}
