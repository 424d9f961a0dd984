package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.passphrase;
import static dev.keyline.keys.OpensslFixtures.text;
import static dev.keyline.keys.PrivateKeysTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
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
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PBES2 variants openssl writes are decrypted by the JDK's PBKDF2 and ciphers ({@link Pbkdf2})
 * to exactly the key BouncyCastle decrypted them to before; what the JDK path does not take goes to
 * BouncyCastle as before. The encrypted keys are made here by the real openssl CLI from the plain
 * fixture, so every variant is what users upload.
 */
class Pbes2VariantsTest {

  /** {@code openssl pkcs8 -topk8} options; openssl 3's default PRF is hmacWithSHA256. */
  @ParameterizedTest(name = "openssl pkcs8 -topk8 {0}")
  @ValueSource(strings = {
      "-v2 aes-256-cbc",
      "-v2 des3",
      "-v2 aes-256-cbc -v2prf hmacWithSHA1",
      "-v2 des3 -v2prf hmacWithSHA1",
      "-v2 aes-128-cbc -v2prf hmacWithSHA224",
      "-v2 aes-192-cbc -v2prf hmacWithSHA384",
      "-v2 aes-256-cbc -v2prf hmacWithSHA512 -iter 10000"})
  void theJdkDecryptsEachVariantToTheKeyBouncyCastleGives(String options) {
    String encrypted = opensslEncrypt(options, passphrase());
    PKCS8EncryptedPrivateKeyInfo info = info(encrypted);
    PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());

    byte[] byJdk = der(Pbkdf2.decrypt(pbes2, info.getEncryptedData(), passphrase()).orElseThrow());
    byte[] byBouncyCastle = der(KeyDecryption.decryptWithBouncyCastle(info, passphrase()));

    assertThat(byJdk).isEqualTo(byBouncyCastle);
    byte[] plain = PrivateKeys.parse(text("rsa2048-pkcs8.pem"), null).privateKey().getEncoded();
    ParsedPrivateKey parsed = PrivateKeys.parse(encrypted, passphrase());
    assertThat(parsed.privateKey().getEncoded()).isEqualTo(plain);
    assertThat(parsed.wasEncrypted()).isTrue();
  }

  @ParameterizedTest(name = "openssl pkcs8 -topk8 {0}")
  @ValueSource(strings = {"-v2 aes-256-cbc", "-v2 des3", "-v2 des3 -v2prf hmacWithSHA1"})
  void aWrongPassphraseIsStillWrong(String options) {
    String encrypted = opensslEncrypt(options, passphrase());
    KeyMaterialException e =
        assertReason(() -> PrivateKeys.parse(encrypted, "not-the-passphrase".toCharArray()), Reason.WRONG_PASSPHRASE);
    assertThat(e.getMessage()).doesNotContain("not-the-passphrase").doesNotContain(new String(passphrase()));
    assertReason(() -> PrivateKeys.parse(encrypted, null), Reason.PASSPHRASE_REQUIRED);
  }

  @Test
  void theCommittedOpensslFixturesTakeTheJdkPath() {
    for (String fixture : List.of("rsa2048-pkcs8-des3.pem", "rsa2048-pkcs8-aes256.pem", "ec-p256-pkcs8-aes256.pem")) {
      PKCS8EncryptedPrivateKeyInfo info = info(text(fixture));
      PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
      assertThat(Pbkdf2.decrypt(pbes2, info.getEncryptedData(), passphrase())).as(fixture).isPresent();
    }
  }

  /**
   * BouncyCastle feeds PBKDF2 the low byte of each character, the JDK UTF-8: they differ outside
   * ASCII, so such passphrases keep BouncyCastle's behaviour, whatever it is.
   */
  @Test
  void aPassphraseOutsideAsciiStaysWithBouncyCastle() {
    PKCS8EncryptedPrivateKeyInfo info = info(text("rsa2048-pkcs8-aes256.pem"));
    PBES2Parameters pbes2 = PBES2Parameters.getInstance(info.getEncryptionAlgorithm().getParameters());
    char[] umlauts = "fixture-päss-7Qw!".toCharArray();

    assertThat(Pbkdf2.decrypt(pbes2, info.getEncryptedData(), umlauts)).isEmpty();
    assertReason(() -> PrivateKeys.parse(text("rsa2048-pkcs8-aes256.pem"), umlauts), Reason.WRONG_PASSPHRASE);
  }

  @Test
  void schemesTheJdkPathDoesNotTakeGoToBouncyCastle() {
    PKCS8EncryptedPrivateKeyInfo real = info(text("rsa2048-pkcs8-aes256.pem"));
    PBES2Parameters pbes2 = PBES2Parameters.getInstance(real.getEncryptionAlgorithm().getParameters());
    PBKDF2Params kdf = PBKDF2Params.getInstance(pbes2.getKeyDerivationFunc().getParameters());
    AlgorithmIdentifier sha256 = new AlgorithmIdentifier(PKCSObjectIdentifiers.id_hmacWithSHA256, DERNull.INSTANCE);
    EncryptionScheme aes256 = pbes2.getEncryptionScheme();
    byte[] data = real.getEncryptedData();

    // A declared key length that does not fit the cipher, an IV of the wrong size, an unlisted cipher.
    List<PBES2Parameters> others = new ArrayList<>();
    others.add(pbes2(new PBKDF2Params(kdf.getSalt(), kdf.getIterationCount().intValue(), 16, sha256), aes256));
    others.add(pbes2(new PBKDF2Params(kdf.getSalt(), kdf.getIterationCount().intValue(), sha256),
        new EncryptionScheme(NISTObjectIdentifiers.id_aes256_CBC, new DEROctetString(new byte[8]))));
    others.add(pbes2(new PBKDF2Params(kdf.getSalt(), kdf.getIterationCount().intValue(), sha256),
        new EncryptionScheme(NISTObjectIdentifiers.id_aes256_GCM, new DEROctetString(new byte[12]))));
    for (PBES2Parameters other : others) {
      assertThat(Pbkdf2.decrypt(other, data, passphrase())).isEmpty();
    }
    // And an explicit key length equal to the cipher's is the same scheme: the JDK takes it.
    PBES2Parameters explicit = pbes2(new PBKDF2Params(kdf.getSalt(), kdf.getIterationCount().intValue(), 32, sha256), aes256);
    assertThat(Pbkdf2.decrypt(explicit, data, passphrase())).isPresent();
  }

  private static byte[] der(org.bouncycastle.asn1.pkcs.PrivateKeyInfo key) {
    try {
      return key.getEncoded("DER");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PBES2Parameters pbes2(PBKDF2Params kdf, EncryptionScheme scheme) {
    return new PBES2Parameters(new KeyDerivationFunc(PKCSObjectIdentifiers.id_PBKDF2, kdf), scheme);
  }

  private static PKCS8EncryptedPrivateKeyInfo info(String pem) {
    String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
    return new PKCS8EncryptedPrivateKeyInfo(EncryptedPrivateKeyInfo.getInstance(Base64.getDecoder().decode(base64)));
  }

  private static String opensslEncrypt(String options, char[] passphrase) {
    List<String> args = new ArrayList<>(List.of("pkcs8", "-topk8"));
    args.addAll(List.of(options.split(" ")));
    args.addAll(List.of("-passout", "env:KEY_PASS"));
    String encrypted = Openssl.run(Map.of("KEY_PASS", new String(passphrase)),
        text("rsa2048-pkcs8.pem").getBytes(StandardCharsets.US_ASCII), args.toArray(String[]::new));
    if (!encrypted.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----")) {
      throw new UncheckedIOException(new IOException("openssl wrote no encrypted key for " + options));
    }
    return encrypted;
  }
}
