package dev.keyline.keys;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMDecryptor;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.InputDecryptorProvider;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Decrypts passphrase-protected private keys: PKCS#8 "ENCRYPTED PRIVATE KEY" (PBES2 and PBES1, as
 * openssl writes them) and the legacy OpenSSL "Proc-Type: 4,ENCRYPTED" PEM form.
 *
 * <p>Why BouncyCastle here: the JDK cannot decrypt the legacy form or PBES1, and BouncyCastle's
 * PKCS#8 decryptor takes any PBES2 scheme. The common PBES2/PBKDF2 schemes go to the JDK first
 * ({@link Pbkdf2}: its PBKDF2 is ~2.3x faster), scrypt to {@link ScryptDecryption}. The shared
 * {@link BouncyCastle#provider()} is passed explicitly instead of being registered globally.
 */
final class KeyDecryption {

  /** The DEK-Info ciphers openssl writes for traditional keys; others are refused before decrypting. */
  private static final Set<String> LEGACY_CIPHERS =
      Set.of("AES-128-CBC", "AES-192-CBC", "AES-256-CBC", "DES-EDE3-CBC", "DES-CBC");

  private KeyDecryption() {}

  /**
   * Decrypts an EncryptedPrivateKeyInfo whose key derivation stays within {@code limits}; the result
   * is not yet checked for being a usable key.
   */
  static PrivateKeyInfo decryptPkcs8(byte[] der, char[] passphrase, KdfLimits limits) {
    PKCS8EncryptedPrivateKeyInfo info;
    try {
      info = new PKCS8EncryptedPrivateKeyInfo(EncryptedPrivateKeyInfo.getInstance(der));
    } catch (RuntimeException e) {
      throw new KeyMaterialException(
          Reason.MALFORMED, "The ENCRYPTED PRIVATE KEY block is not a valid encrypted PKCS#8 key.", ScrubbedCause.of(e));
    }
    // Before the passphrase check too: a key over the ceiling is never usable, with any passphrase.
    KdfCost.check(info.getEncryptionAlgorithm(), limits);
    requirePassphrase(passphrase);
    if (info.getEncryptionAlgorithm().getAlgorithm().equals(PKCSObjectIdentifiers.id_PBES2)) {
      PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
      if (ScryptDecryption.applies(pbes2)) {
        return ScryptDecryption.decrypt(pbes2, info.getEncryptedData(), passphrase);
      }
      Optional<PrivateKeyInfo> byJdk = Pbkdf2.decrypt(pbes2, info.getEncryptedData(), passphrase);
      if (byJdk.isPresent()) {
        return byJdk.get();
      }
    }
    return decryptWithBouncyCastle(info, passphrase);
  }

  /** PBES1, PKCS#12-PBE and the PBES2 variants {@link Pbkdf2} leaves to BouncyCastle; the parameters are checked. */
  static PrivateKeyInfo decryptWithBouncyCastle(PKCS8EncryptedPrivateKeyInfo info, char[] passphrase) {
    try {
      InputDecryptorProvider decryptor =
          new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BouncyCastle.provider()).build(passphrase);
      return info.decryptPrivateKeyInfo(decryptor);
    } catch (OperatorCreationException e) {
      throw unsupportedScheme(info, e);
    } catch (PKCSException e) {
      if (e.getCause() instanceof OperatorCreationException) {
        throw unsupportedScheme(info, e);
      }
      throw wrongPassphrase(e);
    } catch (RuntimeException e) {
      throw wrongPassphrase(e);
    }
  }

  /** Decrypts the body of a legacy "Proc-Type: 4,ENCRYPTED" block; the result is the key's DER, unchecked. */
  static byte[] decryptLegacy(PemBlock block, char[] passphrase) {
    requirePassphrase(passphrase);
    String dekInfo = block.headers().get("DEK-Info");
    int comma = dekInfo == null ? -1 : dekInfo.indexOf(',');
    if (comma < 0) {
      throw new KeyMaterialException(
          Reason.MALFORMED, "The encrypted " + block.label() + " block lacks a valid DEK-Info header.");
    }
    String cipher = dekInfo.substring(0, comma).toUpperCase(Locale.ROOT);
    if (!LEGACY_CIPHERS.contains(cipher)) {
      throw new KeyMaterialException(
          Reason.UNSUPPORTED_ALGORITHM,
          "The key is encrypted with a cipher that is not supported; supported: " + String.join(", ", LEGACY_CIPHERS.stream().sorted().toList())
              + ". Re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`.");
    }
    byte[] iv;
    try {
      iv = HexFormat.of().parseHex(dekInfo.substring(comma + 1));
    } catch (IllegalArgumentException e) {
      throw new KeyMaterialException(
          Reason.MALFORMED, "The DEK-Info header of the encrypted " + block.label() + " block has an invalid IV.");
    }
    byte[] ciphertext = block.der();
    try {
      PEMDecryptor decryptor =
          new JcePEMDecryptorProviderBuilder().setProvider(BouncyCastle.provider()).build(passphrase).get(cipher);
      return decryptor.decrypt(ciphertext, iv);
    } catch (OperatorCreationException e) {
      throw new KeyMaterialException(
          Reason.UNSUPPORTED_ALGORITHM, "The key's encryption (" + cipher + ") is not supported.", ScrubbedCause.of(e));
    } catch (PEMException | RuntimeException e) {
      throw wrongPassphrase(e);
    }
  }

  static KeyMaterialException wrongPassphrase(Throwable cause) {
    return new KeyMaterialException(
        Reason.WRONG_PASSPHRASE, "The passphrase does not decrypt the private key.", ScrubbedCause.of(cause));
  }

  private static void requirePassphrase(char[] passphrase) {
    if (passphrase == null || passphrase.length == 0) {
      throw new KeyMaterialException(
          Reason.PASSPHRASE_REQUIRED, "The private key is encrypted; its passphrase is required.");
    }
  }

  private static KeyMaterialException unsupportedScheme(PKCS8EncryptedPrivateKeyInfo info, Exception e) {
    return new KeyMaterialException(
        Reason.UNSUPPORTED_ALGORITHM,
        "The private key's encryption scheme (OID " + info.getEncryptionAlgorithm().getAlgorithm().getId()
            + ") is not supported. Re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`.",
        ScrubbedCause.of(e));
  }
}
