package dev.keyline.keys;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Fingerprints in the exact forms other tools print them, so users can compare them by eye.
 * Fingerprints are public and safe to show.
 */
public final class Fingerprints {

  private Fingerprints() {}

  /**
   * Snowflake's form ({@code RSA_PUBLIC_KEY_FP} in {@code DESC USER}): "SHA256:" + standard base64
   * (with padding) of SHA-256 over the DER SubjectPublicKeyInfo. Identical to {@code openssl pkey
   * -pubin -outform DER | openssl dgst -sha256 -binary | openssl enc -base64}.
   */
  public static String spkiSha256(PublicKey key) {
    return "SHA256:" + Base64.getEncoder().encodeToString(sha256(key.getEncoded()));
  }

  /**
   * As {@code openssl x509 -noout -fingerprint -sha256} prints it (after the '='): upper-case hex
   * pairs joined by ':' over SHA-256 of the DER certificate.
   */
  public static String certificateSha256(X509Certificate certificate) {
    return HexFormat.ofDelimiter(":").withUpperCase().formatHex(sha256(Certificates.encoded(certificate)));
  }

  static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JDK", e);
    }
  }
}
