package dev.keyline.keys;

import java.util.Base64;
import java.util.Map;

/**
 * One {@code -----BEGIN label----- ... -----END label-----} block, already cleaned up: upper-case
 * label, RFC 1421 headers (only used by legacy OpenSSL encryption: {@code Proc-Type}, {@code
 * DEK-Info}), and the base64 body without whitespace.
 */
record PemBlock(String label, Map<String, String> headers, String base64) {

  PemBlock {
    headers = Map.copyOf(headers);
  }

  /** True for the legacy OpenSSL form with a {@code Proc-Type: 4,ENCRYPTED} header. */
  boolean isLegacyEncrypted() {
    String procType = headers.get("Proc-Type");
    return procType != null && procType.toUpperCase(java.util.Locale.ROOT).contains("ENCRYPTED");
  }

  /** The decoded body; {@code MALFORMED} (without quoting the body) when it is not base64. */
  byte[] der() {
    try {
      return Base64.getDecoder().decode(PemBlocks.padded(base64));
    } catch (IllegalArgumentException e) {
      throw new KeyMaterialException(
          KeyMaterialException.Reason.MALFORMED,
          "The " + label + " block is not valid base64 (it may be truncated or damaged).",
          ScrubbedCause.of(e));
    }
  }
}
