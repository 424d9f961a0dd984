package dev.keyline.keys;

import java.io.IOException;
import java.math.BigInteger;
import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.Certificate;

/**
 * Recognises what a DER blob is by its ASN.1 shape.
 *
 * <p>Why: users paste bare base64 without BEGIN/END lines, label PKCS#1 keys "PRIVATE KEY", or
 * upload a PKCS#12 file; knowing the structure lets us pick the right parser and give a precise
 * error instead of a generic "malformed".
 */
enum DerKind {
  PKCS8_PRIVATE_KEY("PRIVATE KEY"),
  ENCRYPTED_PKCS8_PRIVATE_KEY("ENCRYPTED PRIVATE KEY"),
  PKCS1_RSA_PRIVATE_KEY("RSA PRIVATE KEY"),
  SEC1_EC_PRIVATE_KEY("EC PRIVATE KEY"),
  TRADITIONAL_DSA_PRIVATE_KEY("DSA PRIVATE KEY"),
  SUBJECT_PUBLIC_KEY_INFO("PUBLIC KEY"),
  /** RSAPublicKey of PKCS#1 (modulus, public exponent), as {@code openssl rsa -RSAPublicKey_out} writes it. */
  PKCS1_RSA_PUBLIC_KEY("RSA PUBLIC KEY"),
  CERTIFICATE("CERTIFICATE"),
  PKCS12(null),
  UNKNOWN(null);

  /** The PEM label this structure is normally written under; {@code null} when there is none. */
  final String pemLabel;

  DerKind(String pemLabel) {
    this.pemLabel = pemLabel;
  }

  static DerKind of(byte[] der) {
    if (der == null || der.length < 2 || der[0] != 0x30) {
      return UNKNOWN;
    }
    try {
      return ofSequence(ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der)));
    } catch (IOException | RuntimeException e) {
      return UNKNOWN;
    }
  }

  private static DerKind ofSequence(ASN1Sequence seq) {
    int n = seq.size();
    if (n < 2) {
      return UNKNOWN;
    }
    ASN1Encodable first = seq.getObjectAt(0);
    ASN1Encodable second = seq.getObjectAt(1);
    if (n == 2 && first instanceof ASN1Integer modulus && second instanceof ASN1Integer exponent) {
      // No versioned structure has two members; a modulus of 512 bits or more and an odd exponent
      // above 1 is an RSA public key (a small pair of integers, e.g. a DSA signature, is not).
      BigInteger e = exponent.getValue();
      return modulus.getValue().bitLength() >= 512 && e.testBit(0) && e.compareTo(BigInteger.ONE) > 0
          ? PKCS1_RSA_PUBLIC_KEY
          : UNKNOWN;
    }
    if (first instanceof ASN1Integer integer) {
      return ofVersioned(integer.getValue(), seq);
    }
    if (first instanceof ASN1Sequence && n == 2 && second instanceof ASN1OctetString) {
      return ENCRYPTED_PKCS8_PRIVATE_KEY;
    }
    if (first instanceof ASN1Sequence && n == 2 && second instanceof ASN1BitString) {
      return SUBJECT_PUBLIC_KEY_INFO;
    }
    if (first instanceof ASN1Sequence && n == 3) {
      Certificate.getInstance(seq); // throws when it is not a certificate (CRL, CSR, ...)
      return CERTIFICATE;
    }
    return UNKNOWN;
  }

  private static DerKind ofVersioned(BigInteger version, ASN1Sequence seq) {
    int n = seq.size();
    ASN1Encodable second = seq.getObjectAt(1);
    if (version.intValue() == 3 && version.bitLength() < 8 && n <= 3 && isPkcs7ContentInfo(second)) {
      return PKCS12;
    }
    boolean v0 = version.signum() == 0;
    boolean v1 = version.equals(BigInteger.ONE);
    if ((v0 || v1) && n >= 3 && second instanceof ASN1Sequence && seq.getObjectAt(2) instanceof ASN1OctetString) {
      return PKCS8_PRIVATE_KEY;
    }
    if (v0 && n >= 9 && allIntegers(seq, 9)) {
      return PKCS1_RSA_PRIVATE_KEY;
    }
    if (v0 && n == 6 && allIntegers(seq, 6)) {
      return TRADITIONAL_DSA_PRIVATE_KEY;
    }
    if (v1 && second instanceof ASN1OctetString) {
      return SEC1_EC_PRIVATE_KEY;
    }
    return UNKNOWN;
  }

  private static boolean isPkcs7ContentInfo(ASN1Encodable candidate) {
    return candidate instanceof ASN1Sequence contentInfo
        && contentInfo.size() >= 1
        && contentInfo.getObjectAt(0) instanceof ASN1ObjectIdentifier type
        && (type.equals(PKCSObjectIdentifiers.data) || type.equals(PKCSObjectIdentifiers.signedData));
  }

  private static boolean allIntegers(ASN1Sequence seq, int count) {
    for (int i = 0; i < count; i++) {
      if (!(seq.getObjectAt(i) instanceof ASN1Integer)) {
        return false;
      }
    }
    return true;
  }
}
