package dev.keyline.keys;

import java.security.KeyPair;
import java.util.Base64;

/** PEM rendering for tests, independent of the code under test. */
final class TestPem {

  private TestPem() {}

  static String of(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  static String pkcs8(KeyPair pair) {
    return of("PRIVATE KEY", pair.getPrivate().getEncoded());
  }
}
