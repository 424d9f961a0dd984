package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.text;
import static dev.keyline.keys.PrivateKeysTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EncryptedPkcs8Test {

  @ParameterizedTest
  @ValueSource(strings = {"rsa2048-pkcs8.pem", "ec-p256-pkcs8.pem"})
  void opensslDecryptsWhatWeWrite(String fixture) {
    PrivateKey key = PrivateKeys.parse(text(fixture), null).privateKey();
    char[] passphrase = EncryptedPkcs8.randomPassphrase();

    String encrypted = EncryptedPkcs8.write(key, passphrase, EncryptedPkcs8.DEFAULT_ITERATIONS);

    assertThat(encrypted).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----\n").endsWith("-----END ENCRYPTED PRIVATE KEY-----\n");
    String decrypted = Openssl.run(
        Map.of("KEY_PASS", new String(passphrase)), encrypted.getBytes(StandardCharsets.US_ASCII),
        "pkcs8", "-passin", "env:KEY_PASS");
    assertThat(decrypted).startsWith("-----BEGIN PRIVATE KEY-----");
    assertThat(PrivateKeys.parse(decrypted, null).privateKey().getEncoded()).isEqualTo(key.getEncoded());
  }

  @Test
  void structureIsPbes2WithPbkdf2HmacSha256AndAes256Cbc() {
    PrivateKey key = PrivateKeys.parse(text("rsa2048-pkcs8.pem"), null).privateKey();
    String encrypted = EncryptedPkcs8.write(key, "pass".toCharArray(), 12_345);

    String asn1 = Openssl.run(Map.of(), encrypted.getBytes(StandardCharsets.US_ASCII), "asn1parse");
    assertThat(asn1).contains(":PBES2").contains(":PBKDF2").contains(":hmacWithSHA256").contains(":aes-256-cbc")
        .contains(":3039"); // 12345 iterations, hex
    assertThat(asn1.lines().filter(l -> l.contains("OCTET STRING")).limit(2))
        .as("salt and IV are 16 bytes").allSatisfy(l -> assertThat(l).contains("l=  16"));
  }

  @Test
  void parseReadsWhatWeWrite() {
    PrivateKey key = PrivateKeys.parse(text("rsa2048-pkcs8.pem"), null).privateKey();
    char[] passphrase = EncryptedPkcs8.randomPassphrase();
    String encrypted = EncryptedPkcs8.write(key, passphrase, EncryptedPkcs8.DEFAULT_ITERATIONS);

    ParsedPrivateKey parsed = PrivateKeys.parse(encrypted, passphrase);
    assertThat(parsed.privateKey().getEncoded()).isEqualTo(key.getEncoded());
    assertThat(parsed.wasEncrypted()).isTrue();
    assertReason(() -> PrivateKeys.parse(encrypted, "wrong".toCharArray()), Reason.WRONG_PASSPHRASE);
    assertReason(() -> PrivateKeys.parse(encrypted, null), Reason.PASSPHRASE_REQUIRED);
  }

  @Test
  void saltAndIvAreRandom() {
    PrivateKey key = PrivateKeys.parse(text("ec-p256-pkcs8.pem"), null).privateKey();
    char[] passphrase = "same".toCharArray();
    assertThat(EncryptedPkcs8.write(key, passphrase, 1000)).isNotEqualTo(EncryptedPkcs8.write(key, passphrase, 1000));
  }

  @Test
  void randomPassphraseIs32BytesOfBase64Url() {
    char[] first = EncryptedPkcs8.randomPassphrase();
    assertThat(new String(first)).hasSize(43).matches("[A-Za-z0-9_-]{43}");
    assertThat(java.util.Base64.getUrlDecoder().decode(new String(first))).hasSize(32);
    assertThat(new String(EncryptedPkcs8.randomPassphrase())).isNotEqualTo(new String(first));
  }

  @Test
  void rejectsBadArguments() {
    PrivateKey key = PrivateKeys.parse(text("ec-p256-pkcs8.pem"), null).privateKey();
    assertThatThrownBy(() -> EncryptedPkcs8.write(key, new char[0], 1000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EncryptedPkcs8.write(key, null, 1000)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EncryptedPkcs8.write(key, "x".toCharArray(), 0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EncryptedPkcs8.write(null, "x".toCharArray(), 1000)).isInstanceOf(IllegalArgumentException.class);
  }
}
