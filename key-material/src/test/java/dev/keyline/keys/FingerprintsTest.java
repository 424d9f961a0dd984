package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.expected;
import static dev.keyline.keys.OpensslFixtures.text;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FingerprintsTest {

  @Test
  void spkiFingerprintEqualsOpensslsForFixtures() {
    assertThat(Fingerprints.spkiSha256(PublicKeys.parse(text("rsa2048-public.pem"))))
        .isEqualTo("SHA256:" + expected("rsa2048.spki.sha256"));
    assertThat(Fingerprints.spkiSha256(PrivateKeys.parse(text("ec-p256-sec1.pem"), null).publicKey()))
        .isEqualTo("SHA256:" + expected("ec-p256.spki.sha256"));
  }

  @Test
  void spkiFingerprintEqualsOpensslsForFreshKeys() {
    PublicKey rsa = RsaKeys.generate(2048).getPublic();
    PublicKey ec = dev.keyline.keys.testing.KeyType.EC_P256.generate().getPublic();
    assertThat(Fingerprints.spkiSha256(rsa)).isEqualTo(opensslRecipe(rsa));
    assertThat(Fingerprints.spkiSha256(ec)).isEqualTo(opensslRecipe(ec));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cert", "leaf", "intermediate", "root"})
  void certificateFingerprintEqualsOpensslsAndSpkiOfCertificate(String name) {
    var certificate = Certificates.parseChain(text(name + ".pem")).get(0);
    assertThat(Fingerprints.certificateSha256(certificate)).isEqualTo(expected(name + ".sha256"));
    assertThat(Fingerprints.spkiSha256(certificate.getPublicKey())).isEqualTo("SHA256:" + expected(name + ".spki.sha256"));
  }

  /** Snowflake's documented recipe: {@code openssl pkey -pubin -outform DER | openssl dgst -sha256 -binary | openssl enc -base64}. */
  static String opensslRecipe(PublicKey key) {
    byte[] der = Openssl.runBinary(Map.of(), PublicKeys.toPem(key).getBytes(StandardCharsets.US_ASCII), "pkey", "-pubin", "-outform", "DER");
    byte[] digest = Openssl.runBinary(Map.of(), der, "dgst", "-sha256", "-binary");
    return "SHA256:" + Openssl.run(Map.of(), digest, "enc", "-base64", "-A").strip();
  }
}
