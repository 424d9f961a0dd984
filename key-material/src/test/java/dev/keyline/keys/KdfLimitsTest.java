package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.passphrase;
import static dev.keyline.keys.OpensslFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.EncryptedPrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.EncryptionScheme;
import org.bouncycastle.asn1.pkcs.KeyDerivationFunc;
import org.bouncycastle.asn1.pkcs.PBEParameter;
import org.bouncycastle.asn1.pkcs.PBES2Parameters;
import org.bouncycastle.asn1.pkcs.PKCS12PBEParams;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Key-derivation ceilings: an uploader chooses the KDF parameters of an encrypted key, so they are
 * checked before any derivation runs. The "bomb" keys below are built from ASN.1 with garbage
 * ciphertext: were their parameters not refused first, decryption would run for many minutes.
 */
class KdfLimitsTest {

  private static final byte[] SALT = new byte[16];
  private static final byte[] CIPHERTEXT = new byte[1232];
  /** Guards against a derivation actually running; the refusal itself takes microseconds. */
  private static final Duration NO_DERIVATION = Duration.ofSeconds(2);

  @Test
  void pbkdf2IterationBombIsRefusedBeforeAnyDerivation() {
    String bomb = pbes2Pbkdf2(BigInteger.valueOf(Integer.MAX_VALUE));
    KeyMaterialException e = refused(bomb, Reason.KDF_TOO_COSTLY);
    assertThat(e.getMessage()).contains("2147483647").contains("1000000").doesNotContain(new String(passphrase()));
  }

  @Test
  void iterationCountsLargerThanAnIntAreRefusedToo() {
    refused(pbes2Pbkdf2(BigInteger.ONE.shiftLeft(200)), Reason.KDF_TOO_COSTLY);
  }

  @Test
  void opensslKeyOneIterationOverTheDefaultCeilingIsRefused() {
    KeyMaterialException e = refused(text("rsa2048-pkcs8-iter1000001.pem"), Reason.KDF_TOO_COSTLY);
    assertThat(e.getMessage()).contains("1000001");
  }

  @Test
  void theCeilingIsTheCallersChoice() {
    // openssl's default is 2048 iterations: refused under a ceiling of 1000, decrypted under 2048.
    String aes = text("rsa2048-pkcs8-aes256.pem");
    assertThatThrownBy(() -> PrivateKeys.parse(aes, passphrase(), new KdfLimits(1000, 1 << 20, 128L << 20)))
        .isInstanceOfSatisfying(KeyMaterialException.class, e -> assertThat(e.reason()).isEqualTo(Reason.KDF_TOO_COSTLY));
    assertThat(PrivateKeys.parse(aes, passphrase(), new KdfLimits(2048, 1 << 20, 128L << 20)).algorithm()).isEqualTo("RSA");
  }

  @Test
  void ceilingIsCheckedEvenWithoutAPassphrase() {
    refusedWith(pbes2Pbkdf2(BigInteger.valueOf(Integer.MAX_VALUE)), null, Reason.KDF_TOO_COSTLY);
  }

  @Test
  void pbes1AndPkcs12IterationBombsAreRefused() {
    refused(encryptedKey(new AlgorithmIdentifier(PKCSObjectIdentifiers.pbeWithSHA1AndDES_CBC,
        new PBEParameter(new byte[8], Integer.MAX_VALUE))), Reason.KDF_TOO_COSTLY);
    refused(encryptedKey(new AlgorithmIdentifier(PKCSObjectIdentifiers.pbeWithSHAAnd3_KeyTripleDES_CBC,
        new PKCS12PBEParams(new byte[8], Integer.MAX_VALUE))), Reason.KDF_TOO_COSTLY);
  }

  @Test
  void opensslPbes1KeyWithinTheCeilingStillDecrypts() {
    assertThat(PrivateKeys.parse(text("rsa2048-pkcs8-pbes1.pem"), passphrase()).wasEncrypted()).isTrue();
  }

  @Test
  void scryptWithinTheCeilingDecryptsAndAboveItIsRefused() {
    assertThat(PrivateKeys.parse(text("rsa2048-pkcs8-scrypt.pem"), passphrase()).publicKey())
        .isEqualTo(PrivateKeys.parse(text("rsa2048-pkcs8.pem"), null).publicKey());
    assertThatThrownBy(() -> PrivateKeys.parse(text("rsa2048-pkcs8-scrypt.pem"), "wrong".toCharArray()))
        .isInstanceOfSatisfying(KeyMaterialException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_PASSPHRASE));
    // N = 2^20, r = 8: 1 GiB of memory.
    KeyMaterialException e = refused(pbes2Scrypt(1 << 20, 8, 1), Reason.KDF_TOO_COSTLY);
    assertThat(e.getMessage()).contains("N=1048576");
    // Within the memory ceiling, but p = 2^20 parallel passes of CPU work.
    refused(pbes2Scrypt(1 << 10, 8, 1 << 20), Reason.KDF_TOO_COSTLY);
    // Within N·r·p and 128·N·r, but scrypt's expansion writes and reads 128·r·p bytes: 64 MiB, seconds of CPU.
    refused(pbes2Scrypt(2, 1, 1 << 19), Reason.KDF_TOO_COSTLY);
    assertThat(refused(pbes2Scrypt(2, 1 << 19, 1), Reason.KDF_TOO_COSTLY).getMessage()).contains("r·p of 1024");
  }

  @Test
  void aKeyDerivationFunctionThatCannotBeBoundedIsRefused() {
    AlgorithmIdentifier unknownKdf = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, new PBES2Parameters(
        new KeyDerivationFunc(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), new DERSequence()),
        new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(new byte[16]))));
    refused(encryptedKey(unknownKdf), Reason.UNSUPPORTED_ALGORITHM);
  }

  @Test
  void unreadableParametersAreMalformed() {
    AlgorithmIdentifier broken = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, new ASN1Integer(5));
    refused(encryptedKey(broken), Reason.MALFORMED);
  }

  @Test
  void limitsMustBePositive() {
    Assertions.assertThrows(IllegalArgumentException.class, () -> new KdfLimits(0, 1, 1));
  }

  private static KeyMaterialException refused(String pem, Reason reason) {
    return refusedWith(pem, passphrase(), reason);
  }

  private static KeyMaterialException refusedWith(String pem, char[] passphrase, Reason reason) {
    return Assertions.assertTimeoutPreemptively(NO_DERIVATION, () -> {
      KeyMaterialException e = Assertions.assertThrows(KeyMaterialException.class, () -> PrivateKeys.parse(pem, passphrase));
      assertThat(e.reason()).as(e.getMessage()).isEqualTo(reason);
      return e;
    });
  }

  static String pbes2Pbkdf2(BigInteger iterations) {
    ASN1EncodableVector params = new ASN1EncodableVector();
    params.add(new DEROctetString(SALT));
    params.add(new ASN1Integer(iterations));
    params.add(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, org.bouncycastle.asn1.DERNull.INSTANCE));
    return encryptedKey(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, new PBES2Parameters(
        new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2, new DERSequence(params)),
        new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(new byte[16])))));
  }

  private static String pbes2Scrypt(int n, int r, int p) {
    ASN1EncodableVector params = new ASN1EncodableVector();
    params.add(new DEROctetString(SALT));
    params.add(new ASN1Integer(n));
    params.add(new ASN1Integer(r));
    params.add(new ASN1Integer(p));
    params.add(new ASN1Integer(32));
    return encryptedKey(new AlgorithmIdentifier(PKCSObjectIdentifiers.id_PBES2, new PBES2Parameters(
        new KeyDerivationFunc(KdfCost.SCRYPT, new DERSequence(params)),
        new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(new byte[16])))));
  }

  private static String encryptedKey(AlgorithmIdentifier encryption) {
    try {
      byte[] der = new EncryptedPrivateKeyInfo(encryption, CIPHERTEXT).getEncoded();
      return "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(der)
          + "\n-----END ENCRYPTED PRIVATE KEY-----\n";
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
