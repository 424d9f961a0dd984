package dev.keyline.keys;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * The encryption half of PBES2 for the block ciphers openssl writes and every JDK has (the JDK's
 * {@code AES/CBC/PKCS5Padding} and {@code DESede/CBC/PKCS5Padding} are required of every Java SE
 * implementation), shared by the PBKDF2 and scrypt paths.
 */
enum Pbes2Cipher {
  AES_128_CBC(NISTObjectIdentifiers.id_aes128_CBC, "AES", 16, 16),
  AES_192_CBC(NISTObjectIdentifiers.id_aes192_CBC, "AES", 24, 16),
  AES_256_CBC(NISTObjectIdentifiers.id_aes256_CBC, "AES", 32, 16),
  DES_EDE3_CBC(PKCSObjectIdentifiers.des_EDE3_CBC, "DESede", 24, 8);

  private final ASN1ObjectIdentifier oid;
  private final String algorithm;
  private final int keyBytes;
  private final int ivBytes;

  Pbes2Cipher(ASN1ObjectIdentifier oid, String algorithm, int keyBytes, int ivBytes) {
    this.oid = oid;
    this.algorithm = algorithm;
    this.keyBytes = keyBytes;
    this.ivBytes = ivBytes;
  }

  /** The cipher an EncryptionScheme names, or null for one not listed here. */
  static Pbes2Cipher of(ASN1ObjectIdentifier oid) {
    for (Pbes2Cipher cipher : values()) {
      if (cipher.oid.equals(oid)) {
        return cipher;
      }
    }
    return null;
  }

  int keyBytes() {
    return keyBytes;
  }

  boolean isAes() {
    return algorithm.equals("AES");
  }

  /** The scheme's IV when it is an OCTET STRING of this cipher's block size; null otherwise. */
  byte[] ivOf(EncryptionScheme scheme) {
    if (!(scheme.getParameters() instanceof ASN1OctetString octets) || octets.getOctets().length != ivBytes) {
      return null;
    }
    return octets.getOctets();
  }

  /**
   * Decrypts and reads the PrivateKeyInfo. A bad padding or an unreadable result means the
   * derived key was wrong: WRONG_PASSPHRASE, as BouncyCastle's decryptor reports it.
   */
  PrivateKeyInfo decrypt(byte[] key, byte[] iv, byte[] ciphertext) {
    byte[] plain = null;
    try {
      Cipher cipher = Cipher.getInstance(algorithm + "/CBC/PKCS5Padding");
      cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, algorithm), new IvParameterSpec(iv));
      plain = cipher.doFinal(ciphertext);
      return PrivateKeyInfo.getInstance(plain);
    } catch (GeneralSecurityException | RuntimeException e) {
      throw KeyDecryption.wrongPassphrase(e);
    } finally {
      if (plain != null) {
        Arrays.fill(plain, (byte) 0);
      }
    }
  }
}
