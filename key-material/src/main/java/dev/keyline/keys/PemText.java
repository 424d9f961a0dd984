package dev.keyline.keys;

import java.nio.charset.StandardCharsets;

/**
 * Normalisation of pasted PEM text.
 *
 * <p>Why: what users paste has passed through browsers, JSON, YAML, shells and Windows clipboards.
 * Storing and comparing the canonical form keeps the services agnostic of that history.
 */
public final class PemText {

  private PemText() {}

  /**
   * Normalises what users paste: real newlines, literal {@code "\n"} escapes (also JSON
   * double-escaped {@code "\\n"}, and {@code "\/"}), {@code "\r\n"}, {@code "\r"}, surrounding
   * quotes and whitespace, a missing trailing newline, body lines of any width (re-wrapped at 64),
   * newlines flattened to spaces, and a bare base64 body with no BEGIN/END lines. A bare body is
   * wrapped in the label of the structure it holds when that is recognisable (a bare PKCS#1 key
   * becomes "RSA PRIVATE KEY"), otherwise in {@code defaultLabel} (e.g. "PRIVATE KEY",
   * "CERTIFICATE", "PUBLIC KEY"). Text outside BEGIN/END blocks (e.g. openssl's "Bag Attributes")
   * is dropped.
   *
   * @return canonical PEM text with '\n' line ends and a trailing newline
   * @throws KeyMaterialException NOT_PEM when there is nothing PEM- or base64-DER-like, MALFORMED
   *     for broken BEGIN/END structure or non-base64 bodies, PKCS12_NOT_SUPPORTED for PKCS#12
   */
  public static String normalize(String raw, String defaultLabel) {
    return PemBlocks.write(PemBlocks.read(raw, defaultLabel));
  }

  /**
   * True when {@code text} is a PKCS#12 (.p12/.pfx) blob, as base64 (any whitespace) or as the raw
   * bytes read into a string as ISO-8859-1; so callers can say "PKCS#12 is not supported, export
   * PEM" instead of "malformed".
   */
  public static boolean isPkcs12(String text) {
    if (text == null || text.isBlank()) {
      return false;
    }
    String stripped = text.strip();
    if (stripped.charAt(0) == '0' && stripped.chars().allMatch(c -> c <= 0xFF)) {
      if (DerKind.of(PemBlocks.latin1(text)) == DerKind.PKCS12) {
        return true;
      }
    }
    return DerKind.of(PemBlocks.decodeQuietly(stripped)) == DerKind.PKCS12;
  }

  /** True when {@code bytes} are a PKCS#12 blob, as DER or as base64 text of it. */
  public static boolean isPkcs12(byte[] bytes) {
    if (bytes == null || bytes.length == 0) {
      return false;
    }
    return DerKind.of(bytes) == DerKind.PKCS12
        || DerKind.of(PemBlocks.decodeQuietly(new String(bytes, StandardCharsets.ISO_8859_1)))
            == DerKind.PKCS12;
  }
}
