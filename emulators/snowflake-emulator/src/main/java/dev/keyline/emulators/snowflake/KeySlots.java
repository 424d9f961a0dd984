package dev.keyline.emulators.snowflake;

import java.time.Instant;

/**
 * What a user's two key slots hold, as {@code DESC USER} reports it. Absent values are {@code
 * null}.
 *
 * @param rsaPublicKeyFp {@code SHA256:<base64>} of RSA_PUBLIC_KEY
 * @param rsaPublicKey one-line base64 of the SPKI DER in RSA_PUBLIC_KEY
 * @param rsaPublicKey2Fp {@code SHA256:<base64>} of RSA_PUBLIC_KEY_2
 */
public record KeySlots(
    String rsaPublicKeyFp,
    String rsaPublicKey,
    Instant rsaPublicKeyLastSetTime,
    String rsaPublicKey2Fp,
    String rsaPublicKey2,
    Instant rsaPublicKey2LastSetTime) {

  /** The fingerprint in slot 1 or 2, or {@code null}. */
  public String fingerprint(int slot) {
    return switch (slot) {
      case 1 -> rsaPublicKeyFp;
      case 2 -> rsaPublicKey2Fp;
      default -> throw new IllegalArgumentException("slot must be 1 or 2, not " + slot);
    };
  }

  /** The slot (1 or 2) holding this fingerprint, or 0. */
  public int slotOf(String fingerprint) {
    if (fingerprint == null) {
      return 0;
    }
    if (fingerprint.equals(rsaPublicKeyFp)) {
      return 1;
    }
    return fingerprint.equals(rsaPublicKey2Fp) ? 2 : 0;
  }
}
