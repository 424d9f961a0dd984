package dev.keyline.keys;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.generators.SCrypt;

/**
 * Decrypts PBES2 keys whose key derivation is scrypt, as {@code openssl pkcs8 -topk8 -scrypt}
 * writes them (AES-CBC, through {@link Pbes2Cipher}).
 *
 * <p>Why by hand: BouncyCastle's PKCS#8 decryptor builder does not accept scrypt parameters (it
 * fails with a ClassCastException, which used to surface as "wrong passphrase"). The parameters
 * have already passed {@link KdfCost} when this runs.
 */
final class ScryptDecryption {

  private ScryptDecryption() {}

  static boolean applies(PBES2Parameters parameters) {
    return parameters.getKeyDerivationFunc().getAlgorithm().equals(KdfCost.SCRYPT);
  }

  static PrivateKeyInfo decrypt(PBES2Parameters parameters, byte[] ciphertext, char[] passphrase) {
    EncryptionScheme scheme = parameters.getEncryptionScheme();
    Pbes2Cipher cipher = Pbes2Cipher.of(scheme.getAlgorithm());
    if (cipher == null || !cipher.isAes()) {
      throw new KeyMaterialException(
          Reason.UNSUPPORTED_ALGORITHM,
          "The private key's cipher (OID " + scheme.getAlgorithm().getId() + ") is not supported with scrypt;"
              + " re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`.");
    }
    ASN1Sequence kdf = ASN1Sequence.getInstance(parameters.getKeyDerivationFunc().getParameters());
    byte[] salt = ASN1OctetString.getInstance(kdf.getObjectAt(0)).getOctets();
    int n = ASN1Integer.getInstance(kdf.getObjectAt(1)).intValueExact();
    int r = ASN1Integer.getInstance(kdf.getObjectAt(2)).intValueExact();
    int p = ASN1Integer.getInstance(kdf.getObjectAt(3)).intValueExact();
    byte[] iv = ASN1OctetString.getInstance(scheme.getParameters()).getOctets();
    byte[] password = utf8(passphrase);
    byte[] key = null;
    try {
      key = SCrypt.generate(password, salt, n, r, p, cipher.keyBytes());
    } catch (RuntimeException e) {
      throw KeyDecryption.wrongPassphrase(e);
    } finally {
      Arrays.fill(password, (byte) 0);
    }
    try {
      return cipher.decrypt(key, iv, ciphertext);
    } finally {
      Arrays.fill(key, (byte) 0);
    }
  }

  private static byte[] utf8(char[] passphrase) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(passphrase));
    byte[] bytes = Arrays.copyOfRange(encoded.array(), encoded.position(), encoded.limit());
    Arrays.fill(encoded.array(), (byte) 0);
    return bytes;
  }
}
