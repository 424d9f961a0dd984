package dev.keyline.keys;

import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;

/** Human names for key algorithm and curve OIDs, so "unsupported" errors can say which one. */
final class KeyAlgorithmNames {

  private static final Map<String, String> KEY_ALGORITHMS = Map.ofEntries(
      Map.entry("1.2.840.113549.1.1.1", "RSA"),
      Map.entry("1.2.840.113549.1.1.10", "RSASSA-PSS"),
      Map.entry("1.2.840.10045.2.1", "EC"),
      Map.entry("1.2.840.10040.4.1", "DSA"),
      Map.entry("1.2.840.113549.1.3.1", "DH"),
      Map.entry("1.2.840.10046.2.1", "X9.42 DH"),
      Map.entry("1.3.101.110", "X25519"),
      Map.entry("1.3.101.111", "X448"),
      Map.entry("1.3.101.112", "Ed25519"),
      Map.entry("1.3.101.113", "Ed448"),
      Map.entry("1.2.156.10197.1.301", "SM2"));

  private KeyAlgorithmNames() {}

  /** "Ed25519", "DSA", ...; or "unknown algorithm (OID 1.2.3)". */
  static String keyAlgorithm(ASN1ObjectIdentifier oid) {
    String name = KEY_ALGORITHMS.get(oid.getId());
    return name != null ? name : "unknown algorithm (OID " + oid.getId() + ")";
  }

  /** "secp256k1", ...; or "OID 1.2.3". */
  static String curve(ASN1ObjectIdentifier oid) {
    String name = ECNamedCurveTable.getName(oid);
    return name != null ? name : "OID " + oid.getId();
  }
}
