package dev.keyline.keys;

import java.security.PrivateKey;

/**
 * Writes a private key as plain PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}), the form the
 * services store a key in once it has been decrypted at upload: a secret store that encrypts at rest
 * (Vault KV v2) protects it, and reading it back costs no key derivation at all.
 */
public final class Pkcs8 {

  private Pkcs8() {}

  /**
   * @param key a key whose {@code getEncoded()} is PKCS#8 (every JDK private key)
   */
  public static String toPem(PrivateKey key) {
    if (key == null || !"PKCS#8".equals(key.getFormat()) || key.getEncoded() == null) {
      throw new IllegalArgumentException("The private key must be encodable as PKCS#8");
    }
    byte[] der = key.getEncoded();
    try {
      return PemBlocks.write("PRIVATE KEY", der);
    } finally {
      java.util.Arrays.fill(der, (byte) 0);
    }
  }
}
