package dev.keyline.keys;

import java.math.BigInteger;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * Everything public about a certificate, for API responses.
 *
 * @param subject RFC 2253 form, as {@code openssl x509 -subject -nameopt RFC2253} prints it
 * @param issuer RFC 2253 form
 * @param serialNumberHex upper-case hex, even number of digits, as {@code openssl x509 -serial} prints it
 * @param sha256Fingerprint as {@link Fingerprints#certificateSha256}
 * @param publicKeyAlgorithm the JDK name: "RSA", "EC", ...
 * @param publicKeySizeBits RSA modulus bits or EC field bits; 0 when not applicable
 */
public record CertificateSummary(
    String subject,
    String issuer,
    String serialNumberHex,
    Instant notBefore,
    Instant notAfter,
    String sha256Fingerprint,
    String publicKeyAlgorithm,
    int publicKeySizeBits) {

  public static CertificateSummary of(X509Certificate c) {
    PublicKey publicKey = c.getPublicKey();
    return new CertificateSummary(
        c.getSubjectX500Principal().getName(X500Principal.RFC2253),
        c.getIssuerX500Principal().getName(X500Principal.RFC2253),
        serialHex(c.getSerialNumber()),
        c.getNotBefore().toInstant(),
        c.getNotAfter().toInstant(),
        Fingerprints.certificateSha256(c),
        publicKey.getAlgorithm(),
        KeySizes.bits(publicKey));
  }

  private static String serialHex(BigInteger serial) {
    String hex = serial.abs().toString(16).toUpperCase(Locale.ROOT);
    if (hex.length() % 2 == 1) {
      hex = "0" + hex;
    }
    return serial.signum() < 0 ? "-" + hex : hex;
  }
}
