package dev.keyline.keys.testing;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;

/** Key types {@link TestPki} can issue certificates for. RSA 2048 is the default everywhere. */
public enum KeyType {
  RSA_2048,
  RSA_3072,
  RSA_4096,
  /** NIST P-256 (secp256r1), signed with SHA256withECDSA. */
  EC_P256;

  /** A fresh key pair from the JDK's providers. */
  public KeyPair generate() {
    try {
      if (this == EC_P256) {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
      }
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(Integer.parseInt(name().substring(4)));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
