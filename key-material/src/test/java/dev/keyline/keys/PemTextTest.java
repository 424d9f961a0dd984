package dev.keyline.keys;

import static dev.keyline.keys.OpensslFixtures.body;
import static dev.keyline.keys.OpensslFixtures.bytes;
import static dev.keyline.keys.OpensslFixtures.text;
import static dev.keyline.keys.PrivateKeysTest.assertReason;
import static org.assertj.core.api.Assertions.assertThat;

import dev.keyline.keys.KeyMaterialException.Reason;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PemTextTest {

  @ParameterizedTest
  @ValueSource(strings = {
      "rsa2048-pkcs8.pem", "rsa2048-pkcs8-aes256.pem", "rsa2048-pkcs1.pem", "rsa2048-pkcs1-encrypted.pem",
      "ec-p256-sec1.pem", "rsa2048-public.pem", "cert.pem", "chain.pem"})
  void opensslOutputIsAlreadyCanonical(String fixture) {
    assertThat(PemText.normalize(text(fixture), "PRIVATE KEY")).isEqualTo(text(fixture));
  }

  @Test
  void manglingsNormaliseToOpensslsText() {
    String pem = text("rsa2048-pkcs1-encrypted.pem");
    assertThat(PemText.normalize(pem.replace("\n", "\\n"), "PRIVATE KEY")).isEqualTo(pem);
    assertThat(PemText.normalize(pem.replace("\n", "\\\\r\\\\n"), "PRIVATE KEY")).isEqualTo(pem);
    assertThat(PemText.normalize(pem.replace("\n", "\r\n"), "PRIVATE KEY")).isEqualTo(pem);
    assertThat(PemText.normalize(pem.replace("\n", "\r"), "PRIVATE KEY")).isEqualTo(pem);
    assertThat(PemText.normalize("  \n" + pem.strip() + "  ", "PRIVATE KEY")).isEqualTo(pem);
    assertThat(PemText.normalize(pem.replace("\n", " "), "PRIVATE KEY")).isEqualTo(pem);
    assertThat(PemText.normalize(PrivateKeysTest.bodyOnOneLine(pem), "PRIVATE KEY")).isEqualTo(pem);
  }

  @Test
  void result_hasUnixLineEndsAndTrailingNewlineAnd64Columns() {
    String normalized = PemText.normalize(body("rsa2048-pkcs8.pem"), "PRIVATE KEY");
    assertThat(normalized).doesNotContain("\r").endsWith("-----END PRIVATE KEY-----\n");
    assertThat(normalized.lines()).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(64));
    assertThat(normalized).isEqualTo(text("rsa2048-pkcs8.pem"));
  }

  @Test
  void bareBodyIsWrappedInTheLabelOfItsStructureOrTheDefault() {
    assertThat(PemText.normalize(body("rsa2048-pkcs1.pem"), "PRIVATE KEY")).isEqualTo(text("rsa2048-pkcs1.pem"));
    assertThat(PemText.normalize(body("cert.pem"), "CERTIFICATE")).isEqualTo(text("cert.pem"));
    assertThat(PemText.normalize(body("rsa2048-public.pem"), "PUBLIC KEY")).isEqualTo(text("rsa2048-public.pem"));
    assertThat(PemText.normalize(body("ec-p256-sec1.pem", 1), "PRIVATE KEY")).startsWith("-----BEGIN EC PRIVATE KEY-----\n");
  }

  @Test
  void textAroundBlocksIsDropped() {
    String withBagAttributes = "Bag Attributes\n    localKeyID: 01 02 03\nsubject=/CN=x\n" + text("cert.pem") + "trailing words\n";
    assertThat(PemText.normalize(withBagAttributes, "CERTIFICATE")).isEqualTo(text("cert.pem"));
  }

  @Test
  void garbageAndBrokenStructure() {
    assertReason(() -> PemText.normalize("hello world", "PRIVATE KEY"), Reason.NOT_PEM);
    assertReason(() -> PemText.normalize("", "PRIVATE KEY"), Reason.NOT_PEM);
    assertReason(() -> PemText.normalize("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n", "PRIVATE KEY"), Reason.MALFORMED);
    assertReason(() -> PemText.normalize(text("cert.pem").replace("-----BEGIN CERTIFICATE-----", ""), "CERTIFICATE"), Reason.MALFORMED);
    assertReason(() -> PemText.normalize(text("cert.p12.b64"), "CERTIFICATE"), Reason.PKCS12_NOT_SUPPORTED);
  }

  @Test
  void detectsPkcs12() {
    assertThat(PemText.isPkcs12(bytes("cert.p12"))).isTrue();
    assertThat(PemText.isPkcs12(bytes("cert.p12.b64"))).isTrue();
    assertThat(PemText.isPkcs12(text("cert.p12.b64"))).isTrue();
    assertThat(PemText.isPkcs12(text("cert.p12.b64").replaceAll("(.{64})", "$1\n"))).isTrue();
    assertThat(PemText.isPkcs12(new String(bytes("cert.p12"), StandardCharsets.ISO_8859_1))).isTrue();

    assertThat(PemText.isPkcs12(text("cert.pem"))).isFalse();
    assertThat(PemText.isPkcs12(body("cert.pem"))).isFalse();
    assertThat(PemText.isPkcs12(body("rsa2048-pkcs8.pem"))).isFalse();
    assertThat(PemText.isPkcs12(bytes("rsa2048-pkcs8.pem"))).isFalse();
    assertThat(PemText.isPkcs12("hello")).isFalse();
    assertThat(PemText.isPkcs12((String) null)).isFalse();
  }
}
