package dev.keyline.keys;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECParameterSpec;

/**
 * Checks that a private key belongs to a certificate.
 *
 * <p>Why compare public keys rather than sign and verify: it is exact, needs no signature
 * algorithm choice (PSS, ECDSA digests), and works for keys whose usage forbids signing.
 */
public final class KeyPairs {

  private KeyPairs() {}

  /** True when the key's (derived) public key is the certificate's public key: RSA modulus and exponent, or EC curve and point. */
  public static boolean matches(ParsedPrivateKey key, X509Certificate certificate) {
    return samePublicKey(key.publicKey(), certificate.getPublicKey());
  }

  /**
   * @throws KeyMaterialException KEY_CERTIFICATE_MISMATCH, naming both public key fingerprints
   *     (SPKI "SHA256:" form; fingerprints are public)
   */
  public static void requireMatch(ParsedPrivateKey key, X509Certificate certificate) {
    if (!matches(key, certificate)) {
      throw new KeyMaterialException(
          Reason.KEY_CERTIFICATE_MISMATCH,
          "The private key (public key fingerprint " + Fingerprints.spkiSha256(key.publicKey())
              + ") does not belong to the certificate (public key fingerprint "
              + Fingerprints.spkiSha256(certificate.getPublicKey()) + ").");
    }
  }

  static boolean samePublicKey(PublicKey a, PublicKey b) {
    if (a instanceof RSAPublicKey ra && b instanceof RSAPublicKey rb) {
      return ra.getModulus().equals(rb.getModulus()) && ra.getPublicExponent().equals(rb.getPublicExponent());
    }
    if (a instanceof ECPublicKey ea && b instanceof ECPublicKey eb) {
      return ea.getW().equals(eb.getW()) && sameCurve(ea.getParams(), eb.getParams());
    }
    return false;
  }

  private static boolean sameCurve(ECParameterSpec a, ECParameterSpec b) {
    return a.getCurve().equals(b.getCurve())
        && a.getGenerator().equals(b.getGenerator())
        && a.getOrder().equals(b.getOrder());
  }
}
