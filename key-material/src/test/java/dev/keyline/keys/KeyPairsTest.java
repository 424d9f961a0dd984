package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.expected;
import static dev.keyline.keys.OpensslFixtures.text;
import static dev.keyline.keys.PrivateKeysTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.keyline.keys.KeyMaterialException.Reason;
import dev.keyline.keys.testing.Issued;
import dev.keyline.keys.testing.KeyType;
import dev.keyline.keys.testing.TestPki;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;

class KeyPairsTest {

  private static X509Certificate certificate(String fixture) {
    return Certificates.parseChain(text(fixture)).get(0);
  }

  @Test
  void opensslKeyMatchesItsCertificate() {
    assertThat(KeyPairs.matches(PrivateKeys.parse(text("cert-key.pem"), null), certificate("cert.pem"))).isTrue();
    assertThat(KeyPairs.matches(PrivateKeys.parse(text("leaf-key.pem"), null), certificate("leaf.pem"))).isTrue();
    assertThatCode(() -> KeyPairs.requireMatch(PrivateKeys.parse(text("leaf-key.pem"), null), certificate("leaf.pem")))
        .doesNotThrowAnyException();
  }

  @Test
  void otherKeyDoesNotMatch() {
    assertThat(KeyPairs.matches(PrivateKeys.parse(text("rsa2048-pkcs8.pem"), null), certificate("cert.pem"))).isFalse();
    assertThat(KeyPairs.matches(PrivateKeys.parse(text("leaf-key.pem"), null), certificate("intermediate.pem"))).isFalse();
    assertThat(KeyPairs.matches(PrivateKeys.parse(text("ec-p256-pkcs8.pem"), null), certificate("cert.pem"))).isFalse();
  }

  @Test
  void mismatchNamesBothFingerprints() {
    KeyMaterialException e = assertReason(
        () -> KeyPairs.requireMatch(PrivateKeys.parse(text("rsa2048-pkcs8.pem"), null), certificate("cert.pem")),
        Reason.KEY_CERTIFICATE_MISMATCH);
    assertThat(e.getMessage())
        .contains("SHA256:" + expected("rsa2048.spki.sha256"))
        .contains("SHA256:" + expected("cert.spki.sha256"));
  }

  @Test
  void ecKeys() {
    Issued ca = TestPki.ca("EC CA", KeyType.EC_P256);
    Issued client = TestPki.client(ca, "ec-client", KeyType.EC_P256);
    Issued other = TestPki.client(ca, "other-ec-client", KeyType.EC_P256);
    ParsedPrivateKey key = PrivateKeys.parse(client.privateKeySec1Pem(), null);

    assertThat(KeyPairs.matches(key, client.certificate())).isTrue();
    assertThat(KeyPairs.matches(key, other.certificate())).isFalse();
  }
}
