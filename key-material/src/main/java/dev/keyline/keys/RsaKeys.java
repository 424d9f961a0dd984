package dev.keyline.keys;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;

/** Generates RSA key pairs for key-pair authentication (Snowflake) and test PKI. */
public final class RsaKeys {

  private RsaKeys() {}

  /**
   * A new RSA key pair, public exponent 65537, made by the JDK's provider (faster than
   * BouncyCastle's here, and its keys are the {@link RSAPrivateCrtKey} drivers expect).
   *
   * @param bits 2048, 3072 or 4096
   * @throws IllegalArgumentException for any other size
   */
  public static KeyPair generate(int bits) {
    if (bits != 2048 && bits != 3072 && bits != 4096) {
      throw new IllegalArgumentException("RSA key size must be 2048, 3072 or 4096 bits, not " + bits);
    }
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(bits, new SecureRandom());
      KeyPair pair = generator.generateKeyPair();
      if (!(pair.getPrivate() instanceof RSAPrivateCrtKey)) {
        throw new IllegalStateException("The RSA provider did not produce an RSAPrivateCrtKey");
      }
      return pair;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("RSA is required of every JDK", e);
    }
  }
}
