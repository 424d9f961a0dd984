package dev.keyline.keys;

import java.security.PublicKey;
import java.security.interfaces.DSAKey;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;

/** Key sizes as people quote them: RSA modulus bits, EC field bits (256 for P-256), DSA prime bits. */
final class KeySizes {

  private KeySizes() {}

  /** The size in bits, or 0 when it has no conventional size here (e.g. Ed25519). */
  static int bits(PublicKey key) {
    if (key instanceof RSAKey rsa) {
      return rsa.getModulus().bitLength();
    }
    if (key instanceof ECKey ec) {
      return ec.getParams().getCurve().getField().getFieldSize();
    }
    if (key instanceof DSAKey dsa && dsa.getParams() != null) {
      return dsa.getParams().getP().bitLength();
    }
    return 0;
  }
}
