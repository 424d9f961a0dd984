package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Pkcs8Test {

  @ParameterizedTest
  @ValueSource(strings = {"rsa2048-pkcs8-aes256.pem", "ec-p256-pkcs8-aes256.pem"})
  void anEncryptedUploadIsStoredAsPlainPkcs8ThatOpensslAndWeReadBack(String fixture) {
    PrivateKey key = PrivateKeys.parse(text(fixture), OpensslFixtures.passphrase()).privateKey();

    String pem = Pkcs8.toPem(key);

    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    ParsedPrivateKey back = PrivateKeys.parse(pem, null);
    assertThat(back.wasEncrypted()).isFalse();
    assertThat(back.privateKey().getEncoded()).isEqualTo(key.getEncoded());
    String openssl = Openssl.run(Map.of(), pem.getBytes(StandardCharsets.US_ASCII), "pkey");
    assertThat(PrivateKeys.parse(openssl, null).privateKey().getEncoded()).isEqualTo(key.getEncoded());
  }
}
