package dev.keyline.keys;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBEParameter;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * Reads the key-derivation parameters of an encrypted PKCS#8 key and refuses those above {@link
 * KdfLimits}, before any derivation runs.
 *
 * <p>Why its own reading: BouncyCastle's decryptor derives first and has no ceiling; the
 * parameters are a few ASN.1 integers we can check in microseconds.
 */
final class KdfCost {

  /** id-scrypt (RFC 7914), as {@code openssl pkcs8 -topk8 -scrypt} writes it. */
  static final ASN1ObjectIdentifier SCRYPT = new ASN1ObjectIdentifier("1.3.6.1.4.1.11591.4.11");

  /** PBES1 schemes of PKCS#5 (1.2.840.113549.1.5.x); PBES2 and PBMAC1 live on the same arc. */
  private static final ASN1ObjectIdentifier PKCS5 = new ASN1ObjectIdentifier("1.2.840.113549.1.5");
  /** PKCS#12 password-based encryption schemes (1.2.840.113549.1.12.1.x). */
  private static final ASN1ObjectIdentifier PKCS12_PBE = new ASN1ObjectIdentifier("1.2.840.113549.1.12.1");

  /**
   * scrypt's r·p: the 128-byte blocks its PBKDF2 expansion writes (B) and reads back. N·r·p alone
   * misses that work: N=2 with r·p=2^19 passes it and took 2.4-3.2 s of CPU per upload (measured
   * against the services), five times a key at the N·r·p ceiling. Keys as tools write them have
   * r·p of 8 (OpenSSL's default r=8, p=1) up to a few dozen.
   */
  static final long MAX_SCRYPT_BLOCKS = 1024;

  private KdfCost() {}

  /**
   * @throws KeyMaterialException KDF_TOO_COSTLY above the limits, UNSUPPORTED_ALGORITHM for a key
   *     derivation function we cannot bound, MALFORMED for unreadable parameters
   */
  static void check(AlgorithmIdentifier encryption, KdfLimits limits) {
    ASN1ObjectIdentifier scheme = encryption.getAlgorithm();
    try {
      if (scheme.equals(PKCSObjectIdentifiers.id_PBES2)) {
        checkPbes2(PBES2Parameters.getInstance(encryption.getParameters()), limits);
      } else if (scheme.on(PKCS5)) {
        checkIterations(PBEParameter.getInstance(encryption.getParameters()).getIterationCount(), limits);
      } else if (scheme.on(PKCS12_PBE)) {
        checkIterations(PKCS12PBEParams.getInstance(encryption.getParameters()).getIterations(), limits);
      } else {
        throw unsupported(scheme);
      }
    } catch (KeyMaterialException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new KeyMaterialException(
          Reason.MALFORMED, "The private key's encryption parameters cannot be read.", ScrubbedCause.of(e));
    }
  }

  private static void checkPbes2(PBES2Parameters parameters, KdfLimits limits) {
    KeyDerivationFunc kdf = parameters.getKeyDerivationFunc();
    ASN1ObjectIdentifier algorithm = kdf.getAlgorithm();
    if (algorithm.equals(PKCSObjectIdentifiers.id_PBKDF2)) {
      checkIterations(PBKDF2Params.getInstance(kdf.getParameters()).getIterationCount(), limits);
    } else if (algorithm.equals(SCRYPT)) {
      checkScrypt(ASN1Sequence.getInstance(kdf.getParameters()), limits);
    } else {
      throw unsupported(algorithm);
    }
  }

  private static void checkIterations(BigInteger iterations, KdfLimits limits) {
    if (iterations.signum() <= 0) {
      throw new KeyMaterialException(Reason.MALFORMED, "The private key's encryption declares no iterations.");
    }
    if (iterations.compareTo(BigInteger.valueOf(limits.maxIterations())) > 0) {
      throw new KeyMaterialException(
          Reason.KDF_TOO_COSTLY,
          "The private key's encryption asks for " + iterations + " key-derivation iterations; at most "
              + limits.maxIterations() + " are accepted. Re-encrypt it with"
              + " `openssl pkcs8 -topk8 -v2 aes-256-cbc -iter 100000`.");
    }
  }

  /** ScryptParams ::= SEQUENCE { salt OCTET STRING, N INTEGER, r INTEGER, p INTEGER, keyLength INTEGER OPTIONAL }. */
  private static void checkScrypt(ASN1Sequence parameters, KdfLimits limits) {
    BigInteger n = integerAt(parameters, 1);
    BigInteger r = integerAt(parameters, 2);
    BigInteger p = integerAt(parameters, 3);
    if (n.signum() <= 0 || r.signum() <= 0 || p.signum() <= 0) {
      throw new KeyMaterialException(Reason.MALFORMED, "The private key's scrypt parameters are not positive.");
    }
    BigInteger cost = n.multiply(r).multiply(p);
    // Both of scrypt's buffers: V (128·r·N bytes, per pass) and B (128·r·p bytes, all passes at once).
    BigInteger memory = BigInteger.valueOf(128).multiply(r).multiply(n.add(p));
    if (cost.compareTo(BigInteger.valueOf(limits.maxScryptCost())) > 0
        || memory.compareTo(BigInteger.valueOf(limits.maxScryptMemoryBytes())) > 0
        || r.multiply(p).compareTo(BigInteger.valueOf(MAX_SCRYPT_BLOCKS)) > 0) {
      throw new KeyMaterialException(
          Reason.KDF_TOO_COSTLY,
          "The private key's scrypt parameters (N=" + n + ", r=" + r + ", p=" + p + ") ask for more than the accepted"
              + " N·r·p of " + limits.maxScryptCost() + ", r·p of " + MAX_SCRYPT_BLOCKS + " or "
              + (limits.maxScryptMemoryBytes() >> 20) + " MiB of memory."
              + " Re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`.");
    }
  }

  private static BigInteger integerAt(ASN1Sequence sequence, int index) {
    ASN1Encodable element = sequence.getObjectAt(index);
    return ASN1Integer.getInstance(element).getValue();
  }

  private static KeyMaterialException unsupported(ASN1ObjectIdentifier oid) {
    return new KeyMaterialException(
        Reason.UNSUPPORTED_ALGORITHM,
        "The private key's encryption scheme (OID " + oid.getId() + ") is not supported."
            + " Re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`.");
  }
}
