package dev.keyline.keys;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Set;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Turns a PKCS#8 PrivateKeyInfo into JDK key objects, derives the public key and applies our
 * acceptance rules (RSA of at least 2048 bits, EC on P-256/P-384/P-521).
 *
 * <p>Why JDK key objects: consumers (the Snowflake JDBC driver, TLS) require the JDK's classes, in
 * particular {@link RSAPrivateCrtKey}; BouncyCastle's key classes would not satisfy them.
 */
final class JdkPrivateKeys {

  static final int MIN_RSA_BITS = 2048;
  /** The JDK's own RSA ceiling; larger moduli would only fail later, with a vaguer message. */
  static final int MAX_RSA_BITS = 16384;

  /** Named curves the JDK's SunEC provider implements (JDK 16+ dropped the others). */
  private static final Set<ASN1ObjectIdentifier> JDK_CURVES = Set.of(
      new ASN1ObjectIdentifier("1.2.840.10045.3.1.7"), // P-256 / secp256r1 / prime256v1
      new ASN1ObjectIdentifier("1.3.132.0.34"), // P-384 / secp384r1
      new ASN1ObjectIdentifier("1.3.132.0.35")); // P-521 / secp521r1

  private JdkPrivateKeys() {}

  static ParsedPrivateKey toParsed(PrivateKeyInfo info, boolean wasEncrypted) {
    ASN1ObjectIdentifier algorithm = info.getPrivateKeyAlgorithm().getAlgorithm();
    if (algorithm.equals(PKCSObjectIdentifiers.rsaEncryption)) {
      return rsa(info, wasEncrypted);
    }
    if (algorithm.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
      return ec(info, wasEncrypted);
    }
    throw new KeyMaterialException(
        Reason.UNSUPPORTED_ALGORITHM,
        "The private key is a " + KeyAlgorithmNames.keyAlgorithm(algorithm) + " key; keyline takes RSA keys (and EC keys for client certificates).");
  }

  private static ParsedPrivateKey rsa(PrivateKeyInfo info, boolean wasEncrypted) {
    requireRsaWithinLimit(info, wasEncrypted);
    PrivateKey key = generatePrivate("RSA", info, wasEncrypted);
    if (!(key instanceof RSAPrivateCrtKey crt) || crt.getPublicExponent() == null || crt.getPublicExponent().signum() <= 0) {
      throw new KeyMaterialException(
          Reason.MALFORMED, "The RSA private key lacks its CRT parameters, so its public key cannot be derived.");
    }
    int bits = crt.getModulus().bitLength();
    if (bits < MIN_RSA_BITS) {
      throw new KeyMaterialException(
          Reason.KEY_TOO_SMALL,
          "The RSA key is " + bits + " bits; the minimum is " + MIN_RSA_BITS + " bits.");
    }
    BigInteger p = crt.getPrimeP();
    BigInteger q = crt.getPrimeQ();
    if (p == null || q == null || !p.multiply(q).equals(crt.getModulus())) {
      throw damaged(wasEncrypted, "The RSA private key's parameters are inconsistent; the key is damaged.", null);
    }
    try {
      PublicKey publicKey =
          KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
      return new ParsedPrivateKey(crt, publicKey, "RSA", bits, wasEncrypted);
    } catch (GeneralSecurityException e) {
      throw damaged(wasEncrypted, "The RSA public key cannot be derived from the private key.", e);
    }
  }

  /** Checked on the ASN.1 modulus, before the JDK builds a key object or any arithmetic runs. */
  private static void requireRsaWithinLimit(PrivateKeyInfo info, boolean wasEncrypted) {
    int bits;
    try {
      bits = org.bouncycastle.asn1.pkcs.RSAPrivateKey.getInstance(info.parsePrivateKey()).getModulus().bitLength();
    } catch (IOException | RuntimeException e) {
      throw damaged(wasEncrypted, "The RSA private key cannot be decoded.", e);
    }
    requireRsaWithinLimit(bits);
  }

  static void requireRsaWithinLimit(int bits) {
    if (bits > MAX_RSA_BITS) {
      throw new KeyMaterialException(
          Reason.KEY_TOO_LARGE, "The RSA key is " + bits + " bits; the maximum is " + MAX_RSA_BITS + " bits.");
    }
  }

  private static ParsedPrivateKey ec(PrivateKeyInfo info, boolean wasEncrypted) {
    ASN1Encodable parameters = info.getPrivateKeyAlgorithm().getParameters();
    if (!(parameters instanceof ASN1ObjectIdentifier curve)) {
      throw new KeyMaterialException(
          Reason.UNSUPPORTED_ALGORITHM,
          "The EC key uses explicit curve parameters; only named curves (P-256, P-384, P-521) are supported.");
    }
    X9ECParameters x9 = ECNamedCurveTable.getByOID(curve);
    if (x9 == null || !JDK_CURVES.contains(curve)) {
      throw new KeyMaterialException(
          Reason.UNSUPPORTED_ALGORITHM,
          "The EC key uses curve " + KeyAlgorithmNames.curve(curve) + "; supported curves are P-256, P-384 and P-521.");
    }
    PrivateKey key = generatePrivate("EC", info, wasEncrypted);
    BigInteger d = ((ECPrivateKey) key).getS();
    if (d.signum() <= 0 || d.compareTo(x9.getN()) >= 0) {
      throw damaged(wasEncrypted, "The EC private key is out of range for its curve; the key is damaged.", null);
    }
    ECPoint q = new FixedPointCombMultiplier().multiply(x9.getG(), d).normalize();
    if (!embeddedPublicKeyMatches(info, x9, q)) {
      throw damaged(wasEncrypted, "The EC private key's embedded public key does not match it; the key is damaged.", null);
    }
    try {
      SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
          new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, curve), q.getEncoded(false));
      PublicKey publicKey = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(spki.getEncoded()));
      return new ParsedPrivateKey(key, publicKey, "EC", x9.getCurve().getFieldSize(), wasEncrypted);
    } catch (GeneralSecurityException | IOException e) {
      throw damaged(wasEncrypted, "The EC public key cannot be derived from the private key.", e);
    }
  }

  /** SEC1 keys (also inside PKCS#8) usually carry their public point; a different one means corruption. */
  private static boolean embeddedPublicKeyMatches(PrivateKeyInfo info, X9ECParameters x9, ECPoint derived) {
    try {
      ASN1BitString embedded = org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey()).getPublicKey();
      return embedded == null || x9.getCurve().decodePoint(embedded.getOctets()).equals(derived);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  private static PrivateKey generatePrivate(String algorithm, PrivateKeyInfo info, boolean wasEncrypted) {
    try {
      return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      throw damaged(wasEncrypted, "The " + algorithm + " private key cannot be decoded.", e);
    }
  }

  /** A garbled key after decryption most likely means a wrong passphrase whose padding happened to check out. */
  private static KeyMaterialException damaged(boolean wasEncrypted, String message, Throwable cause) {
    return wasEncrypted
        ? KeyDecryption.wrongPassphrase(cause)
        : new KeyMaterialException(Reason.MALFORMED, message, ScrubbedCause.of(cause));
  }
}
