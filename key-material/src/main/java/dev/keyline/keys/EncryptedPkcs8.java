package dev.keyline.keys;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * Writes passphrase-encrypted PKCS#8, the form in which private keys are stored and handed to
 * drivers (Snowflake's {@code private_key_file_pwd}).
 *
 * <p>Why the JDK for the crypto: its PBKDF2 is about 2.3x faster than BouncyCastle's here. The
 * ASN.1 is assembled with BouncyCastle's structures, exactly as {@code openssl pkcs8 -topk8 -v2
 * aes-256-cbc -v2prf hmacWithSHA256} writes it.
 */
public final class EncryptedPkcs8 {

  /** Keys stored with a random high-entropy passphrase do not need 600k rounds. */
  public static final int DEFAULT_ITERATIONS = 10_000;

  private static final int SALT_BYTES = 16;
  private static final int AES_256_KEY_BYTES = 32;
  private static final int IV_BYTES = 16;
  private static final int PASSPHRASE_BYTES = 32;

  private EncryptedPkcs8() {}

  /**
   * "-----BEGIN ENCRYPTED PRIVATE KEY-----" PEM: PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC,
   * random 16-byte salt and IV. Readable by {@code openssl pkcs8 -in f -passin ...}, by {@link
   * PrivateKeys#parse} and by JDBC drivers.
   *
   * @param key a key whose {@code getEncoded()} is PKCS#8 (all JDK private keys)
   * @param passphrase non-empty; not modified or retained
   * @param iterations PBKDF2 rounds, at least 1 (see {@link #DEFAULT_ITERATIONS})
   */
  public static String write(PrivateKey key, char[] passphrase, int iterations) {
    if (key == null || !"PKCS#8".equals(key.getFormat()) || key.getEncoded() == null) {
      throw new IllegalArgumentException("The private key must be encodable as PKCS#8");
    }
    if (passphrase == null || passphrase.length == 0) {
      throw new IllegalArgumentException("A non-empty passphrase is required");
    }
    if (iterations < 1) {
      throw new IllegalArgumentException("iterations must be at least 1");
    }
    byte[] salt = randomBytes(SALT_BYTES);
    byte[] iv = randomBytes(IV_BYTES);
    byte[] plain = key.getEncoded();
    byte[] aesKey = null;
    try {
      aesKey = Pbkdf2.derive("PBKDF2WithHmacSHA256", passphrase, salt, iterations, AES_256_KEY_BYTES);
      Cipher cipher = Cipher.getInstance("AES/CBC/PKCS5Padding");
      cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new IvParameterSpec(iv));
      byte[] encrypted = cipher.doFinal(plain);
      AlgorithmIdentifier pbes2 = new AlgorithmIdentifier(
          PKCSObjectIdentifiers.id_PBES2,
          new PBES2Parameters(
              new KeyDerivationFunc(
                  PKCSObjectIdentifiers.id_PBKDF2,
                  new PBKDF2Params(
                      salt, iterations, new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE))),
              new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(iv))));
      return PemBlocks.write("ENCRYPTED PRIVATE KEY", new EncryptedPrivateKeyInfo(pbes2, encrypted).getEncoded());
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException("PBKDF2-HMAC-SHA256/AES-256-CBC is required of every JDK", e);
    } finally {
      Arrays.fill(plain, (byte) 0);
      if (aesKey != null) {
        Arrays.fill(aesKey, (byte) 0);
      }
    }
  }

  /** A random passphrase for {@link #write}: 32 random bytes, base64url without padding (43 characters). */
  public static char[] randomPassphrase() {
    byte[] random = randomBytes(PASSPHRASE_BYTES);
    byte[] encoded = Base64.getUrlEncoder().withoutPadding().encode(random);
    char[] passphrase = new char[encoded.length];
    for (int i = 0; i < encoded.length; i++) {
      passphrase[i] = (char) encoded[i];
    }
    Arrays.fill(random, (byte) 0);
    Arrays.fill(encoded, (byte) 0);
    return passphrase;
  }

  private static byte[] randomBytes(int count) {
    byte[] bytes = new byte[count];
    new SecureRandom().nextBytes(bytes); // per call, not static: no SecureRandom in a native image heap
    return bytes;
  }
}
