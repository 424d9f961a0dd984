package dev.keyline.keys;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PBKDF2Params;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;

/**
 * PBKDF2 with the JDK: derives the keys {@link EncryptedPkcs8} writes with, and decrypts the PBES2
 * keys users upload when the JDK covers their scheme (PRF HMAC-SHA1/224/256/384/512, cipher
 * AES-128/192/256-CBC or DES-EDE3-CBC: everything {@code openssl pkcs8 -topk8 -v2 ... [-v2prf ...]}
 * writes by default or on request).
 *
 * <p>Why the JDK: in the benchmark's profile ~40% of decrypting an openssl des3 key went to
 * BouncyCastle's SHA-256 inside PBKDF2; the JDK's PBKDF2 is about 2.3x faster. Everything else
 * stays with BouncyCastle ({@link KeyDecryption}), so what decrypted before decrypts to the same
 * key and what was refused is still refused: other schemes, an empty salt, a key length that
 * does not match the cipher, an IV of the wrong size, and passphrases with characters outside
 * ASCII (BouncyCastle's PKCS#8 decryptor feeds PBKDF2 the low 8 bits of each character, the JDK
 * their UTF-8 bytes; the two agree on ASCII only). The parameters have passed {@link KdfCost}
 * before this runs, so the iteration count is within the caller's ceiling.
 */
final class Pbkdf2 {

  /** PRF OID to the JDK's SecretKeyFactory name; plain constants, so native images need no configuration. */
  private static final Map<ASN1ObjectIdentifier, String> PRFS = Map.of(
      PKCSObjectIdentifiers.id_hmacWithSHA1, "PBKDF2WithHmacSHA1",
      PKCSObjectIdentifiers.id_hmacWithSHA224, "PBKDF2WithHmacSHA224",
      PKCSObjectIdentifiers.id_hmacWithSHA256, "PBKDF2WithHmacSHA256",
      PKCSObjectIdentifiers.id_hmacWithSHA384, "PBKDF2WithHmacSHA384",
      PKCSObjectIdentifiers.id_hmacWithSHA512, "PBKDF2WithHmacSHA512");

  private Pbkdf2() {}

  /**
   * {@code keyBytes} of PBKDF2 output.
   *
   * @param algorithm the JDK's name, e.g. {@code PBKDF2WithHmacSHA256}
   * @param passphrase not modified or retained (the spec's copy is cleared)
   */
  static byte[] derive(String algorithm, char[] passphrase, byte[] salt, int iterations, int keyBytes)
      throws GeneralSecurityException {
    PBEKeySpec spec = new PBEKeySpec(passphrase, salt, iterations, keyBytes * 8);
    try {
      return SecretKeyFactory.getInstance(algorithm).generateSecret(spec).getEncoded();
    } finally {
      spec.clearPassword();
    }
  }

  /**
   * Decrypts a PBES2/PBKDF2 key with the JDK; empty when the JDK path does not apply (see the class
   * comment), and the caller decrypts with BouncyCastle as before.
   *
   * @throws KeyMaterialException WRONG_PASSPHRASE when the derived key does not decrypt the key
   */
  static Optional<PrivateKeyInfo> decrypt(PBES2Parameters parameters, byte[] ciphertext, char[] passphrase) {
    if (!parameters.getKeyDerivationFunc().getAlgorithm().equals(PKCSObjectIdentifiers.id_PBKDF2)
        || !isAscii(passphrase)) {
      return Optional.empty();
    }
    PBKDF2Params kdf = PBKDF2Params.getInstance(parameters.getKeyDerivationFunc().getParameters());
    String prf = PRFS.get(kdf.getPrf().getAlgorithm());
    Pbes2Cipher cipher = Pbes2Cipher.of(parameters.getEncryptionScheme().getAlgorithm());
    if (prf == null || cipher == null) {
      return Optional.empty();
    }
    byte[] iv = cipher.ivOf(parameters.getEncryptionScheme());
    byte[] salt = kdf.getSalt();
    boolean keyLengthFits = kdf.getKeyLength() == null || kdf.getKeyLength().equals(BigInteger.valueOf(cipher.keyBytes()));
    if (iv == null || salt == null || salt.length == 0 || !keyLengthFits) {
      return Optional.empty();
    }
    byte[] key;
    try {
      key = derive(prf, passphrase, salt, kdf.getIterationCount().intValueExact(), cipher.keyBytes());
    } catch (NoSuchAlgorithmException e) {
      return Optional.empty(); // a JDK without this PRF (a restricted FIPS set-up): BouncyCastle has it
    } catch (GeneralSecurityException e) {
      throw KeyDecryption.wrongPassphrase(e);
    }
    try {
      return Optional.of(cipher.decrypt(key, iv, ciphertext));
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static boolean isAscii(char[] passphrase) {
    for (char c : passphrase) {
      if (c > 0x7F) {
        return false;
      }
    }
    return true;
  }
}
