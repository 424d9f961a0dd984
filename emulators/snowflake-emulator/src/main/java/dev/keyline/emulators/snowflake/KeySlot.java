package dev.keyline.emulators.snowflake;

import dev.keyline.keys.Fingerprints;
import dev.keyline.keys.KeyMaterialException;
import dev.keyline.keys.PublicKeys;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;

/**
 * A public key stored in one of a user's two slots, with its Snowflake fingerprint.
 *
 * @param base64 one-line base64 of the SPKI DER, what DESC USER shows
 * @param fingerprint {@code SHA256:<base64>}, as in RSA_PUBLIC_KEY_FP
 */
record KeySlot(PublicKey key, String base64, String fingerprint, Instant setAt) {

  static final int MIN_RSA_BITS = 2048;

  /**
   * Parses a key the way Snowflake accepts it: base64 of the SPKI DER, with or without PEM
   * delimiters and line breaks. Only RSA keys of at least 2048 bits.
   *
   * @throws IllegalArgumentException with a reason safe to show
   */
  static KeySlot parse(String pemOrBase64, Instant setAt) {
    PublicKey key;
    try {
      key = PublicKeys.parse(pemOrBase64);
    } catch (KeyMaterialException e) {
      throw new IllegalArgumentException(e.getMessage());
    }
    return of(key, setAt);
  }

  static KeySlot of(PublicKey key, Instant setAt) {
    if (!(key instanceof RSAPublicKey rsa)) {
      throw new IllegalArgumentException(
          "The public key is " + key.getAlgorithm() + "; only RSA keys are accepted.");
    }
    if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
      throw new IllegalArgumentException(
          "The RSA key has "
              + rsa.getModulus().bitLength()
              + " bits; at least "
              + MIN_RSA_BITS
              + " are required.");
    }
    return new KeySlot(key, PublicKeys.toBase64Der(key), Fingerprints.spkiSha256(key), setAt);
  }
}
