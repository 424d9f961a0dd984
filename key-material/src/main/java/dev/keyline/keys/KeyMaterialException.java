package dev.keyline.keys;

import java.util.Objects;

/**
 * Thrown for any unusable key material.
 *
 * <p>{@link #getMessage()} is safe to show users: it names what is wrong and never contains any of
 * the material, a passphrase, or base64 of either. The same holds for every cause in the chain:
 * exceptions from parsers (whose messages are outside our control) are never chained as they are;
 * the library chains a {@link ScrubbedCause} instead, which keeps only their type and stack trace.
 */
public class KeyMaterialException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What is wrong, for callers that map errors to API responses or user hints. */
  public enum Reason {
    /** Nothing that looks like PEM or base64 DER was given. */
    NOT_PEM,
    /** PEM or DER was found but cannot be decoded as the expected structure. */
    MALFORMED,
    /** The key is encrypted and the passphrase given does not decrypt it. */
    WRONG_PASSPHRASE,
    /** The key is encrypted and no passphrase was given. */
    PASSPHRASE_REQUIRED,
    /** A passphrase was given but the key is not encrypted (a blank one counts as none). */
    KEY_NOT_ENCRYPTED,
    /** The private key does not belong to the certificate's public key. */
    KEY_CERTIFICATE_MISMATCH,
    /** A key algorithm (or curve, or encryption scheme) we do not accept. */
    UNSUPPORTED_ALGORITHM,
    /** The key is shorter than the minimum we accept. */
    KEY_TOO_SMALL,
    /** More than one private key was given where exactly one is expected. */
    MULTIPLE_KEYS,
    /** A PKCS#12 (.p12/.pfx) file was given; only PEM is accepted. */
    PKCS12_NOT_SUPPORTED,
    /** Certificates were expected but none was found. */
    NO_CERTIFICATE,
    /** A private key was expected but none was found (for example only a certificate). */
    NO_KEY,
    /** The key's encryption asks for more key-derivation work (iterations, scrypt cost) than {@link KdfLimits} allow. */
    KDF_TOO_COSTLY,
    /** A key (or a certificate's public key) is larger than any implementation accepts (RSA above 16384 bits). */
    KEY_TOO_LARGE
  }

  private final Reason reason;

  public KeyMaterialException(Reason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /**
   * @param cause must not carry material in its message (nor its causes); library code passes a
   *     {@link ScrubbedCause} for foreign exceptions
   */
  public KeyMaterialException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public Reason reason() {
    return reason;
  }
}
